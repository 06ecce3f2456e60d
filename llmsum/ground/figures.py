"""Figures: casualty counts and facility counts, kept only where the article writes them.

A figure is kept when its number is written near casualty (or target) words; for an article's one
main strike, every toll the text gives for it becomes a part of the figure, with its own span and
the source its sentence names (``llmsum.prose.casualties`` finds them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from llmsum.ground.ledger import Ledger
from llmsum.models import Figure, FigureDraft, FigurePart, MatchKind, Problem, ProblemKind, Span, StrikeReport
from llmsum.prose import sentences
from llmsum.prose.attribution import NEGATION, one_facility, source_of
from llmsum.prose.casualties import KILLED, KILLING, ONE_PERSON, StrikeScope, Toll, find_tolls, toll_range, tolls_for
from llmsum.prose.numbers import TARGET_WORDS, is_vague, numbers_in, read_figure, sums_nearby

KILLED_WORDS = re.compile(r"kill|dead|death|died|martyr|lives|slain|fatalit|toll|bodies", re.I)
WOUNDED_WORDS = re.compile(r"wound|injur|hurt|casualt", re.I)
_QUALIFIER_BEFORE = re.compile(
    r"\b(?:at least|more than|over|up to|as many as|nearly|almost|around|about|some)\s+$", re.I
)


def figure(g: Ledger, draft: FigureDraft, field_name: str, words: re.Pattern[str]) -> tuple[Figure, list[Span]]:
    """A figure is kept only if its number is written in the article near casualty words."""
    wanted = draft.min if draft.min is not None else draft.max
    if wanted is None and not draft.text:
        return Figure(), []
    phrase = g.span(draft.text, field_name) if draft.text else None
    if phrase is not None:
        phrase = _with_qualifier(g, phrase)
        parsed = read_figure(phrase.text, words)
        if (toll := _around(g, phrase, field_name)) is not None:
            end = max(phrase.end, toll.end)
            phrase = phrase.model_copy(update={"start": toll.start, "end": end, "text": g.text[toll.start : end]})
            parsed = toll.min, toll.max
        if toll is None and parsed is not None and words.search(phrase.text) and is_vague(phrase.text, words):
            # "several more wounded": the article gives words, not a number; the brief's coding reads them
            if wanted is not None:
                g.note(
                    ProblemKind.figure_corrected,
                    f"{field_name}: model said {draft.min}/{draft.max}, the text {phrase.text!r} gives no number",
                    field=field_name,
                )
            return Figure(text=phrase.text), [phrase]
        if parsed is not None and words.search(phrase.text):
            lo, hi = parsed
            if (lo, hi) != (draft.min, draft.max) and wanted is not None:
                g.problems.append(
                    Problem(
                        kind=ProblemKind.figure_corrected,
                        message=f"{field_name}: model said {draft.min}/{draft.max}, the text "
                        f"{phrase.text!r} reads {lo}/{hi}",
                        field=field_name,
                    )
                )
            return Figure(min=lo, max=hi, text=phrase.text), [phrase]
    if wanted is not None:
        lo, hi = draft.min, draft.max
        if lo is not None and hi is not None and lo > hi:
            lo, hi = hi, lo
        found = _number_near(g, lo if lo is not None else hi, words, field_name)
        if found is not None:
            spans = [found]
            if lo is not None and hi is not None and hi != lo:  # the other end of a range must be written too
                upper = _number_near(g, hi, words, field_name)
                if upper is None:
                    g.drop(f"{field_name}.max", hi, "this upper figure is not in the article")
                    hi = None
                else:
                    spans.append(upper)
            return Figure(min=lo, max=hi, text=found.text), spans
    if field_name == "killed" and phrase is not None and (one := _one_killed(g, phrase)) is not None:
        return one
    g.drop(field_name, draft.text or wanted, "the number is not written near casualty words in the article")
    return Figure(), []


_KILLING_BEFORE = re.compile(rf"\b(?:{KILLING}|killing of|death of|martyrdom of)\s+$", re.I)
# "X was killed", "X, a senior commander, was martyred", "X died"
_KILLED_AFTER = re.compile(
    rf"(?:,[^,.;]{{1,60}},)?\s+(?:(?:was|were|had been|has been)\s+(?!{NEGATION})(?:\w+\s+)?{KILLED}|died)\b", re.I
)


def _one_killed(g: Ledger, phrase: Span) -> tuple[Figure, list[Span]] | None:
    """ "killed the head of an Iranian-backed militia": no number, but one person named as killed; at
    least one died (others may have, the words do not say)."""
    lo, hi = sentences.sentence_bounds(g.text, phrase.start)
    before = g.text[max(lo, phrase.start - 25) : phrase.start]
    after = g.text[phrase.end : min(hi, phrase.end + 90)]
    if not (ONE_PERSON.match(phrase.text) and (_KILLING_BEFORE.search(before) or _KILLED_AFTER.match(after))):
        return None
    g.note(
        ProblemKind.figure_from_text,
        f"killed: {phrase.text!r} names one person killed: at least 1",
        field="killed",
    )
    return Figure(min=1, max=None, text=phrase.text), [phrase]


def _with_qualifier(g: Ledger, span: Span) -> Span:
    """Models often copy "25 fighters died" from "at least 25 fighters died": the qualifier
    just before the copied words changes the figure, so it joins the span."""
    before = g.text[max(0, span.start - 30) : span.start]
    m = _QUALIFIER_BEFORE.search(before)
    if m is None:
        return span
    start = span.start - (len(before) - m.start())
    return span.model_copy(update={"start": start, "text": g.text[start : span.end]})


def _around(g: Ledger, span: Span, field_name: str) -> Toll | None:
    """Models copy part of a toll: "five other contractors were injured" from "A US service member and
    five other contractors were injured", or its front only. The whole toll over the copied words is the
    figure."""
    for toll in find_tolls(g.text):
        if toll.kind == field_name and toll.start <= span.start < toll.end and not toll.adds:
            return toll
    return None


def _number_near(g: Ledger, value: int, words: re.Pattern[str], field_name: str) -> Span | None:
    for number in numbers_in(g.text):
        if number.value != value or number.vague:  # "a number of others" is no 2
            continue
        lo, hi = sentences.sentence_bounds(g.text, number.start)
        window = g.text[max(lo, number.start - 50) : min(hi, number.end + 50)]
        if words.search(window):
            return Span(
                text=g.text[number.start : number.end],
                start=number.start,
                end=number.end,
                field=field_name,
                match=MatchKind.number,
                score=100.0,
            )
    return None


def facility_count(g: Ledger, value: int | None) -> tuple[int | None, list[Span]]:
    if value is None:
        return None, []
    # a count of facilities counts them: "five sites", "three weapons storage facilities"; a number of
    # people killed at a headquarters is not a count of headquarters
    for number in numbers_in(g.text):
        if number.value == value and _COUNTED.match(g.text[number.end : number.end + 60]):
            return value, [g.found(number.start, number.end, "facilities_struck", MatchKind.number)]
    nums = numbers_in(g.text)
    for total, start, end in sums_nearby(nums, g.text):
        if total == value and TARGET_WORDS.search(g.text[slice(*sentences.sentence_bounds(g.text, start))]):
            return value, [
                Span(
                    text=g.text[start:end],
                    start=start,
                    end=end,
                    field="facilities_struck",
                    match=MatchKind.sum,
                    score=100.0,
                )
            ]
    g.drop("facilities_struck", value, "no such count of facilities or targets in the article")
    return None, []


_COUNTED = re.compile(rf"^\s+(?:[\w'’\-]+\s+){{0,3}}?\b(?!commanders?\b)(?:{TARGET_WORDS.pattern})", re.I)


def add_one_facility(g: Ledger, strike: StrikeReport) -> None:
    """The main strike hit one facility when the article says so in the singular ("a drone strike at
    a base", "destroyed Iran's consulate") and gives no count: facilities_struck 1, with those words
    as evidence."""
    if strike.facilities_struck is not None or (found := one_facility(g.text)) is None:
        return
    start, end = found
    strike.facilities_struck = 1
    strike.evidence.append(g.found(start, end, "facilities_struck", MatchKind.context))
    g.note(
        ProblemKind.facilities_from_text,
        f"facilities_struck 1: the article names one facility struck ({g.text[start:end]!r})",
        field="facilities_struck",
    )


def scope(strike: StrikeReport) -> StrikeScope:
    # not the date wording: "on Monday" names no strike ("Separately on Monday, a car bomb ...")
    return StrikeScope(
        strike.attacker, [*strike.target_groups, *(loc.name for loc in strike.locations)], strike.event_date
    )


def add_tolls(
    g: Ledger, strikes: list[StrikeReport], strike: StrikeReport, elsewhere: Sequence[tuple[int, int]] = ()
) -> None:
    """Give the article's one main strike every toll the text writes for it, as a range with parts. A toll inside one of
    ``elsewhere`` (the passages that tell of earlier attacks) is that attack's, whatever it names."""
    others = [scope(s) for s in strikes if s is not strike]
    text = g.text
    every = find_tolls(text)
    mine = [t for t in every if not any(lo <= t.start < hi for lo, hi in elsewhere)]
    found = tolls_for(text, scope(strike), others, mine, main=True)
    for name in ("killed", "wounded"):
        tolls = [t for t in found if t.kind == name]
        if not tolls:
            continue
        old: Figure = getattr(strike, name)
        old_spans = [sp for sp in strike.evidence if sp.field == name]

        # who gives each toll: named in its sentence, else the model's source if it is the model's figure
        matched: list[tuple[FigurePart, MatchKind]] = [
            (
                FigurePart(
                    min=lo,
                    max=hi,
                    text=text[start : t.end],
                    start=start,
                    end=t.end,
                    attributed_to=source_of(text, t.start, t.end)
                    or (strike.attributed_to if any(_overlaps(sp, t) for sp in old_spans) else None),
                ),
                how,
            )
            for t, (lo, hi, start, how) in zip(tolls, _counted(g, tolls), strict=True)
        ]
        # a figure the model found in wording these patterns miss is kept as one more part
        if old.min is not None and old_spans and not any(_overlaps(sp, t) for sp in old_spans for t in every):
            sp = old_spans[0]
            model_part = FigurePart(
                min=old.min, max=old.max, text=sp.text, start=sp.start, end=sp.end, attributed_to=strike.attributed_to
            )
            matched.append((model_part, MatchKind.toll))
        matched.sort(key=lambda pm: pm[0].start)
        parts = [p for p, _ in matched]
        lo, hi = toll_range(parts)
        text_as_written = " | ".join(dict.fromkeys(p.text for p in parts))
        figure = Figure(min=lo, max=hi, text=text_as_written, parts=parts)
        if (lo, hi) != (old.min, old.max):
            g.problems.append(
                Problem(
                    kind=ProblemKind.figure_from_text,
                    message=f"{name}: the model said {_range_text(old)}; the article's tolls for this strike "
                    f"read {_range_text(figure)} ({figure.text!r})",
                    field=name,
                )
            )
        spans = [Span(text=p.text, start=p.start, end=p.end, field=name, match=how, score=100.0) for p, how in matched]
        strike.evidence = [sp for sp in strike.evidence if sp.field != name] + spans
        setattr(strike, name, figure)


def _counted(g: Ledger, tolls: list[Toll]) -> list[tuple[int | None, int | None, int, MatchKind]]:
    """Each toll's (min, max), the start of its words and how they were read. One that tells of more
    victims than the tolls before it ("killed two commanders ... two other militiamen were killed";
    "killed 12 people. Four Syrians were also killed") is counted with them: the running sum, over the
    words from the first toll to its own (a sum, not a number the article writes)."""
    counted: list[tuple[int | None, int | None, int, MatchKind]] = []
    low: int | None = None  # the running sum; open above when a toll it adds up is ("at least 5")
    high: int | None = None
    first = 0
    for t in tolls:
        if t.adds and low is not None:
            low += t.min or 0
            high = None if high is None else high + (t.min or 0)
            counted.append((low, high, first, MatchKind.sum))
            g.note(
                ProblemKind.figure_from_text,
                f"{t.kind}: {g.text[t.start : t.end]!r} counted with the toll before it: {low}"
                f"{'' if high is not None else ' or more'} ({' '.join(g.text[first : t.end].split())[:160]!r})",
                field=t.kind,
            )
            continue
        counted.append((t.min, t.max, t.start, MatchKind.toll))
        if not t.adds:
            low, high, first = t.min, t.max, t.start
    return counted


def _overlaps(span: Span, toll: Toll) -> bool:
    return span.start < toll.end and toll.start < span.end


def _range_text(figure: Figure) -> str:
    if figure.min is None and figure.max is None:
        return "nothing"
    return f"{figure.min}..{'' if figure.max is None else figure.max}"
