"""The project's copy of the seeds' gold (tests/data/seeds_gold.json) agrees with seeds/.

The gold was made outside the project; a copy that drifted from the seed texts (a renamed seed, a
re-normalised text, a quote edited by hand) would make every eval and reconcile test score against
wrong answers without failing, so the copy is checked against the articles themselves.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import llmsum
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def seeds() -> dict[str, llmsum.Article]:
    return {a.id: a for a in llmsum.load_articles(ROOT / "seeds")}


def _verbatim(entry: dict) -> list[tuple[str, str]]:
    """(field, text) of everything the gold says is written in the article."""
    found: list[tuple[str, str]] = []
    for n, strike in enumerate(entry.get("strikes", [])):
        wordings = {
            name: strike.get(name) for name in ("date_as_written", "facilities_as_written", "attacker_as_written")
        }
        wordings |= {name: (strike.get(name) or {}).get("as_written") for name in ("killed", "wounded")}
        for name, value in wordings.items():
            found += [(f"strikes[{n}].{name}", part.strip()) for part in (value or "").split(" | ") if part.strip()]
    for n, reaction in enumerate(entry.get("reactions", [])):
        quotes = [reaction.get("quote"), *reaction.get("alt_quotes", [])]
        found += [(f"reactions[{n}] {reaction['speaker']}", q) for q in quotes if q]
    return found


def test_every_gold_article_is_a_seed_and_every_seed_has_gold(gold: dict, seeds_dir: Path) -> None:
    assert set(gold["articles"]) == {p.name for p in seeds_dir.iterdir() if p.is_file()}
    for event in gold["events"]:
        assert set(event["articles"]) <= set(gold["articles"]), event["event_id"]


def test_every_quote_and_wording_in_the_gold_is_verbatim_in_its_seed(
    gold: dict, seeds: dict[str, llmsum.Article]
) -> None:
    missing = [
        (article_id, field, text)
        for article_id, entry in gold["articles"].items()
        for field, text in _verbatim(entry)
        if text not in seeds[article_id].text
    ]
    assert sum(len(_verbatim(e)) for e in gold["articles"].values()) > 50  # the check has something to check
    assert missing == []


def test_gold_publication_dates_are_the_seeds(gold: dict, seeds: dict[str, llmsum.Article]) -> None:
    assert {i: e.get("published") for i, e in gold["articles"].items()} == {i: a.published for i, a in seeds.items()}
