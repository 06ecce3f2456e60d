"""Cost and quality of the embedded model on the seeds, and the design choices side by side.

    python benchmarks/embedded_model.py                 # offline: tokens/calls from the recordings
    python benchmarks/embedded_model.py --live          # also run each variant live, in one run
    python benchmarks/embedded_model.py --live --variants two-calls,one-call --seeds 002_69809db812aa4f14.txt

Variants (each one a full extraction of the chosen seeds with the cache off):
  two-calls      strikes and reactions asked in two calls, field guide in the prompt, schema as a grammar
  one-call       everything in one call, otherwise the same
  schema-prompt  one call with instructor's full JSON schema also written into the prompt
Reported per variant: seconds per article, prompt/completion tokens per article, calls per article on a
first run and on a re-run (cache on), peak memory of the model server, and the quality scores of
`llmsum eval` against the gold file.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml
from checkout import ROOT  # this checkout's llmsum first (checkout.py)

import llmsum
from llmsum.eval import evaluate
from llmsum.llm.settings import LOCAL_MODEL_NAME, LOCAL_TIMEOUT, Settings

GOLD = ROOT / "tests" / "data" / "seeds_gold.json"
VARIANTS = {
    "two-calls": {"calls_per_article": 2, "profile": "llamacpp"},
    "two-calls-listed": {"calls_per_article": 2, "profile": "llamacpp", "judge_speakers": False},
    "one-call": {"calls_per_article": 1, "profile": "llamacpp"},
    "schema-prompt": {"calls_per_article": 1, "profile": "llamacpp-schema-prompt"},
}


def article_tokens(texts: dict[str, str]) -> dict[str, int]:
    """Exact token counts with the model's own tokenizer (vocabulary only, no weights loaded)."""
    try:
        from llama_cpp import Llama

        from llmsum.llm.local import model_path

        vocab = Llama(model_path=str(model_path(fetch=False)), vocab_only=True, verbose=False)
        return {k: len(vocab.tokenize(v.encode(), add_bos=False)) for k, v in texts.items()}
    except Exception as exc:
        print(f"(tokenizer unavailable: {exc}; estimating 4 characters per token)", file=sys.stderr)
        return {k: len(v) // 4 for k, v in texts.items()}


def offline(texts: dict[str, str]) -> None:
    print("## From the recordings (cassettes/seeds.yaml)\n")
    cassette = yaml.safe_load((ROOT / "cassettes" / "seeds.yaml").read_text())
    per: dict[str, dict[str, int]] = {}
    for interaction in cassette["interactions"]:
        body = json.loads(interaction["request"]["body"])
        user = next(m["content"] for m in body["messages"] if m["role"] == "user")
        article_id = next((k for k, t in texts.items() if t[:200] in user), "?")
        usage = json.loads(interaction["response"]["body"]["string"]).get("usage", {})
        row = per.setdefault(article_id, {"calls": 0, "prompt": 0, "completion": 0})
        row["calls"] += 1
        row["prompt"] += usage.get("prompt_tokens", 0)
        row["completion"] += usage.get("completion_tokens", 0)
    tokens = article_tokens(texts)
    print("| article | article tokens | calls | prompt tok | completion tok | prompt / article |")
    print("|---|---:|---:|---:|---:|---:|")
    for article_id in sorted(per):
        r = per[article_id]
        ratio = r["prompt"] / tokens[article_id] if tokens.get(article_id) else float("nan")
        print(
            f"| {article_id} | {tokens.get(article_id, 0)} | {r['calls']} | {r['prompt']} | {r['completion']} | "
            f"{ratio:.2f} |"
        )
    n = len(per)
    total = {k: sum(r[k] for r in per.values()) for k in ("calls", "prompt", "completion")}
    print(
        f"\nper article: {total['calls'] / n:.1f} calls, {total['prompt'] / n:.0f} prompt + "
        f"{total['completion'] / n:.0f} completion tokens\n"
    )


def grounding(cassette_path: Path = ROOT / "cassettes" / "seeds.yaml") -> None:
    """How the recorded answers were grounded, and what the grounding re-asks cost."""
    from collections import Counter

    matches: Counter[str] = Counter()
    problems: Counter[str] = Counter()
    for path in sorted((ROOT / "examples" / "seeds" / "extractions").glob("*.json")):
        extraction = llmsum.ArticleExtraction.model_validate_json(path.read_text())
        for record in [*extraction.strikes, *extraction.reactions]:
            matches.update(span.match or "?" for span in record.evidence)
        problems.update(p.kind for p in extraction.problems)
    print("## Grounding of the recorded answers (examples/seeds)\n")
    print("| evidence spans by match | count |\n|---|---:|")
    for kind, n in matches.most_common():
        print(f"| {kind} | {n} |")
    print("\n| problems by kind | count |\n|---|---:|")
    for kind, n in problems.most_common():
        print(f"| {kind} | {n} |")
    reasks = {"calls": 0, "prompt": 0, "completion": 0}
    total = {"calls": 0, "prompt": 0, "completion": 0}
    for interaction in yaml.safe_load(cassette_path.read_text())["interactions"]:
        usage = json.loads(interaction["response"]["body"]["string"]).get("usage", {})
        is_reask = len(json.loads(interaction["request"]["body"])["messages"]) > 2
        for bucket in [total, reasks] if is_reask else [total]:
            bucket["calls"] += 1
            bucket["prompt"] += usage.get("prompt_tokens", 0)
            bucket["completion"] += usage.get("completion_tokens", 0)
    print(
        f"\nre-asks: {reasks['calls']} of {total['calls']} calls, {reasks['prompt']} prompt + "
        f"{reasks['completion']} completion tokens "
        f"({(reasks['prompt'] + reasks['completion']) / max(1, total['prompt'] + total['completion']):.0%} "
        "of all tokens)\n"
    )


def _server_peak_rss_mb() -> float | None:
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"llama_cpp.server" in cmd:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) / 1024
        except OSError:
            continue
    return None


def live(variants: list[str], articles: list[llmsum.Article], gold: dict | None) -> None:
    from llmsum.llm.local import local_server

    texts = {a.id: a.text for a in articles}
    rows = []
    with local_server() as url:
        base = Settings(model=LOCAL_MODEL_NAME, base_url=url, api_key="local", concurrency=1, timeout=LOCAL_TIMEOUT)
        for name in variants:
            settings = replace(base, **VARIANTS[name])
            seconds: list[float] = []
            with tempfile.TemporaryDirectory() as cache:
                t0 = time.perf_counter()
                first = llmsum.extract(
                    articles, settings=settings, cache_dir=cache, progress=lambda ex, s, acc=seconds: acc.append(s)
                )
                wall = time.perf_counter() - t0
                rerun = llmsum.extract(articles, settings=settings, cache_dir=cache)
            n = len(first)
            row = {
                "variant": name,
                "s/article": statistics.mean(seconds),
                "wall s": wall,
                "calls/article": sum(e.usage.calls for e in first) / n,
                "rerun calls": sum(e.usage.calls for e in rerun),
                "prompt tok/article": sum(e.usage.prompt_tokens for e in first) / n,
                "completion tok/article": sum(e.usage.completion_tokens for e in first) / n,
                "failed": sum(e.failed for e in first),
                "peak server MB": _server_peak_rss_mb(),
            }
            if gold is not None:
                scores = evaluate(first, llmsum.reconcile(first), gold, texts)
                row["strike field F1"] = scores["strike_field_f1"]
                row["reaction recall"] = scores["reaction_recall"]
            rows.append(row)
            print(f"  {name}: {json.dumps(row)}", file=sys.stderr)
    keys = list(rows[0])
    print(f"## Live, side by side ({len(articles)} seed article(s), one run)\n")
    print("| " + " | ".join(keys) + " |")
    print("|" + "---|" * len(keys))
    for row in rows:
        cells = [
            f"{v:.3f}" if isinstance(v, float) and v < 10 else f"{v:.1f}" if isinstance(v, float) else str(v)
            for v in row.values()
        ]
        print("| " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--live", action="store_true")
    parser.add_argument("--variants", default="two-calls,one-call")
    parser.add_argument("--seeds", default="", help="comma-separated seed file names (default: all)")
    args = parser.parse_args()
    articles = llmsum.load_articles(ROOT / "seeds")
    print(f"# embedded model — {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}\n")
    offline({a.id: a.text for a in articles})
    grounding()
    if args.live:
        if args.seeds:
            wanted = set(args.seeds.split(","))
            articles = llmsum.Articles([a for a in articles if a.id in wanted])
        gold = json.loads(GOLD.read_text()) if GOLD.exists() else None
        live(args.variants.split(","), list(articles), gold)


if __name__ == "__main__":
    main()
