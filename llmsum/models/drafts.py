"""What the model is asked to fill: few fields, descriptions written for a model, no offsets.

Models cannot count characters, so drafts carry words and numbers only; grounding
(``llmsum.ground``) turns them into the published records, with spans, and nothing else does.
The field descriptions double as the prompt's field guide (``llmsum.llm.prompts.field_guide``).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic.json_schema import SkipJsonSchema

from llmsum.models.records import NonNegative, Stance


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
    # set by llmsum, never by the model (not in the schema; llmsum.llm.calls clears any a model sends): the
    # (start, end) of the passage an earlier attack was read from (``llmsum.prose.earlier``), so that grounding
    # reads that passage only
    passage: SkipJsonSchema[tuple[int, int] | None] = None


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
    # set by llmsum, not the model (not in the schema): the model judged this speaker takes no position
    # (no_reaction), so grounding keeps them only where the article's own words give one ("X vowed ...")
    no_position: SkipJsonSchema[bool] = False


MAX_STRIKES = 4
MAX_REACTIONS = 10
MAX_SPEAKERS = 12  # speakers judged in one call (llmsum.prose.speakers); a whole draft holds up to this many
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


# This docstring is part of the JSON schema sent to the model, so it is part of every recorded request
# (cassettes/): it keeps naming the speakers finder by its module's name before the layout moved it to
# llmsum.prose.speakers until the prompts are next re-recorded.
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
            none = verdict.stance == NO_REACTION
            out.append(
                ReactionDraft(
                    speaker=info.alias or name,
                    role=info.description,
                    affiliation=verdict.affiliation,
                    quote=verdict.quote,
                    stance=Stance.other if none else Stance(verdict.stance),
                    no_position=none,
                )
            )
        return out


def speaker_slots(speakers: list[tuple[str, str | None]]) -> type[SpeakerSlots]:
    """A draft model whose keys are the given speakers (name, title as written), in order."""
    fields: dict[str, Any] = {
        f"s{i}": (SpeakerVerdict, Field(alias=name, description=role)) for i, (name, role) in enumerate(speakers)
    }
    return create_model("SpeakerSlots", __base__=SpeakerSlots, **fields)
