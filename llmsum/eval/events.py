"""Scoring the brief's events: did reconciling group the strikes into the real events?"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from llmsum.eval.common import FIGURE_CONFLICT, any_overlap, group_names, one_of_the_attackers, place_names
from llmsum.eval.strikes import figure_ok, figure_range
from llmsum.models import (
    Brief,
    Event,
    Location,
)


def _event_dates(gold: dict[str, Any]) -> set[str | None]:
    """The gold event's date and alternatives; also null when the date came from outside knowledge."""
    dates: set[str | None] = {gold.get("event_date"), *gold.get("event_date_alternatives", [])}
    if gold.get("event_date_source"):
        dates.add(None)
    return dates


def _event_like(pred: Event, gold: dict[str, Any]) -> bool:
    """Same attacker (when both are known; as for strikes, one of its attacker_aliases or co_attackers, or a
    joint attack named jointly) and a shared group, place below country level, or date."""
    others = (*gold.get("attacker_aliases", []), *gold.get("co_attackers", []))
    attackers = (gold["attacker"], *others) if gold.get("attacker") else ()
    if pred.attacker and attackers and not one_of_the_attackers(pred.attacker, attackers):
        return False
    gold_locations = [Location(**loc) for loc in gold.get("locations", [])]
    return (
        any_overlap(pred.target_groups, group_names(gold.get("target_groups", [])), "groups")
        or any_overlap(place_names(pred.locations, specific=True), place_names(gold_locations, specific=True), "places")
        or (pred.event_date is not None and pred.event_date in _event_dates(gold))
    )


def _event_figure_ok(pred: Event, gold: dict[str, Any], name: str) -> bool:
    data = gold.get(name) or {}
    return figure_ok(figure_range(getattr(pred, name)), (data.get("min"), data.get("max")))


def _conflict_fields(pred: Event) -> set[str]:
    """Figure fields the reconciler flagged; 'killed (civilians)' counts as 'killed'."""
    fields = {c.field.split(" (")[0] for c in pred.conflicts}
    return fields & {"killed", "wounded"}


def _gold_conflict_fields(gold: dict[str, Any]) -> set[str]:
    return {m.group(1).lower() for text in gold.get("conflicts", []) if (m := FIGURE_CONFLICT.search(text))}


@dataclass
class _EventTally:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    split: int = 0
    merged: int = 0
    missed: int = 0
    extra: int = 0
    date_right: int = 0
    killed_right: int = 0
    wounded_right: int = 0
    conflicts_expected: int = 0
    conflicts_found: int = 0
    spurious_conflicts: int = 0


def _score_event_kind(
    predicted: list[Event], gold: list[dict[str, Any]], scored: set[str], errors: list[dict[str, Any]]
) -> dict[str, int]:
    """Compare events of one kind (main or background) by their article sets.

    A predicted event *covers* a gold event when they share an article and look alike (``_event_like``),
    so an extra event from the same article (an optional strike, a militia attack) does not count as a
    split. Exact: covered by one predicted event only, with the same articles, covering nothing else.
    Split: covered by more than one. Merged: a predicted event covering more than one gold event.
    Date, figures and conflicts are read from the covering event sharing the most articles."""
    gold_sets = [set(g["articles"]) & scored for g in gold]
    pred_sets = [set(p.articles) & scored for p in predicted]
    covers: dict[int, list[int]] = {
        p: [g for g, gold_one in enumerate(gold) if pred_sets[p] & gold_sets[g] and _event_like(pred, gold_one)]
        for p, pred in enumerate(predicted)
    }
    tally = _EventTally(gold=len(gold), predicted=sum(1 for s in pred_sets if s))
    tally.extra = sum(1 for p, s in enumerate(pred_sets) if s and not covers[p])
    for p, covered in covers.items():
        if len(covered) > 1:
            tally.merged += 1
            errors.append(
                {"kind": "merged_event", "predicted": predicted[p].event_id, "gold": _gold_ids(gold, covered)}
            )
    for g, gold_one in enumerate(gold):
        mine = [p for p, covered in covers.items() if g in covered]
        expected = _gold_conflict_fields(gold_one)
        tally.conflicts_expected += len(expected)
        if not mine:
            tally.missed += 1
            errors.append({"kind": "missed_event", "gold": gold_one.get("event_id"), "articles": sorted(gold_sets[g])})
            continue
        if len(mine) > 1:
            tally.split += 1
            errors.append({"kind": "split_event", "gold": gold_one.get("event_id"), "into": _ids(predicted, mine)})
        elif pred_sets[mine[0]] == gold_sets[g] and covers[mine[0]] == [g]:
            tally.exact += 1
        best = predicted[max(mine, key=lambda p: (len(pred_sets[p] & gold_sets[g]), -p))]
        tally.date_right += best.event_date in _event_dates(gold_one)
        tally.killed_right += _event_figure_ok(best, gold_one, "killed")
        tally.wounded_right += _event_figure_ok(best, gold_one, "wounded")
        found = _conflict_fields(best)
        tally.conflicts_found += len(expected & found)
        tally.spurious_conflicts += len(found - expected)
    return asdict(tally)


def _gold_ids(gold: list[dict[str, Any]], indices: list[int]) -> list[str | None]:
    return [gold[i].get("event_id") for i in indices]


def _ids(events: list[Event], indices: list[int]) -> list[str]:
    return [events[i].event_id for i in indices]


def event_scores(brief: Brief, gold: dict[str, Any], scored: set[str], errors: list[dict[str, Any]]) -> dict[str, Any]:
    gold_events = [g for g in gold.get("events", []) if set(g.get("articles", [])) & scored]
    parts = {
        "main": _score_event_kind(
            [e for e in brief.events if not e.background],
            [g for g in gold_events if not g.get("background_only")],
            scored,
            errors,
        ),
        "background": _score_event_kind(
            [e for e in brief.events if e.background],
            [g for g in gold_events if g.get("background_only")],
            scored,
            errors,
        ),
    }
    totals = {name: parts["main"][name] + parts["background"][name] for name in parts["main"]}
    return totals | parts
