"""Clustering reports into events: which strikes, from which articles, are the same real strike.

Reports join an event when attacker, target group or place, and date (within one day: strikes near
midnight, US vs local time) are compatible, and no two strikes in different countries are one;
a report with no date joins the one event it fits best on attacker, targets, places, tolls and
facility count.
Background mentions form their own events; one with no day joins an event other articles report as
news only at that event's place and when its article came out after it. Indexes by day and by name
keep this near-linear on long feeds.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from llmsum.models import StrikeReport
from llmsum.prose.names import NameIndex, is_country_level, key, variants

DATE_TOLERANCE_DAYS = 1
UNDATED_WINDOW_DAYS = 7
# A report with no date joins the event it fits best only when it fits that one better than any other.
CLEAR_MARGIN = 1

log = logging.getLogger(__name__)


@dataclass
class Report:
    article_id: str
    index: int
    strike: StrikeReport
    attacker: str | None
    groups: set[str]
    places: set[str]
    date: dt.date | None
    published: dt.date | None = None
    countries: set[str] = field(default_factory=set)
    stated: set[str] = field(default_factory=set)  # countries written, not guessed from a city's name
    cities: set[str] = field(default_factory=set)  # cities the gazetteer finds in its places
    members: frozenset[str] = frozenset()  # the attacker's members: each state of a coalition
    # each target group with the coalitions it belongs to ("Harakat al-Nujaba" is in the PMF too)
    kin: dict[str, frozenset[str]] = field(default_factory=dict)
    text: str = ""  # the article's text, folded (names.key), where reconcile was given it


@dataclass(eq=False)
class Cluster:
    """A growing event, with the union of its reports' names kept up to date for cheap checks."""

    background: bool
    reports: list[Report] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    attackers: set[str] = field(default_factory=set)
    groups: set[str] = field(default_factory=set)
    kin: set[str] = field(default_factory=set)  # the groups and their coalitions
    places: set[str] = field(default_factory=set)
    dates: set[dt.date] = field(default_factory=set)
    published: set[dt.date] = field(default_factory=set)
    facilities: set[int] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    stated: set[str] = field(default_factory=set)  # countries written, not guessed from a city's name
    cities: set[str] = field(default_factory=set)
    members: list[frozenset[str]] = field(default_factory=list)
    killed: set[int] = field(default_factory=set)
    wounded: set[int] = field(default_factory=set)
    attached: set[str] = field(default_factory=set)  # undated articles joined on attacker and target or place
    texts: dict[str, str] = field(default_factory=dict)  # article id -> folded text

    def add(self, report: Report) -> None:
        self.reports.append(report)
        self.articles.add(report.article_id)
        if report.text:
            self.texts[report.article_id] = report.text
        if report.attacker:
            self.attackers.add(report.attacker)
        self.groups |= report.groups
        for names in report.kin.values():
            self.kin |= names
        self.places |= report.places
        self.countries |= report.countries
        self.stated |= report.stated
        self.cities |= report.cities
        if report.members and report.members not in self.members:
            self.members.append(report.members)
        for name, seen in (("killed", self.killed), ("wounded", self.wounded)):
            if (self.background or not report.strike.background) and (figure := _figure(report, name)) is not None:
                seen.add(figure)
        if report.date:
            self.dates.add(report.date)
        if report.published and (self.background or not report.strike.background):
            self.published.add(report.published)  # a recall weeks later says nothing of when the strike was
        if report.strike.facilities_struck:
            self.facilities.add(report.strike.facilities_struck)


class Names:
    def __init__(self) -> None:
        self.actors = NameIndex("actors")
        self.groups = NameIndex("groups")
        self.places = NameIndex("places")
        self.people = NameIndex("people")

    @property
    def merges(self) -> list[dict[str, object]]:
        return self.actors.merges + self.groups.merges + self.places.merges + self.people.merges


def as_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def mine_dates(report: Report) -> bool:
    """Whether the report has any date to place it in time: its strike's or its article's."""
    return report.date is not None or report.published is not None


def _figure(report: Report, name: str) -> int | None:
    """A toll as the number an outlet leads with ("17", "at least 17": 17), or None when the report
    gives none or only zero: "no casualties" is said of too many strikes to tell them apart."""
    figure = getattr(report.strike, name)
    return figure.min or figure.max or None


def attackers_agree(cluster: Cluster, report: Report) -> bool:
    """Outlets name one attacker differently: a coalition ("the United States and the United
    Kingdom") holds each of its members, a command of a state's military is that state (resolved
    into ``members`` from the alias data). Unknown on either side agrees with anything."""
    if not report.members or not cluster.members:
        return True
    return all(m <= report.members or report.members <= m for m in cluster.members)


def _related_groups(cluster: Cluster, report: Report) -> bool:
    """The event and the report name a target group in common, or a group and its coalition
    ("Harakat al-Nujaba" and "the Popular Mobilization Forces"): compatible, though weaker evidence
    than the same name, so scores count only the same names. Two brigades of one coalition are not
    one target."""
    return any(g in cluster.kin or not names.isdisjoint(cluster.groups) for g, names in report.kin.items())


def _shared_place(cluster: Cluster, report: Report) -> bool:
    """The same place below country level: the same name, or the same city named in both
    ("Palestine Street, eastern Baghdad" and "Baghdad")."""
    return not cluster.places.isdisjoint(report.places) or not cluster.cities.isdisjoint(report.cities)


def _elsewhere(cluster: Cluster, report: Report) -> bool:
    """Both sides write which countries, and none is shared: a different strike, not a vaguer
    description of the same one. A country guessed from a city's name helps a join but cannot veto
    one: too many city names are also towns abroad."""
    return bool(cluster.stated) and bool(report.stated) and cluster.countries.isdisjoint(report.countries)


def _named(folded_text: str, place: str) -> bool:
    return any(len(v) > 3 and f" {v} " in folded_text for v in variants(place, "places"))


def _places_in_texts(cluster: Cluster, report: Report) -> int:
    """1 when a place of one side (below country level) is written in the other side's articles,
    though their reports did not list it: an article whose strike the model placed only where part of
    a wave fell, but which names the city the event's other reports give; a base named in passing by
    an article that placed the attack at another one. One point at most, so that an event with many
    places does not draw every undated article."""
    if not report.text and not cluster.texts:
        return 0
    theirs = {p for p in cluster.places - report.places if not is_country_level(p)}
    mine = {p for p in report.places - cluster.places if not is_country_level(p)}
    if report.text and any(_named(report.text, p) for p in theirs):
        return 1
    return int(any(_named(t, p) for p in mine for t in cluster.texts.values()))


def undated_evidence(cluster: Cluster, report: Report) -> int | None:
    """How strongly a report with no date at all matches an event, or None when it does not fit.

    With no date, only what the strike was can tie it to an event: it must name an attacker that
    agrees with the event's, happen in the same countries as far as both say, and share a target
    group or a place below country level, or else a country and the same toll. Each further
    agreement (a toll, the number of sites struck, a place of the event its article writes) adds to
    the score. Where either side's attacker is unknown, it takes a place and one more agreement; a
    place of the event that the article writes outweighs a country the report alone gives."""
    if not attackers_agree(cluster, report):
        return None
    in_texts = _places_in_texts(cluster, report)
    known = bool(report.members) and bool(cluster.members)
    if _elsewhere(cluster, report) and not (in_texts and known):
        return None
    groups = len(cluster.groups & report.groups)
    named = {key(p) for p in report.places}  # a city named as the place itself counts once
    places = len(cluster.places & report.places) + len((cluster.cities & report.cities) - named)
    country = not cluster.countries.isdisjoint(report.countries)
    figures = sum(
        (figure := _figure(report, name)) is not None and figure in seen
        for name, seen in (("killed", cluster.killed), ("wounded", cluster.wounded))
    )
    facilities = report.strike.facilities_struck
    same_count = bool(facilities) and facilities in cluster.facilities
    related = groups or _related_groups(cluster, report)
    if not report.members or not cluster.members:
        if not ((places or in_texts) and (related or figures or same_count)):
            return None
    elif not (related or places or in_texts or (country and (figures or same_count))):
        return None
    return groups + 2 * places + in_texts + country + figures + same_count


def _compatible(cluster: Cluster, report: Report) -> bool:
    """For a report with a date of its own or its article's; one with none is weighed by
    ``undated_evidence`` alone."""
    if report.article_id in cluster.articles:
        return False  # one article's separate strikes stay separate events
    if not attackers_agree(cluster, report):
        return False
    shared_group = _related_groups(cluster, report)
    shared_place = _shared_place(cluster, report)
    if report.date and cluster.dates:
        # every date of the event, not just the nearest: d-1, d, d+1 must not chain into one event
        if max(abs((report.date - d).days) for d in cluster.dates) > DATE_TOLERANCE_DAYS:
            return False
        if _elsewhere(cluster, report):
            return False  # the same group struck on one day in two countries: two strikes
        # One attacker's strikes in one country within a day are one wave, whatever precision each
        # outlet gives the places ("Iraq and Syria", two districts, "eastern Syria").
        same_country = not cluster.countries.isdisjoint(report.countries)
        same_wave = bool(report.members) and bool(cluster.members) and same_country
        return shared_group or shared_place or same_wave
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


def _may_be(cluster: Cluster, report: Report) -> bool:
    """Whether an earlier attack an article mentions without a day may be ``cluster``'s strike: one
    before the article, at a place the event names (below country level). Attacker and target alone
    do not do: the same side strikes the same group again and again, and the article recalls one of
    those strikes, not necessarily the one other outlets report. A reported strike is not held to it."""
    if not report.strike.background:
        return True
    before = not (report.published and cluster.dates and min(cluster.dates) >= report.published)
    return before and _shared_place(cluster, report)


def _names(report: Report) -> set[str]:
    """Index keys a report with no strike date is looked up by: its groups, places, cities and countries."""
    return (
        {name for names in report.kin.values() for name in names}
        | report.places
        | {f"city:{c}" for c in report.cities}
        | {f"country:{c}" for c in report.countries}
    )


def _traits(report: Report) -> set[str]:
    """More keys for a report with no date at all, whose article may name the event's places only in
    passing: its attacker and its tolls."""
    figures = {f"{name}:{figure}" for name in ("killed", "wounded") if (figure := _figure(report, name)) is not None}
    return {f"actor:{m}" for m in report.members} | figures


def cluster_reports(reports: list[Report]) -> list[Cluster]:
    """Greedy clustering with indexes by day and by name, so each report meets only the few
    events it could belong to (10,000 reports in well under a second).

    A report with no date at all is attached, marked as attached by evidence, to the one event it
    fits; where two events fit it stays an event of its own, as a wrong merge is as bad as a split."""
    clusters: list[Cluster] = []
    # pools are insertion-ordered sets (dicts), so adding an event to a busy day or country is O(1)
    by_day: dict[tuple[bool, dt.date], dict[int, Cluster]] = {}
    by_name: dict[tuple[bool, str], dict[int, Cluster]] = {}
    # Dated reports first, so undated ones meet fully formed events.
    # Reported strikes before mentions, so an earlier attack recalled in passing meets the events others
    # report as news, never starts one they cannot join.
    ordered = sorted(
        reports, key=lambda r: (r.strike.background, r.date is None, r.date or dt.date.min, r.article_id, r.index)
    )
    for report in ordered:
        bg = report.strike.background
        # an earlier attack one article mentions may be the news other articles report: it may join their
        # event (never its own article's: that one reports another strike as news); a reported strike
        # never joins an event known only from mentions
        sides = (True, False) if bg else (False,)
        if report.date:
            days = [report.date + dt.timedelta(days=k) for k in range(-DATE_TOLERANCE_DAYS, DATE_TOLERANCE_DAYS + 1)]
            pools = [by_day.get((side, day), {}) for side in sides for day in days]
        else:
            undated_keys = set() if mine_dates(report) else _traits(report)
            pools = [by_name.get((side, n), {}) for side in sides for n in sorted(_names(report) | undated_keys)]
        best, best_score, runner_up, seen = None, -1, -1, set()
        best_by_evidence = False
        for pool in pools:
            for cluster in pool.values():
                if id(cluster) in seen:
                    continue
                seen.add(id(cluster))
                # an earlier attack with no day of its own, against an event reported as news: its article's
                # date says only that it came before, so what the strike was must tie it to the event
                undated = not mine_dates(report) or (bg and report.date is None and not cluster.background)
                if undated:  # its evidence is its compatibility: weighed once
                    mine = report.article_id in cluster.articles
                    found = None if mine or not _may_be(cluster, report) else undated_evidence(cluster, report)
                    if found is None:
                        continue
                    score = found
                elif not _compatible(cluster, report):
                    continue
                else:
                    facilities = report.strike.facilities_struck
                    score = len(cluster.groups & report.groups) + len(cluster.places & report.places)
                    score += bool(facilities) and facilities in cluster.facilities
                if score > best_score:
                    best, best_score, runner_up, best_by_evidence = cluster, score, best_score, undated
                else:
                    runner_up = max(runner_up, score)
        if best_by_evidence and best is not None:
            log.debug("%s: undated strike fits with score %s, runner-up %s", report.article_id, best_score, runner_up)
        if best is None or (best_by_evidence and best_score - runner_up < CLEAR_MARGIN):  # two fit: leave it alone
            best = Cluster(background=bg)
            clusters.append(best)
        elif best_by_evidence:
            best.attached.add(report.article_id)
        best.add(report)
        if report.date:
            by_day.setdefault((best.background, report.date), {})[id(best)] = best
        for name in _names(report) | _traits(report):
            by_name.setdefault((best.background, name), {})[id(best)] = best
    return clusters
