"""Grounding: every quote, name, place and figure is located in the article or dropped.

Nothing ungrounded is kept silently: each dropped value becomes a ``Problem`` naming the field
and the reason, and each kept one carries an evidence span (verbatim slice + offsets + how it
matched).
"""

from __future__ import annotations

from pydantic import BaseModel

from llmsum.ground.figures import add_one_facility, add_tolls
from llmsum.ground.ledger import NAME_THRESHOLD, QUOTE_THRESHOLD, Ledger
from llmsum.ground.reactions import distinct, reaction
from llmsum.ground.strikes import (
    add_claimant,
    add_group,
    add_partner,
    add_region,
    date_before_main,
    earlier_strike,
    fix_swapped,
    only_main,
    strike,
)
from llmsum.models import Article, ArticleDraft, MatchKind, OfficialReaction, Problem, ProblemKind, StrikeReport
from llmsum.prose import align
from llmsum.prose.names import is_country_level

__all__ = ["check_draft", "ground"]


def ground(article: Article, draft: ArticleDraft) -> tuple[list[StrikeReport], list[OfficialReaction], list[Problem]]:
    """Turn a model's draft into grounded contract records plus the problems found."""
    g = Ledger(article)
    strikes: list[StrikeReport] = []
    seen: dict[str, int] = {}
    kept_at: dict[int, int] = {}  # the model's strike index -> its index after drops, for `about`
    passages: list[tuple[int, int]] = []  # where the kept earlier attacks are told: their tolls are theirs
    for i, s in enumerate(draft.strikes):
        fingerprint = s.model_dump_json()
        if fingerprint in seen:  # small models repeat list items verbatim
            g.problems.append(
                Problem(kind=ProblemKind.duplicate_strike, message="the model listed the same strike twice")
            )
            if seen[fingerprint] in kept_at:
                kept_at[i] = kept_at[seen[fingerprint]]
            continue
        seen[fingerprint] = i

        report = strike(g, s) if s.passage is None else earlier_strike(g, s, s.passage)
        if not any(span.field != "attacker" and span.match != "context" for span in report.evidence):
            # nothing about it (target, place, date, figure) is in the article: an invented strike
            g.problems.append(
                Problem(
                    kind=ProblemKind.ungrounded_strike,
                    message=f"strike by {s.attacker!r} dropped: none of its targets, "
                    "places, date or figures are in the article",
                )
            )
            continue
        if _generic(report):
            # "recent US strikes on Houthi targets" in an article about something else: no day, no
            # place below a country, no figure. An article that reports a strike says when or where.
            g.note(
                ProblemKind.generic_strike,
                f"strike by {s.attacker!r} dropped: the article names no date, place below country level or "
                "figure for it, so it mentions strikes in general rather than reporting one",
            )
            continue
        if s.passage is not None and (main_day := _repeats(report, strikes)):
            # a passage llmsum took for an earlier attack that the model read as the reported one
            g.note(
                ProblemKind.duplicate_strike,
                f"background strike by {s.attacker!r} dropped: it has the reported strike's day, {main_day}",
            )
            continue
        kept_at[i] = len(strikes)
        strikes.append(report)
        if s.passage is not None:
            passages.append(s.passage)
    if (main := only_main(strikes)) is not None:
        add_tolls(g, strikes, main, passages)
        add_one_facility(g, main)
        fix_swapped(g, main)
        add_group(g, main)
        add_claimant(g, main)
        add_partner(g, main, passages)
        add_region(g, main, passages)
        for s in strikes:
            if s.background:
                date_before_main(g, s, main)
    speakers = [r.speaker for r in draft.reactions]
    reactions = []
    if not strikes and draft.reactions:
        # a reaction is a statement about a strike: an article that reports none has none to react to
        g.note(
            ProblemKind.not_a_reaction,
            f"{len(draft.reactions)} statement(s) dropped: the article reports no strike they could be about",
        )
        return strikes, reactions, g.problems
    for d in draft.reactions:
        about = kept_at.get(d.about) if d.about is not None else None
        target = strikes[about] if about is not None else main
        # one the model judged to take no position is tried on a scratch ledger: only if the text gives them
        # one do the quotation and flags found on the way count (a stray flag would sway ``distinct``)
        ledger = Ledger(article) if d.no_position else g
        r = reaction(ledger, d.model_copy(update={"about": about}), speakers, len(strikes), target)
        if ledger is not g:
            g.problems += ledger.problems if r is not None else ledger.problems[-1:]
        if r is not None:
            reactions.append(r)
    return strikes, distinct(g, reactions), g.problems


def check_draft(draft: BaseModel, article: Article) -> list[str]:
    """What a re-ask should tell the model: each quote, name or figure not found in the article.

    Works on a whole draft or on either half of a two-call extraction."""
    text = article.text
    complaints: list[str] = []
    for r in getattr(draft, "reactions", []):
        if r.quote and align.find(r.quote, text, threshold=QUOTE_THRESHOLD) is None:
            complaints.append(f"quote of {r.speaker}: {r.quote!r}")
        if align.find(r.speaker, text, threshold=NAME_THRESHOLD) is None and not (
            r.role and align.find(r.role, text, threshold=NAME_THRESHOLD)
        ):
            complaints.append(f"speaker {r.speaker!r}")
    for i, s in enumerate(getattr(draft, "strikes", [])):
        for g in s.target_groups:
            if align.find(g, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].target_groups: {g!r}")
        for loc in s.locations:
            if align.find(loc.name, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].locations: {loc.name!r}")
        for name, fig in (("killed", s.killed), ("wounded", s.wounded)):
            if fig.text and align.find(fig.text, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].{name}.text: {fig.text!r}")
    return complaints


def _repeats(strike: StrikeReport, kept: list[StrikeReport]) -> str | None:
    """The day of a reported (not background) strike that ``strike`` shares, or None. An earlier attack
    is earlier: one on the reported strike's own day is that strike told again."""
    if strike.event_date is None:
        return None
    same = [s.event_date for s in kept if not s.background and s.event_date == strike.event_date]
    return same[0] if same else None


def _generic(strike: StrikeReport) -> bool:
    """No day, no place below a country, no figure. A day llmsum found next to a strike word does not
    count ("sanctions on Tuesday, after recent strikes" dates the sanctions), nor the date line's, nor
    wording that resolves to no day ("recent", or "Monday" in an article with no date line)."""
    if strike.background:
        return False
    if strike.event_date and any(s.field == "date_text" and s.match != MatchKind.context for s in strike.evidence):
        return False  # the article's own words give the day ("Monday" in an undated article gives none)
    if any(not is_country_level(loc.name, loc.country) for loc in strike.locations):
        return False
    figures = (strike.killed.min, strike.killed.max, strike.wounded.min, strike.wounded.max, strike.facilities_struck)
    return all(value is None for value in figures)
