"""Scoring strikes: were they found at all, and are their fields right (see ``strike_scores``)?"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmsum.eval.common import (
    STRIKE_FIELDS,
    Range,
    Tally,
    any_overlap,
    detection,
    is_us,
    match_greedily,
    mentioned,
    name_variants,
    one_of_the_attackers,
    place_names,
    ratio,
)
from llmsum.eval.gold import gold_strike
from llmsum.models import (
    EventFigure,
    Figure,
    StrikeReport,
)
from llmsum.prose.names import key

UNKNOWN = "unknown"


def any_attacker_scope(gold: dict[str, Any]) -> bool:
    """Whether the gold counts strikes by any attacker (the dev corpus) or only US strikes (the seeds):
    a gold file that lists a main strike by another attacker follows the any-attacker convention."""
    return any(
        not s.get("background") and s.get("attacker") not in (None, UNKNOWN) and not is_us(s.get("attacker"))
        for entry in gold.get("articles", {}).values()
        for s in entry.get("strikes", [])
    )


@dataclass
class _GoldStrike:
    report: StrikeReport
    dates: set[str | None]
    # other acceptable attackers: the gold's attacker_aliases and co_attackers (dev corpus conventions)
    attackers: tuple[str, ...] = ()

    def attacker_ok(self, predicted: str | None) -> bool:
        if self.report.attacker == UNKNOWN:  # the text names nobody: so must the extraction
            return predicted is None or key(predicted) in {"unknown", "unidentified", "unnamed"}
        return one_of_the_attackers(predicted, (self.report.attacker, *self.attackers))


@dataclass
class StrikeTally(Tally):
    ignored: dict[str, int] = field(default_factory=lambda: {"not_us": 0, "optional": 0})
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STRIKE_FIELDS, 0))


def _accepted_dates(entry: dict[str, Any], gold_events: dict[str, dict[str, Any]]) -> set[str | None]:
    """The strike's date, its alternatives, and (for a dated strike) its event's date and alternatives:
    strikes around midnight are right on either side of it. A strike the gold leaves undated accepts
    null and the alternatives it lists."""
    date = entry.get("event_date")
    if date is None:
        # undated article: the date cannot be resolved from the text, but the gold may list days that
        # should also be accepted ("event_date_alternatives", gold/README.md)
        return {None, *entry.get("event_date_alternatives", [])}
    dates: set[str | None] = {date, *entry.get("event_date_alternatives", [])}
    event = gold_events.get(entry.get("event_id", ""), {})
    if event.get("event_date"):
        dates |= {event["event_date"], *event.get("event_date_alternatives", [])}
    return dates


def figure_ok(predicted: Range, gold: Range) -> bool:
    """Equal (min, max); 'at least N' in gold (max null) also accepts a predicted N..M."""
    if predicted == gold:
        return True
    return gold[1] is None and gold[0] is not None and predicted[0] == gold[0]


def figure_range(figure: Figure | EventFigure) -> Range:
    return figure.min, figure.max


def _field_checks(pred: StrikeReport, gold: _GoldStrike) -> dict[str, bool]:
    g = gold.report
    return {
        "background": pred.background == g.background,
        "date": pred.event_date in gold.dates,
        "attacker": gold.attacker_ok(pred.attacker),
        "groups": not g.target_groups or any_overlap(pred.target_groups, g.target_groups, "groups"),
        "places": not g.locations or any_overlap(place_names(pred.locations), place_names(g.locations), "places"),
        "facilities": pred.facilities_struck == g.facilities_struck,
        "killed": figure_ok(figure_range(pred.killed), figure_range(g.killed)),
        "wounded": figure_ok(figure_range(pred.wounded), figure_range(g.wounded)),
    }


def _strike_affinity(pred: StrikeReport, gold: _GoldStrike) -> float | None:
    """How well a predicted strike fits a gold one, or None when they cannot be the same strike.

    Eligible: a shared target group, a shared place below country level, or the same date with the
    same attacker (a date alone would pair a militia attack of that day with the US strike)."""
    g = gold.report
    groups = any_overlap(pred.target_groups, g.target_groups, "groups")
    places = any_overlap(place_names(pred.locations, specific=True), place_names(g.locations, specific=True), "places")
    date = pred.event_date is not None and pred.event_date in gold.dates
    attacker = gold.attacker_ok(pred.attacker)
    # an undated article: neither side can give the day, so the same attacker is the date's evidence
    date = date or (pred.event_date is None and None in gold.dates and not pred.background and not g.background)
    if not (groups or places or (date and attacker)):
        return None
    return 2 * groups + 2 * places + date + attacker + (pred.background == g.background)


def _is_optional_strike(pred: StrikeReport, optional: list[str]) -> bool:
    """A US strike the gold does not count: generic (no date, no place below country level) or one of
    the article's ``optional_strikes``."""
    if pred.event_date is None and not pred.date_text and not place_names(pred.locations, specific=True):
        return True
    variants: set[str] = set()
    for name in pred.target_groups:
        variants |= name_variants(name, "groups")
    for name in place_names(pred.locations, specific=True):
        variants |= name_variants(name, "places")
    if pred.date_text and len(key(pred.date_text)) >= 6:
        variants.add(key(pred.date_text))
    return any(mentioned(variants, text) for text in optional)


def score_article_strikes(
    article_id: str,
    predicted: list[StrikeReport],
    entry: dict[str, Any],
    gold_events: dict[str, dict[str, Any]],
    tally: StrikeTally,
    errors: list[dict[str, Any]],
    any_attacker: bool = False,
) -> None:
    """Match one article's predicted strikes to its gold strikes (greedy, by ``_strike_affinity``) and
    tally fields of the matched pairs. An unmatched gold strike is a miss. An unmatched predicted strike
    is a false positive only when it comes out as a US strike (any strike, under ``any_attacker``) that the
    gold does not list as optional;
    a second report of an already matched strike is a false positive too (the contract wants one entry
    per strike)."""
    gold = [
        _GoldStrike(
            gold_strike(s),
            _accepted_dates(s, gold_events),
            tuple(s.get("attacker_aliases") or ()) + tuple(s.get("co_attackers") or ()),
        )
        for s in entry.get("strikes", [])
    ]
    tally.gold += len(gold)
    tally.predicted += len(predicted)
    matched, _ = match_greedily(predicted, gold, _strike_affinity)
    for p, g in matched.items():
        for name, ok in _field_checks(predicted[p], gold[g]).items():
            tally.correct[name] += ok
            if not ok:
                errors.append(_field_error(article_id, p, name, predicted[p], gold[g].report))
    tally.counts.tp += len(matched)
    for g, gold_one in enumerate(gold):
        if g not in matched.values():
            tally.counts.fn += 1
            errors.append({"article": article_id, "kind": "missed_strike", "gold": _strike_label(gold_one.report)})
    for p, strike in enumerate(predicted):
        if p in matched:
            continue
        if not any_attacker and not is_us(strike.attacker):
            tally.ignored["not_us"] += 1
        elif _is_optional_strike(strike, entry.get("optional_strikes", [])):
            tally.ignored["optional"] += 1
        else:
            tally.counts.fp += 1
            errors.append({"article": article_id, "kind": "false_positive_strike", "predicted": _strike_label(strike)})


def _strike_label(strike: StrikeReport) -> str:
    places = ", ".join(loc.name for loc in strike.locations) or "?"
    groups = ", ".join(strike.target_groups) or "?"
    return f"{strike.attacker or '?'} on {groups} at {places}, {strike.event_date or strike.date_text or 'undated'}"


_FIELD_VALUES: dict[str, Callable[[StrikeReport], Any]] = {
    "background": lambda s: s.background,
    "date": lambda s: s.event_date,
    "attacker": lambda s: s.attacker,
    "groups": lambda s: s.target_groups,
    "places": lambda s: [loc.name for loc in s.locations],
    "facilities": lambda s: s.facilities_struck,
    "killed": lambda s: [s.killed.min, s.killed.max],
    "wounded": lambda s: [s.wounded.min, s.wounded.max],
}


def _field_error(article_id: str, index: int, name: str, pred: StrikeReport, gold: StrikeReport) -> dict[str, Any]:
    return {
        "article": article_id,
        "kind": "strike_field",
        "strike": index,
        "field": name,
        "predicted": _FIELD_VALUES[name](pred),
        "gold": _FIELD_VALUES[name](gold),
    }


def score_strikes(tally: StrikeTally) -> dict[str, Any]:
    """Detection P/R/F1, per-field accuracy over matched pairs, and the field-level F1.

    Field F1: every (matched pair, field) is a TP when right and an FP plus an FN when wrong; every
    field of a missed gold strike is an FN and every field of a false-positive strike an FP. So one
    number rewards finding strikes and getting each of their fields right."""
    c = tally.counts
    n_fields = len(STRIKE_FIELDS)
    field_tp = sum(tally.correct.values())
    wrong = c.tp * n_fields - field_tp
    field_fp = wrong + c.fp * n_fields
    field_fn = wrong + c.fn * n_fields
    return {
        **detection(tally),
        "matched": c.tp,
        "fields": {
            name: {"correct": ok, "total": c.tp, "accuracy": ratio(ok, c.tp)} for name, ok in tally.correct.items()
        },
        "field_tp": field_tp,
        "field_fp": field_fp,
        "field_fn": field_fn,
        "field_f1": ratio(2 * field_tp, 2 * field_tp + field_fp + field_fn),
    }
