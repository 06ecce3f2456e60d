"""Reading gold annotations (the format of ``seeds_gold.json``) as llmsum records.

Used by evaluation (the gold itself must score 1.0) and by tests of the reconciler (gold
extractions must reconcile into the gold events).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from llmsum.errors import GoldError
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

# --------------------------------------------------------------------------- the file format

# The scorers read gold as plain dicts; these models only check a file's shape first, so that a
# file of the wrong shape is refused with the path of the bad field instead of failing deep inside
# scoring ("unhashable type: 'dict'"). Annotators add their own fields (notes, aliases, per-source
# figures: see the dev corpus's gold), so unknown fields are allowed; the fields the scorers read
# must have the types they expect.

IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")]
Count = Annotated[int, Field(ge=0)]


class _Gold(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class GoldFigure(_Gold):
    min: Count | None = None
    max: Count | None = None
    as_written: str | None = None


class GoldLocation(_Gold):
    name: str
    country: str | None = None


class GoldStrike(_Gold):
    event_id: str | None = None
    background: bool = False
    event_date: IsoDate | None = None
    event_date_alternatives: list[IsoDate] = []
    date_as_written: str | None = None
    attacker: str | None = None
    target_groups: list[str] = []
    locations: list[GoldLocation] = []
    facilities_struck: Count | None = None
    killed: GoldFigure | None = None
    wounded: GoldFigure | None = None
    attributed_to: str | None = None


class GoldReaction(_Gold):
    speaker: str
    speaker_aliases: list[str] = []
    role: str | None = None
    affiliation: str | None = None
    stance: Stance | None = None
    quote: str | None = None
    alt_quotes: list[str] = []
    optional: bool = False


class GoldArticle(_Gold):
    published: IsoDate | None = None
    strikes: list[GoldStrike] = []
    reactions: list[GoldReaction] = []
    optional_strikes: list[str] = []
    excluded_mentions: list[str] = []


class GoldEvent(_Gold):
    event_id: str | None = None
    articles: list[str]
    event_date: IsoDate | None = None
    event_date_alternatives: list[IsoDate] = []
    event_date_source: str | None = None
    background_only: bool = False
    attacker: str | None = None
    target_groups: list[str] = []
    locations: list[GoldLocation] = []
    facilities_struck: Count | None = None
    killed: GoldFigure | None = None
    wounded: GoldFigure | None = None
    conflicts: list[str] = []


class GoldFile(_Gold):
    """A gold file: per-article annotations keyed by article id, and the events across articles."""

    articles: dict[str, GoldArticle]
    events: list[GoldEvent] = []


def _field_path(loc: tuple[int | str, ...]) -> str:
    """('articles', 'a.txt', 'strikes', 0, 'killed') -> 'articles["a.txt"].strikes[0].killed'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part)}]"
    return out or "(top level)"


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check a gold file; raises ``GoldError`` naming the file and the first bad fields."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    try:
        GoldFile.model_validate_json(raw)
    except ValidationError as exc:
        problems = [f"{_field_path(e['loc'])}: {e['msg']}" for e in exc.errors()]
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise GoldError(
            f"{path}: not a gold file in the format of seeds_gold.json: {'; '.join(problems[:3])}{more}"
        ) from None
    return data


# --------------------------------------------------------------------------- gold as llmsum records


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
