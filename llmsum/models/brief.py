"""The brief: one event per real-world strike, every figure and quote kept with its source.

Built only by ``llmsum.reconcile``; rendered by ``llmsum.io.render`` and exported by ``llmsum.io.export``.
The codes each event and reaction carries (PLOVER, CAMEO, UCDP-style precision) come from the
vocabularies in ``llmsum.models.codebooks``; which wording leads to which value is decided in
``llmsum.reconcile.coding`` (documented in docs/coding.md).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from llmsum.models.codebooks import DatePrecision, LocationPrecision, PloverEvent, PloverMode, VictimKind
from llmsum.models.records import ArticleRef, Location, ProblemKind, Stance, Usage


class FigureReport(BaseModel):
    min: int | None = None
    max: int | None = None
    text: str | None = None
    attributed_to: str | None = None
    article_id: str
    start: int | None = None
    end: int | None = None


class EventFigure(BaseModel):
    min: int | None = None
    max: int | None = None
    headline: str | None = None
    reports: list[FigureReport] = Field(default_factory=list)
    low: int | None = Field(None, description="UCDP-style lowest reported figure (the wording read as `min` is).")
    best: int | None = Field(
        None, description="UCDP-style best estimate: the figure most reports give; ties go to the lower one."
    )
    high: int | None = Field(None, description="UCDP-style highest figure any report gives.")
    conservative: int | None = Field(
        None,
        description="ACLED-style fatalities: the lowest figure reported, vague words read ACLED's way "
        "(tens 10, dozens 12, hundreds 100).",
    )


class ConflictValue(BaseModel):
    value: Any
    article_id: str
    attributed_to: str | None = None


class Conflict(BaseModel):
    field: str
    values: list[ConflictValue]


class Quote(BaseModel):
    text: str
    article_id: str
    start: int | None = None
    end: int | None = None


class Cue(BaseModel):
    """The words a code was read from: which field, which value, and where in which article."""

    field: str  # mode | date_precision | location_precision | victims
    value: str
    text: str
    article_id: str
    start: int | None = None
    end: int | None = None


class EventReaction(BaseModel):
    speaker: str
    role: str | None = None
    affiliation: str | None = None
    stance: Stance = Stance.other
    cameo: str | None = None
    plover_event: PloverEvent | None = Field(
        None, description="None for statements PLOVER does not code (a justification, a comment)."
    )
    plover_mode: PloverMode | None = None
    plover_context: list[str] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    summaries: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    unverified: list[str] = Field(
        default_factory=list,
        description="Fields whose value no article writes (the model's words, kept and marked): 'attacker', "
        "'locations[0].country', 'affiliation'.",
    )


class Event(BaseModel):
    event_id: str
    event_date: str | None = None
    attacker: str | None = None
    target_groups: list[str] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    facilities_struck: int | None = None
    killed: EventFigure = Field(default_factory=EventFigure)
    wounded: EventFigure = Field(default_factory=EventFigure)
    articles: list[str] = Field(default_factory=list)
    background: bool = False
    conflicts: list[Conflict] = Field(default_factory=list)
    reactions: list[EventReaction] = Field(default_factory=list)
    merges: list[dict[str, Any]] = Field(default_factory=list, description="Name merges and their scores.")
    unverified: list[str] = Field(
        default_factory=list,
        description="Fields whose value no article writes (the model's words, kept and marked): 'attacker', "
        "'locations[0].country', 'affiliation'.",
    )
    attached_by_evidence: list[str] = Field(
        default_factory=list,
        description="Articles with no date at all, joined to this event because they name its attacker and one "
        "of its targets or places better than any other event's.",
    )
    plover_event: PloverEvent = PloverEvent.ASSAULT
    plover_mode: PloverMode | None = Field(None, description="From the articles' wording; None where none says.")
    plover_context: list[str] = Field(default_factory=lambda: ["military"])
    cameo: str | None = Field(None, description="CAMEO event code, kept beside PLOVER.")
    date_precision: DatePrecision | None = None
    location_precision: LocationPrecision | None = None
    number_of_sources: int = Field(0, description="Articles reporting the event (UCDP `number_of_sources`).")
    number_of_outlets: int | None = Field(
        None, description="Distinct outlets among those articles; None when no article names its outlet."
    )
    victims: list[VictimKind] = Field(default_factory=list, description="Who the tolls say was hit.")
    civilian_victims: bool = Field(
        False, description="A toll names civilians among the victims (False: no toll says so, not 'none hurt')."
    )
    cues: list[Cue] = Field(default_factory=list, description="The wording behind mode, precision and victims.")


class Failure(BaseModel):
    article_id: str
    kind: ProblemKind
    message: str


class BriefArticle(ArticleRef):
    duplicate_of: str | None = Field(
        None,
        description="The article this one repeats (the same text but for case, spacing or punctuation): "
        "listed, but not counted as a separate source.",
    )


class Brief(BaseModel):
    date: str | None = None
    events: list[Event] = Field(default_factory=list)
    articles: list[BriefArticle] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    texts: dict[str, str] = Field(
        default_factory=dict, exclude=True, description="Article texts, for the HTML view's highlights."
    )

    @property
    def sources(self) -> list[BriefArticle]:
        """The articles counted as sources: all but the duplicates of another."""
        return [a for a in self.articles if a.duplicate_of is None]

    def to_markdown(self) -> str:
        from llmsum.io.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from llmsum.io.render import to_html

        return to_html(self)
