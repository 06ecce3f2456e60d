"""Reconciling many articles' extractions into one brief: one event per real-world strike.

Deterministic and LLM-free. Reports join an event when attacker, target group or place, and
date (within one day: strikes near midnight, US vs local time) agree; an undated report joins
by place, group and facility count. Background mentions form their own events and never join
the day's main events. Every figure is kept with its source; disagreements are listed, not
averaged away.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from llmsum.models import (
    ArticleExtraction,
    Brief,
    Conflict,
    ConflictValue,
    Event,
    EventFigure,
    EventReaction,
    Failure,
    FigurePart,
    FigureReport,
    Location,
    OfficialReaction,
    Problem,
    Quote,
    Span,
    Stance,
    StrikeReport,
    Usage,
)
from llmsum.names import NameIndex, key, similarity

log = logging.getLogger(__name__)

DATE_TOLERANCE_DAYS = 1
UNDATED_WINDOW_DAYS = 7
CAMEO = {
    Stance.condemn: "111",  # criticize or denounce
    Stance.justify: "010",  # make statement
    Stance.threaten: "138",  # threaten with military force
    Stance.call_for_restraint: "0256",  # appeal for de-escalation of military engagement
    Stance.support: "051",  # praise or endorse
    Stance.other: "010",
}
_SCOPE_CIVILIAN = re.compile(r"civilian", re.I)


@dataclass
class _Report:
    article_id: str
    index: int
    strike: StrikeReport
    attacker: str | None
    groups: set[str]
    places: set[str]
    date: dt.date | None
    published: dt.date | None = None


@dataclass(eq=False)
class _Cluster:
    """A growing event, with the union of its reports' names kept up to date for cheap checks."""

    background: bool
    reports: list[_Report] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    attackers: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)
    published: set[dt.date] = field(default_factory=set)
    facilities: set[int] = field(default_factory=set)

    def add(self, report: _Report) -> None:
        self.reports.append(report)
        self.articles.add(report.article_id)
        if report.attacker:
            self.attackers.add(report.attacker)
        self.groups |= report.groups
        self.places |= report.places
        if report.date:
            self.dates.add(report.date)
        if report.published:
            self.published.add(report.published)
        if report.strike.facilities_struck:
            self.facilities.add(report.strike.facilities_struck)


class _Names:
    def __init__(self) -> None:
        self.actors = NameIndex("actors")
        self.groups = NameIndex("groups")
        self.places = NameIndex("places")
        self.people = NameIndex("people")

    @property
    def merges(self) -> list[dict[str, object]]:
        return self.actors.merges + self.groups.merges + self.places.merges + self.people.merges


def _as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _compatible(cluster: _Cluster, report: _Report) -> bool:
    if report.article_id in cluster.articles:
        return False  # one article's separate strikes stay separate events
    if report.attacker and cluster.attackers and report.attacker not in cluster.attackers:
        return False
    shared_group = not cluster.groups.isdisjoint(report.groups)
    shared_place = not cluster.places.isdisjoint(report.places)
    if report.date and cluster.dates:
        # every date of the event, not just the nearest: d-1, d, d+1 must not chain into one event
        if max(abs((report.date - d).days) for d in cluster.dates) > DATE_TOLERANCE_DAYS:
            return False
        return shared_group or shared_place
    # Undated on one side: the strike happened shortly before its article was published, so
    # reports published far apart (or far from the event's date) are different events.
    mine = {d for d in (report.date, report.published) if d}
    theirs = cluster.dates | cluster.published
    if mine and theirs and min(abs((a - b).days) for a in mine for b in theirs) > UNDATED_WINDOW_DAYS:
        return False
    # And demand more agreement.
    facilities = report.strike.facilities_struck
    same_count = bool(facilities) and facilities in cluster.facilities
    return (shared_place and shared_group) or (shared_place and same_count) or (shared_group and same_count)


def _cluster(reports: list[_Report]) -> list[_Cluster]:
    """Greedy clustering with indexes by day and by name, so each report meets only the few
    events it could belong to (10,000 reports in well under a second)."""
    clusters: list[_Cluster] = []
    by_day: dict[tuple[bool, dt.date], list[_Cluster]] = {}
    by_name: dict[tuple[bool, str], list[_Cluster]] = {}
    # Dated reports first, so undated ones meet fully formed events.
    for report in sorted(reports, key=lambda r: (r.date is None, r.date or dt.date.min, r.article_id, r.index)):
        bg = report.strike.background
        if report.date:
            keys = [
                (bg, report.date + dt.timedelta(days=k)) for k in range(-DATE_TOLERANCE_DAYS, DATE_TOLERANCE_DAYS + 1)
            ]
            pools = [by_day.get(k, []) for k in keys]
        else:
            pools = [by_name.get((bg, n), []) for n in sorted(report.groups | report.places)]
        best, best_score, seen = None, -1, set()
        for pool in pools:
            for cluster in pool:
                if id(cluster) in seen:
                    continue
                seen.add(id(cluster))
                if not _compatible(cluster, report):
                    continue
                score = len(cluster.groups & report.groups) + len(cluster.places & report.places)
                if score > best_score:
                    best, best_score = cluster, score
        if best is None:
            best = _Cluster(background=bg)
            clusters.append(best)
        best.add(report)
        if report.date:
            day_pool = by_day.setdefault((bg, report.date), [])
            if best not in day_pool:
                day_pool.append(best)
        for name in report.groups | report.places:
            name_pool = by_name.setdefault((bg, name), [])
            if best not in name_pool:
                name_pool.append(best)
    return clusters


def _figure(reports: list[_Report], name: str) -> EventFigure:
    figure_reports: list[FigureReport] = []
    for r in reports:
        fig = getattr(r.strike, name)
        if fig.min is None and fig.max is None:
            continue
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
    if lo is None:
        headline = f"up to {hi} {verb}"
    elif hi is None:
        headline = f"at least {lo} {verb}"
    elif lo == hi:
        headline = f"{lo} {verb}"
    else:
        headline = f"at least {lo} {verb}; reports range from {lo} to {hi}"
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


def _scope_headline(name: str, figure: EventFigure, places: re.Pattern[str] | None) -> None:
    """Tolls given per place are parts of one toll, not competing estimates: say so."""
    scopes = {_scope(f, places) for f in figure.reports}
    if len(figure.reports) < 2 or None in scopes or len(scopes) < 2:
        return
    parts = [f"{_range(f.min, f.max)} in {_scope(f, places)}" for f in figure.reports]
    figure.headline = f"{name}: " + "; ".join(dict.fromkeys(parts)) + " (tolls given per place)"


def _figure_conflicts(name: str, figure: EventFigure, places: re.Pattern[str] | None) -> list[Conflict]:
    """Different figures are a conflict unless they cover different scopes (tolls given per
    country, or for civilians only): those are kept side by side, not set against each other."""
    scoped = [(f, _scope(f, places)) for f in figure.reports]
    disagree = any(
        (a.min, a.max) != (b.min, b.max) and (sa is None or sb is None or sa == sb)
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


def _event(cluster: _Cluster, names: _Names, number: int) -> Event:
    reports = sorted(cluster.reports, key=lambda r: (r.article_id, r.index))
    date_counts = Counter(r.date for r in reports if r.date)
    event_date = sorted(date_counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if date_counts else None
    attacker = _most_common(r.attacker for r in reports)
    groups: list[str] = []
    for r in reports:
        groups += [g for g in sorted(r.groups) if g not in groups]
    locations: list[Location] = []
    seen_places: set[str] = set()
    for r in reports:
        for loc in r.strike.locations:
            canonical = names.places.resolve(loc.name).canonical
            if canonical not in seen_places:
                seen_places.add(canonical)
                locations.append(Location.model_construct(name=canonical, admin1=loc.admin1, country=loc.country))
    facility_counts = [r.strike.facilities_struck for r in reports if r.strike.facilities_struck is not None]
    killed = _figure(reports, "killed")
    wounded = _figure(reports, "wounded")
    conflicts: list[Conflict] = []
    for name, figure in (("killed", killed), ("wounded", wounded)):
        if len({(f.min, f.max) for f in figure.reports}) > 1:  # scopes only matter where figures differ
            places = _scope_pattern(tuple(sorted({p for loc in locations for p in (loc.country, loc.name) if p})))
            conflicts += _figure_conflicts(name, figure, places)
            _scope_headline(name, figure, places)
    if len(set(facility_counts)) > 1:
        conflicts.append(
            Conflict.model_construct(
                field="facilities_struck",
                values=[
                    ConflictValue.model_construct(value=r.strike.facilities_struck, article_id=r.article_id)
                    for r in reports
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
    )


def _quote_span(reaction: OfficialReaction) -> Span | None:
    return next((s for s in reaction.evidence if s.field == "quote"), None)


def _attach_reactions(
    events: list[Event],
    report_event: dict[tuple[str, int], Event],
    extractions: Sequence[ArticleExtraction],
    names: _Names,
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
                entry = EventReaction(
                    speaker=speaker,
                    role=reaction.role,
                    affiliation=reaction.affiliation,
                    stance=reaction.stance,
                    cameo=CAMEO[reaction.stance],
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


def reconcile(extractions: Sequence[ArticleExtraction], date: str | None = None) -> Brief:
    """Merge extractions into a ``Brief``. Same input, same output: no model, no randomness."""
    extractions = sorted(extractions, key=lambda ex: ex.article.id)  # input order must not matter
    names = _Names()
    reports: list[_Report] = []
    for ex in extractions:
        for i, strike in enumerate(ex.strikes):
            attacker = names.actors.resolve(strike.attacker).canonical if strike.attacker else None
            reports.append(
                _Report(
                    article_id=ex.article.id,
                    index=i,
                    strike=strike,
                    attacker=attacker,
                    groups={names.groups.resolve(g).canonical for g in strike.target_groups},
                    places={names.places.resolve(loc.name).canonical for loc in strike.locations},
                    date=_as_date(strike.event_date),
                    published=_as_date(ex.article.published),
                )
            )
    clusters = _cluster(reports)
    clusters.sort(key=lambda c: (c.background, min(c.dates) if c.dates else dt.date.max, sorted(c.articles)))
    events: list[Event] = []
    report_event: dict[tuple[str, int], Event] = {}
    for n, cluster in enumerate(clusters, start=1):
        event = _event(cluster, names, n)
        events.append(event)
        for r in cluster.reports:
            report_event[(r.article_id, r.index)] = event
    _attach_reactions(events, report_event, extractions, names)
    merges = names.merges
    by_canonical: dict[str, list[dict[str, object]]] = {}
    for merge in merges:
        by_canonical.setdefault(str(merge["merged_into"]), []).append(merge)
        log.info("merged %(kind)s %(name)r into %(merged_into)r (%(how)s, score %(score)s)", merge)
    for event in events:
        used = [event.attacker or "", *event.target_groups, *(loc.name for loc in event.locations)]
        used += [r.speaker for r in event.reactions]
        event.merges = [m for name in dict.fromkeys(used) for m in by_canonical.get(name, [])]
    failures = [
        Failure(article_id=ex.article.id, kind=p.kind, message=p.message)
        for ex in extractions
        if ex.failed
        for p in (ex.problems[-1:] or [Problem(kind="error", message="extraction failed (no reason recorded)")])
    ]
    usage = sum((ex.usage for ex in extractions), Usage())
    published = [ex.article.published for ex in extractions if ex.article.published]
    return Brief(
        date=date or (max(published) if published else None),
        events=events,
        articles=[ex.article.model_copy(update={"path": None}) for ex in extractions],
        failures=failures,
        usage=usage,
    )
