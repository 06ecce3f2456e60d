"""Concurrent extraction: 40 articles against a local OpenAI-compatible test server that answers
after 1 s, at concurrency 1 and 8, in one run.

    python benchmarks/concurrency.py [--articles 40] [--delay 1.0] [--levels 1,8]

The server (tests/fake_server.py) is a hand-made fake on 127.0.0.1: the point is llmsum's own
scheduling, not a model's speed.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

import checkout  # noqa: F401  (this checkout's llmsum and tests first: checkout.py)

import llmsum
from llmsum.llm.settings import Settings
from tests.fake_server import FakeServer, completion

ANSWER = json.dumps({"strikes": [], "reactions": []})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--delay", type=float, default=1.0)
    parser.add_argument("--levels", default="1,8")
    args = parser.parse_args()
    articles = [
        llmsum.Article(id=f"a{i:03d}.txt", published="2024-01-01", text=f"Article {i}: no strike here, only news.")
        for i in range(args.articles)
    ]
    print(f"# concurrency — {args.articles} articles, server answers after {args.delay:.1f} s\n")
    print("| concurrency | wall s | articles/s | speed-up | requests |")
    print("|---:|---:|---:|---:|---:|")
    baseline = None
    for level in [int(x) for x in args.levels.split(",")]:
        with FakeServer(default=("sleep", args.delay, ("json", 200, completion(ANSWER), {}))) as server:
            settings = Settings(
                model="fake", base_url=server.url, api_key="x", profile="json", concurrency=level, calls_per_article=1
            )
            with tempfile.TemporaryDirectory() as cache:
                t0 = time.perf_counter()
                results = llmsum.extract(articles, settings=settings, cache_dir=cache)
                wall = time.perf_counter() - t0
            assert not any(r.failed for r in results)
            baseline = baseline or wall
            print(
                f"| {level} | {wall:.2f} | {len(articles) / wall:.2f} | x{baseline / wall:.1f} | "
                f"{len(server.requests)} |"
            )


if __name__ == "__main__":
    main()
