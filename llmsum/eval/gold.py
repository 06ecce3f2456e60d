"""Reading gold annotations (the format of ``seeds_gold.json``) as llmsum records.

Used by evaluation (the gold itself must score 1.0) and by tests of the reconciler (gold
extractions must reconcile into the gold events).
"""

from __future__ import annotations

from typing import Any

from llmsum.models import (
    ArticleExtraction,
    ArticleRef,
    Figure,
    Location,
    OfficialReaction,
    Span,
    Stance,
    StrikeReport,
)
from llmsum.prose import align
from llmsum.prose.names import PARENS


def first_fragment(value: str | None) -> str | None:
    return value.split(" | ")[0].strip() if value else None


def strip_note(name: str) -> str:
    """'al-Qaim (western Anbar province)' -> 'al-Qaim'."""
    return PARENS.sub("", name).strip()


def gold_strike(entry: dict[str, Any]) -> StrikeReport:
    def figure(data: dict[str, Any] | None) -> Figure:
        data = data or {}
        return Figure(min=data.get("min"), max=data.get("max"), text=first_fragment(data.get("as_written")))

    return StrikeReport(
        event_date=entry.get("event_date"),
        date_text=first_fragment(entry.get("date_as_written")),
        attacker=entry.get("attacker"),
        target_groups=[strip_note(g) for g in entry.get("target_groups", []) if "unspecified" not in g],
        locations=[
            Location(name=strip_note(loc["name"]), country=loc.get("country")) for loc in entry.get("locations", [])
        ],
        facilities_struck=entry.get("facilities_struck"),
        killed=figure(entry.get("killed")),
        wounded=figure(entry.get("wounded")),
        attributed_to=entry.get("attributed_to"),
        background=bool(entry.get("background")),
    )


def gold_reaction(entry: dict[str, Any]) -> OfficialReaction:
    return OfficialReaction(
        speaker=entry["speaker"],
        role=entry.get("role"),
        affiliation=entry.get("affiliation"),
        stance=Stance(entry.get("stance") or "other"),
        quote=entry.get("quote"),
        about=0,
    )


def _spans(text: str | None, needles: list[tuple[str, str | None]]) -> list[Span]:
    spans = []
    for field_name, needle in needles:
        if text and needle and (hit := align.find(needle, text, fuzzy=False)):
            spans.append(
                Span(
                    text=text[hit.start : hit.end],
                    start=hit.start,
                    end=hit.end,
                    field=field_name,
                    match=hit.method,
                    score=hit.score,
                )
            )
    return spans


def gold_extractions(gold: dict[str, Any], texts: dict[str, str] | None = None) -> list[ArticleExtraction]:
    """One ArticleExtraction per gold article, as a perfect extractor would produce it.

    With the article ``texts``, quotes, figure wordings, date wordings and the words naming the attacker
    also get their evidence spans."""
    texts = texts or {}
    out = []
    for article_id, entry in sorted(gold["articles"].items()):
        text = texts.get(article_id)
        strikes = [gold_strike(s) for s in entry.get("strikes", [])]
        for strike, raw in zip(strikes, entry.get("strikes", []), strict=True):
            strike.evidence = _spans(
                text,
                [
                    ("attacker", first_fragment(raw.get("attacker_as_written"))),
                    ("date_text", strike.date_text),
                    ("killed", strike.killed.text),
                    ("wounded", strike.wounded.text),
                ],
            )
        main = next((i for i, s in enumerate(strikes) if not s.background), None)
        reactions = [
            gold_reaction(r).model_copy(update={"about": main})
            for r in entry.get("reactions", [])
            if not r.get("optional")
        ]
        for reaction in reactions:
            reaction.evidence = _spans(text, [("quote", reaction.quote)])
        out.append(
            ArticleExtraction(
                article=ArticleRef(id=article_id, published=entry.get("published")),
                strikes=strikes,
                reactions=reactions,
            )
        )
    return out
