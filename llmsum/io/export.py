"""Exports that event-data users load: PLOVER records (JSON Lines) and ACLED-style rows (CSV).

The brief already carries every code (computed by ``llmsum.reconcile.coding`` from the articles'
wording); this module only lays each event and reaction out under the datasets' own field names,
translating with the fixed tables of ``llmsum.models.codebooks``. Records are Pydantic models, so
each export has a JSON Schema: shipped in ``llmsum/io/schemas/`` for tools that never import llmsum,
and printed by ``llmsum export --schema``. A test keeps the shipped files equal to the models.
"""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from llmsum import __version__
from llmsum.models import (
    ArticleRef,
    Brief,
    DatePrecision,
    Event,
    EventFigure,
    EventReaction,
    LocationPrecision,
    PloverEvent,
    PloverMode,
    Stance,
)
from llmsum.models.codebooks import (
    ACLED_DISORDER_TYPE,
    ACLED_EVENT_TYPE,
    ACLED_GEO_PRECISION,
    ACLED_SUB_EVENT,
    ACLED_TIME_PRECISION,
    UCDP_DATE_PREC,
    UCDP_WHERE_PREC,
)
from llmsum.prose.names import key

CODER = f"llmsum {__version__}"
CODEBOOK = "PLOVER (event, mode, context) with CAMEO 1.1b3 codes; llmsum docs/coding.md"


class ExportFormat(StrEnum):
    plover = "plover"
    acled = "acled"


# --------------------------------------------------------------------------- PLOVER


class PloverActor(BaseModel):
    """A PLOVER actor object; llmsum knows the name as the articles write it, not an ISO or sector code."""

    model_config = ConfigDict(extra="forbid")

    actor_text: str


class EventText(BaseModel):
    """Words of the article the record was coded from, with offsets into the normalised text."""

    model_config = ConfigDict(extra="forbid")

    text: str
    article_id: str
    start: int | None = None
    end: int | None = None


class CiteInfo(BaseModel):
    """PLOVER's citation object, one per article."""

    model_config = ConfigDict(extra="forbid")

    citation: str = Field(description="The article id (its file name).")
    title: str | None = None
    url: str | None = None
    publication: str | None = None
    date: str | None = None
    coder: str = CODER
    codebook: str = CODEBOOK


class PloverLocation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    admin1: str | None = None
    country: str | None = None


class Estimates(BaseModel):
    """UCDP GED-style fatality or injury estimates."""

    model_config = ConfigDict(extra="forbid")

    low: int | None = None
    best: int | None = None
    high: int | None = None


class PloverRecord(BaseModel):
    """One PLOVER event record: a strike (ASSAULT) or a statement about one (ACCUSE, THREATEN, ...).

    PLOVER's own fields first; llmsum's come after them."""

    model_config = ConfigDict(extra="forbid", title="llmsum PLOVER record")

    id: str
    date: str | None = Field(description="YYYY-MM-DD: the strike's date, or the day a statement was reported.")
    actor: list[PloverActor]
    recipient: list[PloverActor] = Field(default_factory=list)
    event: PloverEvent
    mode: PloverMode | None = None
    context: list[str] = Field(default_factory=list)
    event_text: list[EventText] = Field(default_factory=list)
    event_loc: list[PloverLocation] = Field(default_factory=list)
    cite_info: list[CiteInfo] = Field(default_factory=list)
    dead: int | None = Field(None, description="Killed: the conservative figure (ACLED's reading).")
    injured: int | None = Field(None, description="Wounded: the conservative figure (ACLED's reading).")
    # llmsum's own fields
    cameo: str | None = None
    llmsum_event_id: str
    stance: Stance | None = None
    date_precision: DatePrecision | None = None
    location_precision: LocationPrecision | None = None
    number_of_sources: int | None = None
    number_of_outlets: int | None = None
    dead_estimates: Estimates | None = None
    injured_estimates: Estimates | None = None
    civilian_victims: bool | None = None
    background: bool = False
    unverified: list[str] = Field(
        default_factory=list, description="Fields no article writes (the model's words, kept and marked), e.g. 'actor'."
    )


def _actors(*names: str | None) -> list[PloverActor]:
    return [PloverActor(actor_text=n) for n in dict.fromkeys(n for n in names if n)]


def _cites(article_ids: list[str], refs: dict[str, ArticleRef]) -> list[CiteInfo]:
    out = []
    for article_id in article_ids:
        ref = refs.get(article_id)
        out.append(
            CiteInfo(
                citation=article_id,
                title=ref.title if ref else None,
                publication=ref.source if ref else None,
                date=ref.published if ref else None,
            )
        )
    return out


def _estimates(figure: EventFigure) -> Estimates | None:
    if not figure.reports:
        return None
    return Estimates(low=figure.low, best=figure.best, high=figure.high)


def _assault(event: Event, refs: dict[str, ArticleRef]) -> PloverRecord:
    texts = [
        EventText(text=c.text, article_id=c.article_id, start=c.start, end=c.end)
        for c in event.cues
        if c.field == "mode"
    ]
    texts += [
        EventText(text=r.text or "", article_id=r.article_id, start=r.start, end=r.end)
        for figure in (event.killed, event.wounded)
        for r in figure.reports
        if r.text
    ]
    return PloverRecord(
        id=event.event_id,
        date=event.event_date,
        actor=_actors(event.attacker),
        recipient=_actors(*event.target_groups),
        event=event.plover_event,
        mode=event.plover_mode,
        context=event.plover_context,
        event_text=texts,
        event_loc=[PloverLocation(name=loc.name, admin1=loc.admin1, country=loc.country) for loc in event.locations],
        cite_info=_cites(event.articles, refs),
        dead=event.killed.conservative,
        injured=event.wounded.conservative,
        cameo=event.cameo,
        llmsum_event_id=event.event_id,
        date_precision=event.date_precision,
        location_precision=event.location_precision,
        number_of_sources=event.number_of_sources,
        number_of_outlets=event.number_of_outlets,
        dead_estimates=_estimates(event.killed),
        injured_estimates=_estimates(event.wounded),
        civilian_victims=event.civilian_victims,
        background=event.background,
        unverified=["actor" if f == "attacker" else f for f in event.unverified],
    )


# A condemnation or a threat about a strike is aimed at whoever carried it out.
_AIMED_AT_ATTACKER = frozenset({PloverEvent.ACCUSE, PloverEvent.THREATEN})


def _statement(event: Event, reaction: EventReaction, n: int, refs: dict[str, ArticleRef]) -> PloverRecord:
    assert reaction.plover_event is not None
    speaker_is_attacker = bool(event.attacker) and key(reaction.speaker) == key(event.attacker or "")
    recipient = (
        _actors(event.attacker) if reaction.plover_event in _AIMED_AT_ATTACKER and not speaker_is_attacker else []
    )
    reported = sorted(d for a in reaction.articles if (ref := refs.get(a)) and (d := ref.published))
    return PloverRecord(
        id=f"{event.event_id}-R{n}",
        date=reported[0] if reported else event.event_date,
        actor=_actors(reaction.speaker),
        recipient=recipient,
        event=reaction.plover_event,
        mode=reaction.plover_mode,
        context=reaction.plover_context,
        event_text=[EventText(text=q.text, article_id=q.article_id, start=q.start, end=q.end) for q in reaction.quotes],
        event_loc=[],
        cite_info=_cites(reaction.articles, refs),
        cameo=reaction.cameo,
        llmsum_event_id=event.event_id,
        stance=reaction.stance,
        background=event.background,
        unverified=(["recipient"] if recipient and "attacker" in event.unverified else [])
        + ["actor.affiliation" for f in reaction.unverified if f == "affiliation"],
    )


def plover_records(brief: Brief) -> list[PloverRecord]:
    """One ASSAULT record per event, then one record per reaction PLOVER has a category for (a
    justification or a comment is CAMEO 010 only, and stays in the brief)."""
    refs = {a.id: a for a in brief.articles}
    records: list[PloverRecord] = []
    for event in brief.events:
        records.append(_assault(event, refs))
        coded = [r for r in event.reactions if r.plover_event is not None]
        records += [_statement(event, r, n, refs) for n, r in enumerate(coded, start=1)]
    return records


def to_plover_jsonl(brief: Brief) -> str:
    return "".join(r.model_dump_json(exclude_none=False) + "\n" for r in plover_records(brief))


# --------------------------------------------------------------------------- ACLED


class AcledRow(BaseModel):
    """One event as an ACLED row: ACLED's column names in ACLED's order, then llmsum's own columns.

    ``fatalities`` is the most conservative figure reported, as ACLED codes it; the others, with who
    gave them, are in ``notes``."""

    model_config = ConfigDict(extra="forbid", title="llmsum ACLED-style row")

    event_date: str | None
    year: int | None
    time_precision: int | None = Field(description="1 day, 2 week, 3 month (ACLED).")
    disorder_type: str
    event_type: str
    sub_event_type: str | None = Field(description="Empty where no article says how the strike was carried out.")
    actor1: str | None
    actor2: str | None
    assoc_actor_2: str | None
    country: str | None
    admin1: str | None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None
    geo_precision: int | None = Field(description="1 place, 2 near a place or district, 3 larger area (ACLED).")
    source: str
    notes: str
    fatalities: int | None
    # llmsum's own columns
    llmsum_event_id: str
    fatalities_low: int | None
    fatalities_best: int | None
    fatalities_high: int | None
    wounded: int | None
    wounded_low: int | None
    wounded_best: int | None
    wounded_high: int | None
    plover_event: PloverEvent
    plover_mode: PloverMode | None
    cameo: str | None
    date_precision: DatePrecision | None
    location_precision: LocationPrecision | None
    ucdp_date_prec: int | None
    ucdp_where_prec: int | None
    number_of_sources: int
    number_of_outlets: int | None
    civilian_victims: bool
    background: bool
    articles: str
    unverified: str = Field("", description="Columns no article writes (the model's words), '; '-separated.")


def _toll_notes(name: str, figure: EventFigure) -> str:
    """The conservative figure and who gave it; every other figure and who gave it."""
    if not figure.reports:
        return ""

    def who(r: Any) -> str:
        return f"{r.text or r.min} ({r.attributed_to or r.article_id})"

    if figure.conservative is None:  # a brief coded by an older llmsum: list the tolls only
        return f"{name.capitalize()} reported: " + "; ".join(who(r) for r in figure.reports) + "."
    chosen = [r for r in figure.reports if (r.min if r.min is not None else r.max) == figure.conservative]
    if not chosen:  # coded from words with no number ("dozens": 12)
        chosen = [r for r in figure.reports if r.min is None and r.max is None]
    others = [r for r in figure.reports if r not in chosen]
    note = f"{name.capitalize()}: {figure.conservative} coded, the lowest reported"
    if chosen:
        note += " [" + "; ".join(who(r) for r in chosen) + "]"
    if others:
        note += "; others reported " + "; ".join(who(r) for r in others)
    return note + "."


def _acled_row(event: Event, refs: dict[str, ArticleRef]) -> AcledRow:
    # the most precise place, as coding chose it; ACLED's ``location`` is one place
    named = next((c.text for c in event.cues if c.field == "location_precision"), None)
    place = next((loc for loc in event.locations if loc.name == named), event.locations[0] if event.locations else None)
    country = next((loc.country for loc in [place, *event.locations] if loc and loc.country), None)
    if country is None and event.location_precision == LocationPrecision.country and place:
        country = place.name
    how = ACLED_SUB_EVENT.get(event.plover_mode) if event.plover_mode else None
    summary = (
        f"{event.event_date or 'Undated'}: {event.attacker or 'unknown attacker'} {(how or 'strike').lower()}"
        + (f" on {', '.join(event.target_groups)}" if event.target_groups else "")
        + (f" in {', '.join(loc.name for loc in event.locations)}" if event.locations else "")
        + "."
    )
    tolls = (_toll_notes("fatalities", event.killed), _toll_notes("wounded", event.wounded))
    caveat = "The attacker is the model's reading: no article names it. " if "attacker" in event.unverified else ""
    notes = caveat + " ".join(n for n in (summary, *tolls) if n)
    outlets = [refs[a].source or a if a in refs else a for a in event.articles]
    return AcledRow(
        event_date=event.event_date,
        year=int(event.event_date[:4]) if event.event_date else None,
        time_precision=ACLED_TIME_PRECISION[event.date_precision] if event.date_precision else None,
        disorder_type=ACLED_DISORDER_TYPE,
        event_type=ACLED_EVENT_TYPE,
        sub_event_type=how,
        actor1=event.attacker,
        actor2=event.target_groups[0] if event.target_groups else None,
        assoc_actor_2="; ".join(event.target_groups[1:]) or None,
        country=country,
        admin1=place.admin1 if place else None,
        location=place.name if place else None,
        geo_precision=ACLED_GEO_PRECISION[event.location_precision] if event.location_precision else None,
        source="; ".join(dict.fromkeys(outlets)),
        notes=notes,
        fatalities=event.killed.conservative,
        llmsum_event_id=event.event_id,
        fatalities_low=event.killed.low,
        fatalities_best=event.killed.best,
        fatalities_high=event.killed.high,
        wounded=event.wounded.conservative,
        wounded_low=event.wounded.low,
        wounded_best=event.wounded.best,
        wounded_high=event.wounded.high,
        plover_event=event.plover_event,
        plover_mode=event.plover_mode,
        cameo=event.cameo,
        date_precision=event.date_precision,
        location_precision=event.location_precision,
        ucdp_date_prec=UCDP_DATE_PREC[event.date_precision] if event.date_precision else None,
        ucdp_where_prec=UCDP_WHERE_PREC[event.location_precision] if event.location_precision else None,
        number_of_sources=event.number_of_sources,
        number_of_outlets=event.number_of_outlets,
        civilian_victims=event.civilian_victims,
        background=event.background,
        articles="; ".join(event.articles),
        unverified="; ".join("actor1" if f == "attacker" else f for f in event.unverified),
    )


def acled_rows(brief: Brief) -> list[AcledRow]:
    """One row per event (ACLED splits a strike on several places into one event per place; llmsum
    cannot split the tolls by place, so it writes one row and lists every place in ``notes``)."""
    refs = {a.id: a for a in brief.articles}
    return [_acled_row(e, refs) for e in brief.events]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_acled_csv(brief: Brief) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(AcledRow.model_fields))
    for row in acled_rows(brief):
        data = row.model_dump(mode="json")
        writer.writerow([_cell(data[name]) for name in AcledRow.model_fields])
    return out.getvalue()


# --------------------------------------------------------------------------- schemas

_MODELS: dict[ExportFormat, type[BaseModel]] = {ExportFormat.plover: PloverRecord, ExportFormat.acled: AcledRow}
_SCHEMA_IDS = {
    ExportFormat.plover: "llmsum/io/schemas/plover.schema.json",
    ExportFormat.acled: "llmsum/io/schemas/acled.schema.json",
}


def schema(fmt: ExportFormat) -> dict[str, Any]:
    """The JSON Schema of one exported record (a PLOVER line; an ACLED row, cells typed)."""
    data = _MODELS[fmt].model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": _SCHEMA_IDS[fmt], **data}


def schema_text(fmt: ExportFormat) -> str:
    return json.dumps(schema(fmt), indent=1, ensure_ascii=False) + "\n"


def shipped_schema(fmt: ExportFormat) -> str:
    """The schema file shipped with llmsum (kept equal to ``schema_text`` by the tests)."""
    return resources.files("llmsum.io").joinpath(f"schemas/{fmt.value}.schema.json").read_text(encoding="utf-8")


def export(brief: Brief, fmt: ExportFormat) -> str:
    return to_plover_jsonl(brief) if fmt == ExportFormat.plover else to_acled_csv(brief)
