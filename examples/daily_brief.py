"""Copy me: write today's brief from a folder of articles.

    python examples/daily_brief.py feeds/ --out briefs/

Uses OPENAI_API_KEY / LLMSUM_BASE_URL / LLMSUM_MODEL if set, else the embedded local model.
Model answers are cached, so re-running after adding articles only pays for the new ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import llmsum


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path, default=Path("briefs"))
    args = parser.parse_args()

    articles = llmsum.load_articles(args.folder)
    for failure in articles.failures:
        print(f"skipped {failure}", file=sys.stderr)

    extractions = llmsum.extract(articles, progress=lambda ex, s: print(f"{ex.article.id}: {s:.0f} s"))
    brief = llmsum.reconcile(extractions)
    brief.failures += [
        llmsum.models.Failure(article_id=f.article_id, kind=f.kind, message=f.message) for f in articles.failures
    ]
    brief.texts = {a.id: a.text for a in articles}  # lets the HTML view highlight evidence

    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / (brief.date or "undated")
    stem.with_suffix(".md").write_text(brief.to_markdown(), encoding="utf-8")
    stem.with_suffix(".html").write_text(brief.to_html(), encoding="utf-8")
    stem.with_suffix(".json").write_text(brief.model_dump_json(indent=1), encoding="utf-8")
    print(f"{len(brief.events)} event(s), {len(brief.failures)} failure(s) -> {stem}.md")
    return 1 if brief.failures else 0


if __name__ == "__main__":
    sys.exit(main())
