"""How much of a quality change comes from grounding, and how much from the model's answers.

Replays an older recording of the seeds (model answers fixed) through today's grounding, and
scores both against the gold. No model call: the cassette answers every request.

    git show 21352c8:cassettes/seeds.yaml > /tmp/v3.yaml
    python benchmarks/grounding_ablation.py /tmp/v3.yaml --listed    # v3 answers, today's grounding

``--listed`` replays a recording made before llmsum judged speakers (the model listed reactions).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import vcr

import llmsum
from llmsum.eval import evaluate
from llmsum.llm.settings import LOCAL_MODEL_NAME, Settings

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "seeds_gold.json"
REPLAY_URL = "http://127.0.0.1:9/v1"  # never contacted: the cassette answers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cassette", type=Path)
    parser.add_argument("--listed", action="store_true", help="the recording predates the speakers call")
    args = parser.parse_args()
    settings = Settings(
        model=LOCAL_MODEL_NAME,
        base_url=REPLAY_URL,
        api_key="local",
        profile="llamacpp",
        concurrency=1,
        judge_speakers=not args.listed,
    )
    articles = llmsum.load_articles(ROOT / "seeds")
    replay = vcr.VCR(record_mode="none", match_on=["method", "path", "body"])
    with replay.use_cassette(str(args.cassette)):
        extractions = llmsum.extract(list(articles), settings=settings, cache=False)
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    scores = evaluate(extractions, llmsum.reconcile(extractions), gold, {a.id: a.text for a in articles})
    s, r, e = scores["strikes"], scores["reactions"], scores["events"]["main"]
    row = {
        "failed": sum(x.failed for x in extractions),
        "strike field F1": round(s["field_f1"], 3),
        **{name: f["accuracy"] for name, f in s["fields"].items() if name in ("groups", "places", "killed", "wounded")},
        "reaction recall": round(r["recall"], 3),
        "stance": round(r["stance_accuracy"] or 0, 3),
        "quote": round(r["quote_accuracy"] or 0, 3),
        "event figures right": f"{e['killed_right']}+{e['wounded_right']}/{2 * e['gold']}",
        "conflicts found": f"{e['conflicts_found']}/{e['conflicts_expected']}",
    }
    json.dump(row, sys.stdout)
    print()


if __name__ == "__main__":
    main()
