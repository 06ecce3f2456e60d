"""The published records: what grounding produces from a draft, with evidence spans.

Two layers on purpose. The *drafts* (``llmsum.models.drafts``) are what the LLM is asked to fill;
these *contract* models (``StrikeReport``, ``OfficialReaction``, ``ArticleExtraction``) carry the field
names of the public contract plus evidence spans, and are only produced by grounding, never by the
model directly. The closed vocabularies every stage writes (how a span matched, what kind of problem
was noticed) are enums here, documented in one place.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NonNegative = Annotated[int, Field(ge=0)]


class Stance(StrEnum):
    condemn = "condemn"
    justify = "justify"
    threaten = "threaten"
    call_for_restraint = "call_for_restraint"
    support = "support"
    other = "other"


class MatchKind(StrEnum):
    """How an evidence span was found in the article. Every span is a verbatim slice of the text;
    this says how much the model's words had to be bent to find it."""

    exact = "exact"  # the model's words, character for character
    normalized = "normalized"  # the same words once case, quotes, dashes, accents and spaces are folded
    fuzzy = "fuzzy"  # close enough (rapidfuzz score in ``Span.score``); widened to whole words
    number = "number"  # the figure's number written near casualty or target words
    sum = "sum"  # figures that add up: per place ("three in Iraq and two in Syria"), or more victims ("N others")
    context = "context"  # found by llmsum in the text, not copied by the model (a date or group next to the strike)
    toll = "toll"  # a casualty toll llmsum read in the text for the main strike
    quoted = "quoted"  # the part of the model's words that the article puts in quotation marks
    beside = "beside"  # the quotation next to the speaker's name, taken when the model gave none
    alias = "alias"  # the model's name is not written, but another name of the same entity is (data/aliases.json)


class ProblemKind(StrEnum):
    """Everything llmsum notices and does not silently fix, as it appears in ``problems`` and ``failures``."""

    # loading: the file or record could not become an article
    missing = "missing"
    unknown_type = "unknown_type"
    unreadable = "unreadable"
    empty = "empty"
    binary = "binary"
    undecodable = "undecodable"
    invalid = "invalid"
    too_long = "too_long"
    bad_json = "bad_json"
    bad_record = "bad_record"
    duplicate_id = "duplicate_id"
    bad_html = "bad_html"
    no_text = "no_text"
    # loading: the article loaded, but part of its metadata did not (kept on the article, then in its extraction)
    bad_published = "bad_published"
    # extraction: the model call and its policy
    cached = "cached"
    duplicate = "duplicate"
    retry = "retry"
    reask = "reask"
    rejected = "rejected"
    ungrounded_after_reask = "ungrounded_after_reask"
    truncated = "truncated"
    rate_limited = "rate_limited"
    timeout = "timeout"
    connection = "connection"
    api_error = "api_error"
    invalid_answer = "invalid_answer"
    error = "error"
    circuit_open = "circuit_open"  # not asked: the server failed every call before (llmsum.llm.client.Breaker)
    internal_error = "internal_error"
    cache_write_failed = "cache_write_failed"
    # the reactions half of a two-call extraction failed; the strikes were kept
    reactions_truncated = "reactions_truncated"
    reactions_rate_limited = "reactions_rate_limited"
    reactions_timeout = "reactions_timeout"
    reactions_connection = "reactions_connection"
    reactions_api_error = "reactions_api_error"
    reactions_invalid_answer = "reactions_invalid_answer"
    reactions_error = "reactions_error"
    reactions_circuit_open = "reactions_circuit_open"
    # the call on an earlier attack's passage failed (its kind and reason in the message); the rest was kept
    earlier_failed = "earlier_failed"
    # grounding: a value dropped, corrected, flagged or added from the text
    ungrounded = "ungrounded"
    ungrounded_strike = "ungrounded_strike"
    generic_strike = "generic_strike"
    unverified = "unverified"
    duplicate_strike = "duplicate_strike"
    figure_corrected = "figure_corrected"
    figure_from_text = "figure_from_text"
    group_from_text = "group_from_text"
    date_unresolved = "date_unresolved"
    date_from_context = "date_from_context"
    date_from_dateline = "date_from_dateline"
    not_a_reaction = "not_a_reaction"
    not_a_quote = "not_a_quote"
    possible_misattribution = "possible_misattribution"
    quote_from_text = "quote_from_text"
    stance_from_text = "stance_from_text"
    attacker_from_claim = "attacker_from_claim"
    attacker_from_text = "attacker_from_text"
    facilities_from_text = "facilities_from_text"
    # a region of the country the model gave, from the strike's sentence ("eastern Syria")
    place_from_text = "place_from_text"
    # a bare speaker name written of two countries' bodies, named (or its evidence moved) where they speak
    speaker_from_text = "speaker_from_text"

    @property
    def reactions_half(self) -> ProblemKind:
        """The same failure, when only the reactions call of a two-call extraction had it."""
        return ProblemKind(f"reactions_{self.value}")


def _iso_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        dt.date.fromisoformat(value)  # raises on 2024-02-31
        return value
    raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}")


class Problem(BaseModel):
    """Something llmsum noticed and did not silently fix: dropped fields, retries, failures."""

    model_config = ConfigDict(extra="allow")

    kind: ProblemKind
    message: str


# --------------------------------------------------------------------------- articles


class Article(BaseModel):
    """One loaded, normalised article. ``text`` is what every evidence offset points into."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None
    text: str
    problems: list[Problem] = Field(
        default_factory=list,
        description="What loading noticed about this article (a publication date it could not read); "
        "extract() copies them into the extraction's problems. Never sent to the model.",
    )

    _check_date = field_validator("published", mode="before")(_iso_date)


class ArticleRef(BaseModel):
    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    path: str | None = None


# --------------------------------------------------------------------------- contract (published)


class Span(BaseModel):
    """A piece of the normalised article text: ``text == article.text[start:end]``."""

    text: str
    start: NonNegative
    end: NonNegative
    field: str | None = Field(None, description="Which field this span supports, e.g. 'killed' or 'quote'.")
    match: MatchKind | None = Field(None, description="How it was found (see MatchKind).")
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
    unverified: list[str] = Field(
        default_factory=list,
        description="Fields kept as the model's words although the article does not write them (e.g. "
        "'attacker', 'locations[0].country'): shown marked as unverified, never as plain fact.",
    )

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
    unverified: list[str] = Field(
        default_factory=list, description="Fields kept as the model's words although the article does not write them."
    )


class Usage(BaseModel):
    calls: NonNegative = 0
    prompt_tokens: NonNegative = 0
    completion_tokens: NonNegative = 0
    prompt_tokens_evaluated: NonNegative | None = Field(
        None,
        description="Prompt tokens the server actually evaluated, the rest being reused from its prompt cache; "
        "null where the server does not say (llama.cpp reports it, OpenAI does not).",
    )

    def __add__(self, other: Usage) -> Usage:
        if not other.calls:
            evaluated = self.prompt_tokens_evaluated
        elif not self.calls:
            evaluated = other.prompt_tokens_evaluated
        elif self.prompt_tokens_evaluated is None or other.prompt_tokens_evaluated is None:
            evaluated = None  # a sum over calls of which some are unknown would understate the cost
        else:
            evaluated = self.prompt_tokens_evaluated + other.prompt_tokens_evaluated
        return Usage(
            calls=self.calls + other.calls,
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
            prompt_tokens_evaluated=evaluated,
        )


class ArticleExtraction(BaseModel):
    article: ArticleRef
    strikes: list[StrikeReport] = Field(default_factory=list)
    reactions: list[OfficialReaction] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    problems: list[Problem] = Field(default_factory=list)
    model: str | None = None
    prompt_hash: str | None = None
    failed: bool = Field(False, description="True when no usable answer was obtained for this article.")
