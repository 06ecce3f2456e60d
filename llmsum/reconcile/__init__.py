"""Reconciling many articles' extractions into one brief: one event per real-world strike.

Deterministic and LLM-free. Reports join an event when they are compatible, not equal: attackers
agree (a coalition holds its members, a state's command is the state), places lie in the same
country (a district, a city, a region and the country describe one strike at different precision),
a target group or place is shared, and dates are within one day (US vs local time). A report with
no date joins the one event it matches best on evidence, never one of two that fit as well.
Background mentions form their own events, unless one with no day names the place of an event other
articles report as news, after it (it then counts as a source, not for tolls). Every figure is kept
with its source; disagreements are listed, not averaged away.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence

from llmsum.models import ArticleExtraction, Brief, BriefArticle, Event, Failure, Problem, ProblemKind, Usage
from llmsum.models.codebooks import CAMEO
from llmsum.prose.names import actor_parts, folded_text, is_description, known_actor, umbrellas
from llmsum.prose.places import locate
from llmsum.reconcile.cluster import Names, Report, as_date, cluster_reports
from llmsum.reconcile.coding import code_event
from llmsum.reconcile.merge import attach_reactions, event_of

__all__ = ["CAMEO", "duplicate_of", "reconcile"]

log = logging.getLogger(__name__)


def duplicate_of(extraction: ArticleExtraction) -> str | None:
    """The id of the article this one repeats, when ``extract`` found it to be a copy: a copy is
    listed in the brief but is not a second source, so its strikes and reactions (none, when
    ``extract`` made it) never count twice."""
    for problem in extraction.problems:
        if problem.kind == ProblemKind.duplicate and (of := getattr(problem, "duplicate_of", None)):
            return str(of)
    return None


def reconcile(
    extractions: Sequence[ArticleExtraction], date: str | None = None, texts: Mapping[str, str] | None = None
) -> Brief:
    """Merge extractions into a ``Brief``. Same input, same output: no model, no randomness.

    ``texts`` (article id -> text) lets coding read how each strike was carried out from the sentences
    its evidence sits in; without them only the evidence's own words are read. They are kept in
    ``brief.texts`` for the HTML view."""
    texts = dict(texts or {})
    extractions = sorted(extractions, key=lambda ex: ex.article.id)  # input order must not matter
    copies = {ex.article.id: of for ex in extractions if (of := duplicate_of(ex))}
    sources = [ex for ex in extractions if ex.article.id not in copies]
    names = Names()
    folded = {ex.article.id: folded_text(texts[ex.article.id]) for ex in sources if ex.article.id in texts}
    reports: list[Report] = []
    for ex in sources:
        for i, strike in enumerate(ex.strikes):
            parts = actor_parts(strike.attacker)
            # "an Iraqi resistance group" tells no attacker apart: unknown, as far as agreeing goes
            described = not any(known_actor(p) for p in parts) and is_description(strike.attacker or "")
            members = frozenset() if described else frozenset(names.actors.resolve(p).canonical for p in parts)
            attacker = names.actors.resolve(strike.attacker).canonical if strike.attacker else None
            if len(members) == 1 and attacker not in members:
                attacker = next(iter(members))  # "U.S. Central Command" is the United States
            # a country no article writes (the model's guess) neither places a city nor adds a country
            placed = [
                locate(loc.name, None if f"locations[{j}].country" in strike.unverified else loc.country)
                for j, loc in enumerate(strike.locations)
            ]
            reports.append(
                Report(
                    article_id=ex.article.id,
                    index=i,
                    strike=strike,
                    attacker=attacker,
                    groups=(groups := {names.groups.resolve(g).canonical for g in strike.target_groups}),
                    kin={g: frozenset({g, *umbrellas(g)}) for g in groups},
                    places={names.places.resolve(loc.name).canonical for loc in strike.locations},
                    date=as_date(strike.event_date),
                    published=as_date(ex.article.published),
                    countries={c for p in placed for c in p.countries},
                    stated={c for p in placed for c in p.stated},
                    cities={c for p in placed for c in p.cities},
                    members=members,
                    text=folded.get(ex.article.id, ""),
                )
            )
    clusters = cluster_reports(reports)
    clusters.sort(key=lambda c: (c.background, min(c.dates) if c.dates else dt.date.max, sorted(c.articles)))
    events: list[Event] = []
    report_event: dict[tuple[str, int], Event] = {}
    refs = {ex.article.id: ex.article for ex in extractions}
    for n, group in enumerate(clusters, start=1):
        event = event_of(group, names, n)
        code_event(event, group.reports, refs, texts)
        events.append(event)
        for r in group.reports:
            report_event[(r.article_id, r.index)] = event
    attach_reactions(events, report_event, sources, names)
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
        for p in (
            ex.problems[-1:] or [Problem(kind=ProblemKind.error, message="extraction failed (no reason recorded)")]
        )
    ]
    usage = sum((ex.usage for ex in extractions), Usage())
    published = [ex.article.published for ex in extractions if ex.article.published]
    return Brief(
        date=date or (max(published) if published else None),
        events=events,
        articles=[
            BriefArticle(**ex.article.model_dump(exclude={"path"}), duplicate_of=copies.get(ex.article.id))
            for ex in extractions
        ],
        failures=failures,
        usage=usage,
        texts=texts,
    )
