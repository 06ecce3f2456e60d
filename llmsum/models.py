"""Typed records of llmsum: what the model fills, and what llmsum publishes.

Two layers on purpose. The *draft* models (``StrikeDraft``, ``ReactionDraft``, ``ArticleDraft``) are
what the LLM is asked to fill: few fields, descriptions written for a model, no offsets (models cannot
count characters). The *contract* models (``StrikeReport``, ``OfficialReaction``, ``ArticleExtraction``,
``Brief``) carry the field names of the public contract plus evidence spans, and are only produced by
grounding, never by the model directly.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator, model_validator

NonNegative = Annotated[int, Field(ge=0)]


class Stance(StrEnum):
    condemn = "condemn"
    justify = "justify"
    threaten = "threaten"
    call_for_restraint = "call_for_restraint"
    support = "support"
    other = "other"


def _iso_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        dt.date.fromisoformat(value)  # raises on 2024-02-31
        return value
    raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}")


# --------------------------------------------------------------------------- articles


class Article(BaseModel):
    """One loaded, normalised article. ``text`` is what every evidence offset points into."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    text: str

    _check_date = field_validator("published", mode="before")(_iso_date)


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None


# --------------------------------------------------------------------------- drafts (LLM-facing)


class FigureDraft(BaseModel):
    text: str | None = Field(
        None,
        description="The words of the article giving the number, copied exactly, e.g. 'at least 25 fighters "
        "were killed'. null if the article gives no number.",
    )
    min: NonNegative | None = Field(None, description="Lowest number: 'at least 25' -> 25; '16 to 18' -> 16.")
    max: NonNegative | None = Field(
        None, description="Highest number: 'at least 25' -> null; '25' -> 25; '16 to 18' -> 18."
    )


class LocationDraft(BaseModel):
    name: str = Field(
        description="Place name as written in the article: the most precise one given (town, district, base, "
        "region), not only the country."
    )
    admin1: str | None = Field(None, description="Province or governorate if the article names it, else null.")
    country: str | None = Field(None, description="Country of the place.")


class StrikeDraft(BaseModel):
    attacker: str | None = Field(None, description="Who carried out the strike or attack (country, force or group).")
    target_groups: list[str] = Field(
        default_factory=list, description="Groups or forces that were hit, names as written in the article."
    )
    locations: list[LocationDraft] = Field(default_factory=list, description="Places that were hit.")
    date_text: str | None = Field(
        None,
        description="Words of the article saying when the strike happened, copied exactly, e.g. 'on Sunday', "
        "'pre-dawn Wednesday', 'on December 29'. Never from a photo caption. null if not said.",
    )
    facilities_struck: NonNegative | None = Field(
        None, description="Number of facilities, sites or targets hit, if the article gives one."
    )
    killed: FigureDraft = Field(default_factory=FigureDraft, description="People killed.")
    wounded: FigureDraft = Field(default_factory=FigureDraft, description="People wounded or injured.")
    attributed_to: str | None = Field(None, description="Who gave the casualty figures (source as written).")
    background: bool = Field(
        False,
        description="true if the article mentions this strike only as past context, not as the news it reports.",
    )


class ReactionDraft(BaseModel):
    speaker: str = Field(description="Name of the person or organisation making the statement, as written.")
    role: str | None = Field(None, description="Their title or role as written, e.g. 'foreign ministry spokesman'.")
    affiliation: str | None = Field(None, description="Country or organisation they speak for.")
    quote: str | None = Field(
        None,
        description="Their words exactly as they appear between quotation marks in the article. null if the "
        "article only paraphrases them.",
    )
    summary: str | None = Field(None, description="One short sentence: what they said.")
    stance: Stance = Field(
        description="Their position on the strike: condemn, justify (defends it), threaten (warns of "
        "retaliation), call_for_restraint, support or other."
    )
    about: int | None = Field(None, description="Index (from 0) of the strike in 'strikes' this is about.")


MAX_STRIKES = 4
MAX_REACTIONS = 10
MAX_SPEAKERS = 12  # speakers judged in one call (llmsum.speakers); a whole draft holds up to this many
_STRIKES_DESCRIPTION = "Every strike or attack the article reports, one entry per distinct event, whoever did it."
_REACTIONS_DESCRIPTION = (
    "Statements by officials, governments, militaries or armed groups about the strikes, one entry per speaker."
)


class _Checked(BaseModel):
    @model_validator(mode="after")
    def _grounded(self, info: Any) -> Any:
        # When extraction passes a checker in the validation context, an answer whose quotes,
        # names or figures are not in the article fails validation, so instructor re-asks once
        # with the exact list of what was not found.
        context = getattr(info, "context", None) or {}
        check = context.get("check")
        if check is not None:
            complaints = check(self)
            if complaints:
                raise ValueError(
                    "These values were not found in the article. Copy quotes and names exactly from the "
                    "article text, or use null / leave them out:\n- " + "\n- ".join(complaints)
                )
        return self


class ArticleDraft(_Checked):
    """What the model returns for one article (one call, or the two halves below merged).

    The list caps stop a small model that loops inside a list before it runs out of tokens."""

    strikes: list[StrikeDraft] = Field(default_factory=list, max_length=MAX_STRIKES, description=_STRIKES_DESCRIPTION)
    reactions: list[ReactionDraft] = Field(
        default_factory=list, max_length=MAX_SPEAKERS, description=_REACTIONS_DESCRIPTION
    )


class StrikesDraft(_Checked):
    """First of two calls: the strikes only."""

    strikes: list[StrikeDraft] = Field(default_factory=list, max_length=MAX_STRIKES, description=_STRIKES_DESCRIPTION)


class ReactionsDraft(_Checked):
    """Second of two calls: the reactions only."""

    reactions: list[ReactionDraft] = Field(
        default_factory=list, max_length=MAX_REACTIONS, description=_REACTIONS_DESCRIPTION
    )


NO_REACTION = "no_reaction"
VerdictStance = Literal["condemn", "justify", "threaten", "call_for_restraint", "support", "other", "no_reaction"]


class SpeakerVerdict(BaseModel):
    """The model's judgement of one speaker llmsum found in the article (see ``llmsum.speakers``).

    Deliberately short: it is repeated for every speaker, and the title comes from the text."""

    stance: VerdictStance = Field(
        description="condemn, justify (defends the strike), threaten (warns of retaliation), call_for_restraint, "
        "support or other; no_reaction only for someone who takes no position on the strikes (a journalist, "
        "a news agency, or someone who only gives casualty figures or facts)."
    )
    quote: str | None = Field(
        None,
        description="Their words about the strikes exactly as they appear between quotation marks in the "
        "article. null if the article only paraphrases them.",
    )
    affiliation: str | None = Field(None, description="Country or organisation they speak for.")


class SpeakerSlots(_Checked):
    """Second of two calls when llmsum found the speakers itself: one verdict per speaker, keyed
    by the speaker's name, so a small model cannot stop after the first few."""

    model_config = ConfigDict(populate_by_name=True)

    @property
    def reactions(self) -> list[ReactionDraft]:
        out = []
        for name, info in type(self).model_fields.items():
            verdict: SpeakerVerdict = getattr(self, name)
            if verdict.stance == NO_REACTION:
                continue
            out.append(
                ReactionDraft(
                    speaker=info.alias or name,
                    role=info.description,
                    affiliation=verdict.affiliation,
                    quote=verdict.quote,
                    stance=Stance(verdict.stance),
                )
            )
        return out


def speaker_slots(speakers: list[tuple[str, str | None]]) -> type[SpeakerSlots]:
    """A draft model whose keys are the given speakers (name, title as written), in order."""
    fields: dict[str, Any] = {
        f"s{i}": (SpeakerVerdict, Field(alias=name, description=role)) for i, (name, role) in enumerate(speakers)
    }
    return create_model("SpeakerSlots", __base__=SpeakerSlots, **fields)


# --------------------------------------------------------------------------- contract (published)


class Span(BaseModel):
    """A piece of the normalised article text: ``text == article.text[start:end]``."""

    text: str
    start: NonNegative
    end: NonNegative
    field: str | None = Field(None, description="Which field this span supports, e.g. 'killed' or 'quote'.")
    match: str | None = Field(None, description="How it was found: exact, normalized or fuzzy.")
    score: float | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError("span end before start")
        return self


class FigurePart(BaseModel):
    """One toll as the article writes it; a strike's figure is the range over its parts."""

    min: NonNegative | None = None
    max: NonNegative | None = None
    text: str
    start: NonNegative
    end: NonNegative
    attributed_to: str | None = Field(None, description="Who the article says gave this toll, when it says so.")


class Figure(BaseModel):
    min: NonNegative | None = None
    max: NonNegative | None = None
    text: str | None = None
    parts: list[FigurePart] = Field(
        default_factory=list,
        description='Each toll the article gives for this strike ("at least 19" on Sunday, "25" on Monday), '
        "with who gave it, when llmsum found the tolls in the text.",
    )

    @model_validator(mode="after")
    def _min_le_max(self) -> Figure:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        return self


class Location(BaseModel):
    name: str
    admin1: str | None = None
    country: str | None = None


class StrikeReport(BaseModel):
    event_date: str | None = None
    date_text: str | None = None
    attacker: str | None = None
    target_groups: list[str] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    facilities_struck: NonNegative | None = None
    killed: Figure = Field(default_factory=Figure)
    wounded: Figure = Field(default_factory=Figure)
    attributed_to: str | None = None
    background: bool = False
    evidence: list[Span] = Field(default_factory=list)

    _check_date = field_validator("event_date", mode="before")(_iso_date)


class OfficialReaction(BaseModel):
    speaker: str
    role: str | None = None
    affiliation: str | None = None
    stance: Stance = Stance.other
    quote: str | None = None
    summary: str | None = None
    about: int | None = None
    evidence: list[Span] = Field(default_factory=list)


class Usage(BaseModel):
    calls: NonNegative = 0
    prompt_tokens: NonNegative = 0
    completion_tokens: NonNegative = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )


class Problem(BaseModel):
    """Something llmsum noticed and did not silently fix: dropped fields, retries, failures."""

    model_config = ConfigDict(extra="allow")

    kind: str
    message: str


class ArticleExtraction(BaseModel):
    article: ArticleRef
    strikes: list[StrikeReport] = Field(default_factory=list)
    reactions: list[OfficialReaction] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    problems: list[Problem] = Field(default_factory=list)
    model: str | None = None
    prompt_hash: str | None = None
    failed: bool = Field(False, description="True when no usable answer was obtained for this article.")


# --------------------------------------------------------------------------- brief


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


class EventReaction(BaseModel):
    speaker: str
    role: str | None = None
    affiliation: str | None = None
    stance: Stance = Stance.other
    cameo: str | None = None
    quotes: list[Quote] = Field(default_factory=list)
    summaries: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)


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


class Failure(BaseModel):
    article_id: str
    kind: str
    message: str


class Brief(BaseModel):
    date: str | None = None
    events: list[Event] = Field(default_factory=list)
    articles: list[ArticleRef] = Field(default_factory=list)
    failures: list[Failure] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    texts: dict[str, str] = Field(
        default_factory=dict, exclude=True, description="Article texts, for the HTML view's highlights."
    )

    def to_markdown(self) -> str:
        from llmsum.render import to_markdown

        return to_markdown(self)

    def to_html(self) -> str:
        from llmsum.render import to_html

        return to_html(self)
