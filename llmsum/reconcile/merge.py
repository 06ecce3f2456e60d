"""Merging one event's reports: figures with every source, conflicts, and reactions by speaker.

Every figure is kept with its article and source; the headline is the most conservative credible
figure, and disagreements are listed, not averaged away. Tolls given per place are parts of one
toll, not a conflict.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from llmsum.models import (
    ArticleExtraction,
    Conflict,
    ConflictValue,
    Event,
    EventFigure,
    EventReaction,
    FigurePart,
    FigureReport,
    Location,
    OfficialReaction,
    Quote,
    Span,
)
from llmsum.models.codebooks import STANCE_CODES
from llmsum.prose.names import key, similarity
from llmsum.reconcile.cluster import Cluster, Names, Report
from llmsum.reconcile.coding import estimate

log = logging.getLogger(__name__)

_SCOPE_CIVILIAN = re.compile(r"civilian", re.I)


def _figure(reports: list[Report], name: str) -> EventFigure:
    figure_reports: list[FigureReport] = []
    for r in reports:
        fig = getattr(r.strike, name)
        if fig.min is None and fig.max is None and not fig.text:
            continue  # a figure with words and no number ("several wounded") is a report too: coding reads it
        span = next((s for s in r.strike.evidence if s.field == name), None)
        # several tolls in one article are each a report of its own, with their own source
        parts = fig.parts or [
            FigurePart.model_construct(
                min=fig.min,
                max=fig.max,
                text=fig.text,
                attributed_to=r.strike.attributed_to,
                start=span.start if span else None,
                end=span.end if span else None,
            )
        ]
        figure_reports += [
            FigureReport.model_construct(
                min=p.min,
                max=p.max,
                text=p.text,
                attributed_to=p.attributed_to,
                article_id=r.article_id,
                start=p.start,
                end=p.end,
            )
            for p in parts
        ]
    if not figure_reports:
        return EventFigure()
    lows = [f.min for f in figure_reports if f.min is not None]
    highs = [f.max for f in figure_reports if f.max is not None]
    lo = min(lows) if lows else None
    hi = max(highs) if highs else None
    if hi is not None and any(low > hi for low in lows):
        hi = None  # "at least 30" beside "25": no upper bound is credible
    verb = "killed" if name == "killed" else "wounded"
    if lo is None and hi is None:
        headline = f"{verb}: " + "; ".join(dict.fromkeys(f"{f.text!r}" for f in figure_reports)) + " (no number given)"
    elif lo is None:
        headline = f"up to {hi} {verb}"
    elif hi is None:
        headline = f"at least {lo} {verb}"
    elif lo == hi:
        headline = f"{lo} {verb}"
    else:
        headline = f"at least {lo} {verb}; reports range from {lo} to {hi}"
    words = [f.text for f in figure_reports if f.min is None and f.max is None and f.text]
    if words and (lo is not None or hi is not None):
        headline += "; also " + "; ".join(dict.fromkeys(f"{w!r}" for w in words)) + " (no number)"
    return EventFigure(min=lo, max=hi, headline=headline, reports=figure_reports)


def _scope_pattern(places: tuple[str, ...]) -> re.Pattern[str] | None:
    if not places:
        return None
    names = "|".join(re.escape(p) for p in sorted(places, key=len, reverse=True))
    return re.compile(rf"\bin (?:the )?({names})\b", re.I)


def _scope(report: FigureReport, pattern: re.Pattern[str] | None) -> str | None:
    """What part of the event a figure covers, when its wording says so: civilians only, or one
    of the event's countries or places ("25 killed in Iraq"). None: the whole event."""
    text = report.text or ""
    if _SCOPE_CIVILIAN.search(text):
        return "civilians"
    m = pattern.search(text) if pattern else None
    return m.group(1) if m else None


def _differ(a: FigureReport, b: FigureReport) -> bool:
    """Two numbers differ when they are not the same; words with no number ("a number of others
    wounded") differ only from a zero ("no one was injured"): some against none."""
    vague_a, vague_b = a.min is None and a.max is None, b.min is None and b.max is None
    if vague_a and vague_b:
        return False
    if vague_a or vague_b:
        other = b if vague_a else a
        return (other.min, other.max) == (0, 0)
    return (a.min, a.max) != (b.min, b.max)


def _numbers(figure: EventFigure) -> list[FigureReport]:
    """The reports that give a number: "several wounded" beside "six wounded" is no disagreement."""
    return [f for f in figure.reports if f.min is not None or f.max is not None]


def _scope_headline(name: str, figure: EventFigure, places: re.Pattern[str] | None) -> None:
    """Tolls given per place are parts of one toll, not competing estimates: say so."""
    numbers = _numbers(figure)
    scopes = {_scope(f, places) for f in numbers}
    if len(numbers) < 2 or None in scopes or len(scopes) < 2:
        return
    parts = [f"{_range(f.min, f.max)} in {_scope(f, places)}" for f in numbers]
    figure.headline = f"{name}: " + "; ".join(dict.fromkeys(parts)) + " (tolls given per place)"


def _figure_conflicts(name: str, figure: EventFigure, places: re.Pattern[str] | None) -> list[Conflict]:
    """Different figures are a conflict unless they cover different scopes (tolls given per
    country, or for civilians only): those are kept side by side, not set against each other."""
    scoped = [(f, _scope(f, places)) for f in figure.reports]
    disagree = any(
        _differ(a, b) and (sa is None or sb is None or sa == sb)
        for i, (a, sa) in enumerate(scoped)
        for b, sb in scoped[i + 1 :]
    )
    if not disagree:
        return []
    return [
        Conflict.model_construct(
            field=name,
            values=[
                ConflictValue.model_construct(
                    value=f.text or _range(f.min, f.max), article_id=f.article_id, attributed_to=f.attributed_to
                )
                for f, _ in scoped
            ],
        )
    ]


def _range(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is None:
        return f"at least {lo}"
    if lo is None:
        return f"up to {hi}"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _most_common(values: Iterable[str]) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def event_of(cluster: Cluster, names: Names, number: int) -> Event:
    reports = sorted(cluster.reports, key=lambda r: (r.article_id, r.index))
    date_counts = Counter(r.date for r in reports if r.date)
    event_date = sorted(date_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if date_counts else None
    attacker = _most_common(r.attacker for r in reports)
    groups: list[str] = []
    for r in reports:
        groups += [g for g in sorted(r.groups) if g not in groups]
    # a value no article writes stays marked: the attacker unless one report grounds it, a place's
    # admin1/country as the report that gave the place had them
    unverified = (
        ["attacker"]
        if attacker and all("attacker" in r.strike.unverified for r in reports if r.attacker == attacker)
        else []
    )
    locations: list[Location] = []
    seen_places: set[str] = set()
    for r in reports:
        for i, loc in enumerate(r.strike.locations):
            canonical = names.places.resolve(loc.name).canonical
            if canonical not in seen_places:
                seen_places.add(canonical)
                unverified += [
                    f"locations[{len(locations)}].{part}"
                    for part in ("admin1", "country")
                    if f"locations[{i}].{part}" in r.strike.unverified
                ]
                locations.append(Location.model_construct(name=canonical, admin1=loc.admin1, country=loc.country))
    # an event others report as news is counted from their reports: an article recalling it in passing
    # (a background mention) is a source of the event, not of its tolls or its count of sites
    counted = [r for r in reports if cluster.background or not r.strike.background]
    facility_counts = [r.strike.facilities_struck for r in counted if r.strike.facilities_struck is not None]
    killed = _figure(counted, "killed")
    wounded = _figure(counted, "wounded")
    conflicts: list[Conflict] = []
    for name, figure in (("killed", killed), ("wounded", wounded)):
        scopes = None
        told = figure.reports
        if any(
            _differ(a, b) for i, a in enumerate(told) for b in told[i + 1 :]
        ):  # scopes matter only where they differ
            places = _scope_pattern(tuple(sorted({p for loc in locations for p in (loc.country, loc.name) if p})))
            conflicts += _figure_conflicts(name, figure, places)
            _scope_headline(name, figure, places)
            scopes = [_scope(f, places) for f in figure.reports]
        estimate(figure, scopes)
    if len(set(facility_counts)) > 1:
        conflicts.append(
            Conflict.model_construct(
                field="facilities_struck",
                values=[
                    ConflictValue.model_construct(value=r.strike.facilities_struck, article_id=r.article_id)
                    for r in counted
                    if r.strike.facilities_struck is not None
                ],
            )
        )
    if len(date_counts) > 1:
        conflicts.append(
            Conflict.model_construct(
                field="event_date",
                values=[
                    ConflictValue.model_construct(
                        value=r.date.isoformat(), article_id=r.article_id, attributed_to=r.strike.date_text
                    )
                    for r in reports
                    if r.date
                ],
            )
        )
    place = key(locations[0].name).replace(" ", "-")[:24] if locations else "unknown"
    day = event_date.isoformat() if event_date else "undated"
    return Event(
        event_id=f"EV-{day}-{place}-{number}",
        event_date=event_date.isoformat() if event_date else None,
        attacker=attacker,
        target_groups=groups,
        locations=locations,
        facilities_struck=min(facility_counts) if facility_counts else None,
        killed=killed,
        wounded=wounded,
        articles=sorted(cluster.articles),
        background=cluster.background,
        conflicts=conflicts,
        unverified=unverified,
        attached_by_evidence=sorted(cluster.attached),
    )


def _quote_span(reaction: OfficialReaction) -> Span | None:
    return next((s for s in reaction.evidence if s.field == "quote"), None)


def attach_reactions(
    events: list[Event],
    report_event: dict[tuple[str, int], Event],
    extractions: Sequence[ArticleExtraction],
    names: Names,
) -> None:
    by_event: dict[str, dict[str, EventReaction]] = {e.event_id: {} for e in events}
    roles: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for ex in extractions:
        main = [i for i, s in enumerate(ex.strikes) if not s.background]
        for reaction in ex.reactions:
            about = reaction.about if reaction.about is not None else (main[0] if main else None)
            event = report_event.get((ex.article.id, about)) if about is not None else None
            if event is None and main:
                event = report_event.get((ex.article.id, main[0]))
            if event is None:
                log.info("%s: reaction of %r has no strike to attach to", ex.article.id, reaction.speaker)
                continue
            speaker = names.people.resolve(reaction.speaker).canonical
            entry = by_event[event.event_id].get(speaker)
            if entry is None:
                codes = STANCE_CODES[reaction.stance]
                entry = EventReaction(
                    speaker=speaker,
                    role=reaction.role,
                    affiliation=reaction.affiliation,
                    stance=reaction.stance,
                    cameo=codes.cameo,
                    plover_event=codes.plover,
                    plover_mode=codes.mode,
                    plover_context=list(codes.context),
                    unverified=[f for f in reaction.unverified if f == "affiliation"],
                )
                by_event[event.event_id][speaker] = entry
            if reaction.speaker != speaker and reaction.speaker not in entry.aliases:
                entry.aliases.append(reaction.speaker)
            if ex.article.id not in entry.articles:
                entry.articles.append(ex.article.id)
            if reaction.quote:
                span = _quote_span(reaction)
                entry.quotes.append(
                    Quote(
                        text=reaction.quote,
                        article_id=ex.article.id,
                        start=span.start if span else None,
                        end=span.end if span else None,
                    )
                )
            if reaction.summary:
                entry.summaries.append(reaction.summary)
            if reaction.role:
                roles.setdefault((event.event_id, speaker), []).append((reaction.role, ex.article.id))
    for event in events:
        event.reactions = list(by_event[event.event_id].values())
        for reaction in event.reactions:
            seen = roles.get((event.event_id, reaction.speaker), [])
            distinct: list[str] = []
            for role, _ in seen:
                if all(similarity(role, d) < 85 for d in distinct):
                    distinct.append(role)
            if len(distinct) > 1:
                event.conflicts.append(
                    Conflict.model_construct(
                        field=f"role of {reaction.speaker}",
                        values=[ConflictValue(value=r, article_id=a) for r, a in seen],
                    )
                )
