"""Scoring extractions and their brief against gold annotations (the format of ``seeds_gold.json``).

The scoring conventions are those of the gold README: only US (or US-led coalition) strikes count,
strikes listed in ``optional_strikes`` are neither rewarded nor penalised, militia attacks count
against llmsum only when they come out as US strikes, ``optional`` reactions are neither required nor
penalised, and ``event_date_alternatives`` / ``alt_quotes`` / ``speaker_aliases`` are also accepted.
The gold itself, turned into extractions with ``llmsum.gold.gold_extractions``, scores 1.0 everywhere,
so the gold's own simplifications (parenthetical notes stripped, "unspecified" groups dropped) are
applied to the gold side here too.

Four parts, each with the reason it exists:

* **strikes** (did the extractor find the strikes, and get their fields right?): per article, predicted
  strikes are matched greedily to gold strikes that share a target group, a place below country level,
  or the date with the same attacker. precision / recall / F1 count matched (TP), unmatched gold (FN),
  and unmatched predicted US strikes not listed as optional (FP). Per-field accuracy over matched pairs
  for ``STRIKE_FIELDS``. Headline ``strike_field_f1``: F1 over (strike, field) units, see
  ``_strike_scores``.
* **reactions** (who reacted, with which stance and words?): per article, matched by speaker (alias,
  fuzzy, surname, ``speaker_aliases``); precision / recall over required gold reactions, stance accuracy
  over matched ones, quote accuracy over matched ones whose gold has a quote. Headline
  ``reaction_recall``.
* **events** (did the reconciler group the strikes into the real events?): main and background events
  compared by article sets: exact, split, merged, missed, extra; and, on the best covering event, date,
  killed and wounded ranges, and figure conflicts found (gold conflicts mentioning "killed:"/"wounded:").
* **grounding** (can every quote be found where the brief says?): share of quotes and of killed/wounded
  wordings that are exact substrings of their article; null without the article texts.

Everything returned is plain JSON (dicts, lists, numbers, strings, null); a ratio with nothing to
count is null, not 0 or 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from llmsum.align import fold
from llmsum.gold import gold_strike, strip_note
from llmsum.models import (
    ArticleExtraction,
    Brief,
    Event,
    EventFigure,
    Figure,
    Location,
    OfficialReaction,
    StrikeReport,
)
from llmsum.names import FUZZY_THRESHOLD, HONORIFICS, alias, alias_table, countries, key, similarity

US = "United States"
Range = tuple[int | None, int | None]
STRIKE_FIELDS = ("background", "date", "attacker", "groups", "places", "facilities", "killed", "wounded")

# fmt: off
# A shared last word only joins two speakers when it could be a surname.
_GENERIC_LAST_WORDS = frozenset([
    "government", "ministry", "military", "forces", "force", "office", "house", "command", "army", "council",
    "spokesman", "spokesperson", "minister", "president", "brigades", "coalition",
])
# fmt: on
_DIRECTION = re.compile(r"^(?:(?:north|south)?(?:east|west)?(?:ern)?|north|south|central)\s+")
_TITLES = HONORIFICS
_FIGURE_CONFLICT = re.compile(r"\b(killed|wounded)\s*:", re.I)


# --------------------------------------------------------------------------- small helpers


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 from counts; F1 = 2TP / (2TP + FP + FN)."""
    return {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn), "f1": _ratio(2 * tp, 2 * tp + fp + fn)}


def _match(
    predicted: Sequence[Any], gold: Sequence[Any], score: Callable[[Any, Any], float | None]
) -> tuple[dict[int, int], dict[tuple[int, int], float]]:
    """Greedy one-to-one matching of predicted to gold items by ``score`` (None: cannot match);
    also returns every pair that could match."""
    scores = {
        (p, g): value
        for p, item in enumerate(predicted)
        for g, gold_one in enumerate(gold)
        if (value := score(item, gold_one)) is not None
    }
    return _greedy(scores), scores


def _greedy(scores: dict[tuple[int, int], float]) -> dict[int, int]:
    """One-to-one matching, best-scoring pairs first; ties go to earlier items so results are stable."""
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for (pred, gold), _ in sorted(scores.items(), key=lambda kv: (-kv[1], kv[0])):
        if pred not in matched and gold not in taken:
            matched[pred] = gold
            taken.add(gold)
    return matched


# --------------------------------------------------------------------------- names


def same_name(a: str | None, b: str | None, kind: str) -> bool:
    """Alias-aware, spelling-tolerant equality of two names of one kind (actors, groups, places, people)."""
    if not a or not b:
        return False
    if key(a) == key(b) or similarity(a, b) >= FUZZY_THRESHOLD:
        return True
    ca, cb = alias(a, kind) or a, alias(b, kind) or b
    return key(ca) == key(cb)


def _any_overlap(predicted: Iterable[str], gold: Iterable[str], kind: str) -> bool:
    gold = list(gold)
    return any(same_name(p, g, kind) for p in predicted for g in gold)


def _place_parts(name: str) -> list[str]:
    """'Al-Jazaer area, Hilla, Babel Governorate' -> its parts; 'Jurf al-Sakhr / Jurf al-Nasr' -> both."""
    return [part.strip() for part in re.split(r"[,/]", strip_note(name)) if part.strip()]


def _is_country_level(location: Location) -> bool:
    """'Iraq', 'western Iraq', 'eastern Syria': places that do not single out one strike."""
    bare = _DIRECTION.sub("", key(location.name))
    return bare in countries() or (location.country is not None and bare == key(location.country))


def _places(locations: Iterable[Location], *, specific: bool = False) -> list[str]:
    return [part for loc in locations if not (specific and _is_country_level(loc)) for part in _place_parts(loc.name)]


def _groups(names: Iterable[str]) -> list[str]:
    """Gold group names as ``gold_extractions`` keeps them: notes stripped, 'unspecified' ones dropped."""
    return [strip_note(n) for n in names if "unspecified" not in n]


def _is_us(attacker: str | None) -> bool:
    return bool(attacker) and alias(attacker, "actors") == US


def _same_actor(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is gold
    return same_name(predicted, gold, "actors")


def _variants(name: str, kind: str) -> set[str]:
    """Folded spellings of a name, with every alias of its canonical form."""
    canonical = alias(name, kind)
    found = {key(name)}
    if canonical:
        found |= {variant for variant, canon in alias_table().get(kind, {}).items() if canon == canonical}
    return {v for v in found if len(v) >= 4}


def _mentioned(variants: set[str], text: str) -> bool:
    folded = " " + key(text) + " "
    return any(f" {v} " in folded for v in variants)


# --------------------------------------------------------------------------- strikes


@dataclass
class _GoldStrike:
    report: StrikeReport
    dates: set[str | None]


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0


@dataclass
class _StrikeTally:
    counts: _Counts = field(default_factory=_Counts)
    gold: int = 0
    predicted: int = 0
    ignored: dict[str, int] = field(default_factory=lambda: {"not_us": 0, "optional": 0})
    correct: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STRIKE_FIELDS, 0))


def _accepted_dates(entry: dict[str, Any], gold_events: dict[str, dict[str, Any]]) -> set[str | None]:
    """The strike's date, its alternatives, and (for a dated strike) its event's date and alternatives:
    strikes around midnight are right on either side of it."""
    date = entry.get("event_date")
    if date is None:
        return {None}  # undated article: the date cannot be resolved from the text
    dates: set[str | None] = {date, *entry.get("event_date_alternatives", [])}
    event = gold_events.get(entry.get("event_id", ""), {})
    if event.get("event_date"):
        dates |= {event["event_date"], *event.get("event_date_alternatives", [])}
    return dates


def _figure_ok(predicted: Range, gold: Range) -> bool:
    """Equal (min, max); 'at least N' in gold (max null) also accepts a predicted N..M."""
    if predicted == gold:
        return True
    return gold[1] is None and gold[0] is not None and predicted[0] == gold[0]


def _range(figure: Figure | EventFigure) -> Range:
    return figure.min, figure.max


def _field_checks(pred: StrikeReport, gold: _GoldStrike) -> dict[str, bool]:
    g = gold.report
    return {
        "background": pred.background == g.background,
        "date": pred.event_date in gold.dates,
        "attacker": _same_actor(pred.attacker, g.attacker),
        "groups": not g.target_groups or _any_overlap(pred.target_groups, g.target_groups, "groups"),
        "places": not g.locations or _any_overlap(_places(pred.locations), _places(g.locations), "places"),
        "facilities": pred.facilities_struck == g.facilities_struck,
        "killed": _figure_ok(_range(pred.killed), _range(g.killed)),
        "wounded": _figure_ok(_range(pred.wounded), _range(g.wounded)),
    }


def _strike_affinity(pred: StrikeReport, gold: _GoldStrike) -> float | None:
    """How well a predicted strike fits a gold one, or None when they cannot be the same strike.

    Eligible: a shared target group, a shared place below country level, or the same date with the
    same attacker (a date alone would pair a militia attack of that day with the US strike)."""
    g = gold.report
    groups = _any_overlap(pred.target_groups, g.target_groups, "groups")
    places = _any_overlap(_places(pred.locations, specific=True), _places(g.locations, specific=True), "places")
    date = pred.event_date is not None and pred.event_date in gold.dates
    attacker = _same_actor(pred.attacker, g.attacker)
    if not (groups or places or (date and attacker)):
        return None
    return 2 * groups + 2 * places + date + attacker + (pred.background == g.background)


def _is_optional_strike(pred: StrikeReport, optional: list[str]) -> bool:
    """A US strike the gold does not count: generic (no date, no place below country level) or one of
    the article's ``optional_strikes``."""
    if pred.event_date is None and not pred.date_text and not _places(pred.locations, specific=True):
        return True
    variants: set[str] = set()
    for name in pred.target_groups:
        variants |= _variants(name, "groups")
    for name in _places(pred.locations, specific=True):
        variants |= _variants(name, "places")
    if pred.date_text and len(key(pred.date_text)) >= 6:
        variants.add(key(pred.date_text))
    return any(_mentioned(variants, text) for text in optional)


def _score_article_strikes(
    article_id: str,
    predicted: list[StrikeReport],
    entry: dict[str, Any],
    gold_events: dict[str, dict[str, Any]],
    tally: _StrikeTally,
    errors: list[dict[str, Any]],
) -> None:
    """Match one article's predicted strikes to its gold strikes (greedy, by ``_strike_affinity``) and
    tally fields of the matched pairs. An unmatched gold strike is a miss. An unmatched predicted strike
    is a false positive only when it comes out as a US strike that the gold does not list as optional;
    a second report of an already matched strike is a false positive too (the contract wants one entry
    per strike)."""
    gold = [_GoldStrike(gold_strike(s), _accepted_dates(s, gold_events)) for s in entry.get("strikes", [])]
    tally.gold += len(gold)
    tally.predicted += len(predicted)
    matched, _ = _match(predicted, gold, _strike_affinity)
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
        if not _is_us(strike.attacker):
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


def _detection(tally: _StrikeTally | _ReactionTally) -> dict[str, Any]:
    """Counts and P/R/F1 of finding the items at all, shared by strikes and reactions."""
    c = tally.counts
    return {
        "gold": tally.gold,
        "predicted": tally.predicted,
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "ignored": dict(tally.ignored),
        **_prf(c.tp, c.fp, c.fn),
    }


def _strike_scores(tally: _StrikeTally) -> dict[str, Any]:
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
        **_detection(tally),
        "matched": c.tp,
        "fields": {
            name: {"correct": ok, "total": c.tp, "accuracy": _ratio(ok, c.tp)} for name, ok in tally.correct.items()
        },
        "field_tp": field_tp,
        "field_fp": field_fp,
        "field_fn": field_fn,
        "field_f1": _ratio(2 * field_tp, 2 * field_tp + field_fp + field_fn),
    }


# --------------------------------------------------------------------------- reactions


@dataclass
class _ReactionTally:
    counts: _Counts = field(default_factory=_Counts)
    gold: int = 0
    predicted: int = 0
    ignored: dict[str, int] = field(default_factory=lambda: {"optional": 0, "duplicate": 0})
    stance_correct: int = 0
    quote_correct: int = 0
    quote_total: int = 0


def _bare(name: str) -> str:
    return key(_TITLES.sub(" ", name))


def _is_surname_match(a: str, b: str) -> bool:
    """'Yehia Rasool' ~ 'Major General Yehia Rasool', 'Biden' ~ 'President Biden'; never for groups or
    states ('Hezbollah' is not 'Kataib Hezbollah') nor for generic last words ('Iraqi government')."""
    if any(alias(n, kind) for n in (a, b) for kind in ("groups", "actors")):
        return False
    ta, tb = _bare(a).split(), _bare(b).split()
    if not ta or not tb:
        return False
    short, long = sorted((ta, tb), key=len)
    last = short[-1]
    return long[-len(short) :] == short and len(last) >= 4 and last not in _GENERIC_LAST_WORDS


def _speaker_score(predicted: str, name: str) -> float | None:
    """How surely two speaker names are one speaker (None: not at all). Exact beats alias beats fuzzy
    beats surname beats 'both are the US', so greedy matching pairs the most certain first."""
    if _bare(predicted) and _bare(predicted) == _bare(name):
        return 100.0
    for kind in ("people", "groups"):
        canonical = alias(predicted, kind)
        if canonical is not None and canonical == alias(name, kind):
            return 98.0
    fuzzy = similarity(predicted, name)
    if fuzzy >= FUZZY_THRESHOLD:
        return fuzzy
    if _is_surname_match(predicted, name):
        return 87.0
    actor = alias(predicted, "actors")
    if actor is not None and actor == alias(name, "actors"):
        return 85.0
    return None


def _reaction_score(pred: OfficialReaction, gold: dict[str, Any]) -> float | None:
    """Best speaker score against the gold speaker or, one point lower, any of its ``speaker_aliases``."""
    scores = [_speaker_score(pred.speaker, gold["speaker"])]
    scores += [_speaker_score(pred.speaker, name) for name in gold.get("speaker_aliases", [])]
    found = [s - (i > 0) for i, s in enumerate(scores) if s is not None]
    return max(found) if found else None


def _quote_pieces(quote: str) -> list[str]:
    """A gold quote with an ellipsis stands for its pieces; each piece is acceptable on its own."""
    pieces = [fold(p) for p in re.split(r"\.\.\.|…", quote)]
    return [fold(quote)] + [p for p in pieces if len(p.split()) >= 3 and p != fold(quote)]


def quote_ok(predicted: str | None, gold: str) -> bool:
    """Equal, containing the gold quote, or contained in it (then at least three words, or all of it),
    after folding case, quote characters, dashes and whitespace."""
    if not predicted:
        return False
    p = fold(predicted)
    if not p:
        return False
    return any(p == g or g in p or (p in g and len(p.split()) >= min(3, len(g.split()))) for g in _quote_pieces(gold))


def _score_article_reactions(
    article_id: str,
    predicted: list[OfficialReaction],
    entry: dict[str, Any],
    tally: _ReactionTally,
    errors: list[dict[str, Any]],
) -> None:
    """Match one article's predicted reactions to its gold reactions by speaker (greedy, by
    ``_reaction_score``), then check stance and quote of the matched required ones. A match with an
    ``optional`` gold reaction counts neither way. An unmatched predicted reaction whose speaker did
    match a gold one is a second entry for that speaker and is ignored (the gold accepts e.g. Yehia
    Rasool and "a spokesman for the Prime Minister" as one or two speakers); any other is a false positive."""
    gold = entry.get("reactions", [])
    required = [g for g in gold if not g.get("optional")]
    tally.gold += len(required)
    tally.predicted += len(predicted)
    matched, scores = _match(predicted, gold, _reaction_score)
    for p, g in matched.items():
        if gold[g].get("optional"):
            tally.ignored["optional"] += 1
            continue
        tally.counts.tp += 1
        _check_reaction(article_id, predicted[p], gold[g], tally, errors)
    for g, gold_one in enumerate(gold):
        if g not in matched.values() and not gold_one.get("optional"):
            tally.counts.fn += 1
            errors.append({"article": article_id, "kind": "missed_reaction", "gold": gold_one["speaker"]})
    for p, reaction in enumerate(predicted):
        if p in matched:
            continue
        if any((p, g) in scores for g in range(len(gold))):
            tally.ignored["duplicate"] += 1  # a second entry for a speaker already matched
        else:
            tally.counts.fp += 1
            errors.append({"article": article_id, "kind": "extra_reaction", "predicted": reaction.speaker})


def _check_reaction(
    article_id: str, pred: OfficialReaction, gold: dict[str, Any], tally: _ReactionTally, errors: list[dict[str, Any]]
) -> None:
    if pred.stance.value == (gold.get("stance") or "other"):
        tally.stance_correct += 1
    else:
        errors.append(
            {
                "article": article_id,
                "kind": "stance",
                "speaker": gold["speaker"],
                "predicted": pred.stance.value,
                "gold": gold.get("stance"),
            }
        )
    if gold.get("quote"):
        tally.quote_total += 1
        if any(quote_ok(pred.quote, q) for q in [gold["quote"], *gold.get("alt_quotes", [])]):
            tally.quote_correct += 1
        else:
            errors.append(
                {
                    "article": article_id,
                    "kind": "quote",
                    "speaker": gold["speaker"],
                    "predicted": pred.quote,
                    "gold": gold["quote"],
                }
            )


def _reaction_scores(tally: _ReactionTally) -> dict[str, Any]:
    c = tally.counts
    return {
        **_detection(tally),
        "stance_correct": tally.stance_correct,
        "stance_accuracy": _ratio(tally.stance_correct, c.tp),
        "quote_correct": tally.quote_correct,
        "quote_total": tally.quote_total,
        "quote_accuracy": _ratio(tally.quote_correct, tally.quote_total),
    }


# --------------------------------------------------------------------------- events


def _event_dates(gold: dict[str, Any]) -> set[str | None]:
    """The gold event's date and alternatives; also null when the date came from outside knowledge."""
    dates: set[str | None] = {gold.get("event_date"), *gold.get("event_date_alternatives", [])}
    if gold.get("event_date_source"):
        dates.add(None)
    return dates


def _event_like(pred: Event, gold: dict[str, Any]) -> bool:
    """Same attacker (when both are known) and a shared group, place below country level, or date."""
    if pred.attacker and gold.get("attacker") and not same_name(pred.attacker, gold["attacker"], "actors"):
        return False
    gold_locations = [Location(**loc) for loc in gold.get("locations", [])]
    return (
        _any_overlap(pred.target_groups, _groups(gold.get("target_groups", [])), "groups")
        or _any_overlap(_places(pred.locations, specific=True), _places(gold_locations, specific=True), "places")
        or (pred.event_date is not None and pred.event_date in _event_dates(gold))
    )


def _event_figure_ok(pred: Event, gold: dict[str, Any], name: str) -> bool:
    data = gold.get(name) or {}
    return _figure_ok(_range(getattr(pred, name)), (data.get("min"), data.get("max")))


def _conflict_fields(pred: Event) -> set[str]:
    """Figure fields the reconciler flagged; 'killed (civilians)' counts as 'killed'."""
    fields = {c.field.split(" (")[0] for c in pred.conflicts}
    return fields & {"killed", "wounded"}


def _gold_conflict_fields(gold: dict[str, Any]) -> set[str]:
    return {m.group(1).lower() for text in gold.get("conflicts", []) if (m := _FIGURE_CONFLICT.search(text))}


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


def _event_scores(brief: Brief, gold: dict[str, Any], scored: set[str], errors: list[dict[str, Any]]) -> dict[str, Any]:
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


# --------------------------------------------------------------------------- grounding


def _grounding(extractions: Sequence[ArticleExtraction], texts: dict[str, str] | None) -> dict[str, Any] | None:
    """Share of quotes and of casualty wordings that are verbatim (exact substrings) in their article:
    the brief promises every quote can be found where it says."""
    if texts is None:
        return None
    quotes = [0, 0]
    figures = [0, 0]
    for ex in extractions:
        text = texts.get(ex.article.id)
        if text is None:
            continue
        for reaction in ex.reactions:
            if reaction.quote:
                quotes[0] += reaction.quote in text
                quotes[1] += 1
        for strike in ex.strikes:
            for figure in (strike.killed, strike.wounded):
                # several tolls are written "A | B", the gold's convention for as-written fragments
                for fragment in figure.text.split(" | ") if figure.text else []:
                    figures[0] += fragment in text
                    figures[1] += 1
    return {
        "quotes_verbatim": quotes[0],
        "quotes_total": quotes[1],
        "quote_share": _ratio(*quotes),
        "figures_verbatim": figures[0],
        "figures_total": figures[1],
        "figure_share": _ratio(*figures),
    }


# --------------------------------------------------------------------------- entry points


def evaluate(
    extractions: Sequence[ArticleExtraction],
    brief: Brief,
    gold: dict[str, Any],
    texts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Score extractions (strikes, reactions), their brief (events) and, given the article ``texts``,
    grounding, against ``gold``. Only gold articles that have an extraction are scored (a failed
    extraction counts, with nothing found); the others are listed under ``articles``.

    Headlines at top level: ``strike_field_f1`` (see ``_strike_scores``) and ``reaction_recall``."""
    by_id: dict[str, ArticleExtraction] = {}
    for ex in extractions:
        by_id.setdefault(ex.article.id, ex)
    gold_articles: dict[str, dict[str, Any]] = gold.get("articles", {})
    scored = sorted(set(gold_articles) & set(by_id))
    gold_events = {e["event_id"]: e for e in gold.get("events", []) if e.get("event_id")}
    errors: list[dict[str, Any]] = []
    strikes, reactions = _StrikeTally(), _ReactionTally()
    for article_id in scored:
        ex, entry = by_id[article_id], gold_articles[article_id]
        _score_article_strikes(article_id, list(ex.strikes), entry, gold_events, strikes, errors)
        _score_article_reactions(article_id, list(ex.reactions), entry, reactions, errors)
    strike_scores = _strike_scores(strikes)
    reaction_scores = _reaction_scores(reactions)
    return {
        "strike_field_f1": strike_scores["field_f1"],
        "reaction_recall": reaction_scores["recall"],
        "articles": {
            "scored": len(scored),
            "missing": sorted(set(gold_articles) - set(by_id)),
            "not_in_gold": sorted(set(by_id) - set(gold_articles)),
        },
        "strikes": strike_scores,
        "reactions": reaction_scores,
        "events": _event_scores(brief, gold, set(scored), errors),
        "grounding": _grounding(extractions, texts),
        "errors": errors,
    }


def _fmt(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def _table(title: str, header: list[str], rows: list[list[Any]]) -> str:
    cells = [header, *[[_fmt(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [title]
    for n, row in enumerate(cells):
        lines.append(
            "  "
            + "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
        )
        if n == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(scores: dict[str, Any], max_errors: int = 40) -> str:
    """The scores as plain-text tables, headlines first, then what went wrong (at most ``max_errors``)."""
    s, r, ev, arts = scores["strikes"], scores["reactions"], scores["events"], scores["articles"]
    parts = [
        f"strike_field_f1 {_fmt(scores['strike_field_f1'])}    reaction_recall {_fmt(scores['reaction_recall'])}"
        f"    ({arts['scored']} articles scored"
        + (f", missing: {', '.join(arts['missing'])}" if arts["missing"] else "")
        + ")",
        _table(
            "Detection",
            ["", "gold", "pred", "TP", "FP", "FN", "ignored", "precision", "recall", "F1"],
            [
                [
                    name,
                    d["gold"],
                    d["predicted"],
                    d["tp"],
                    d["fp"],
                    d["fn"],
                    sum(d["ignored"].values()),
                    d["precision"],
                    d["recall"],
                    d["f1"],
                ]
                for name, d in (("strikes", s), ("reactions", r))
            ],
        ),
        _table(
            f"Strike fields (over {s['matched']} matched strikes; field F1 {_fmt(s['field_f1'])})",
            ["field", "correct", "total", "accuracy"],
            [[name, f["correct"], f["total"], f["accuracy"]] for name, f in s["fields"].items()],
        ),
        _table(
            "Reactions (over matched speakers)",
            ["", "correct", "total", "accuracy"],
            [
                ["stance", r["stance_correct"], r["tp"], r["stance_accuracy"]],
                ["quote", r["quote_correct"], r["quote_total"], r["quote_accuracy"]],
            ],
        ),
        _table(
            "Events",
            [
                "",
                "gold",
                "pred",
                "exact",
                "split",
                "merged",
                "missed",
                "extra",
                "date",
                "killed",
                "wounded",
                "conflicts (+spurious)",
            ],
            [
                [
                    name,
                    e["gold"],
                    e["predicted"],
                    e["exact"],
                    e["split"],
                    e["merged"],
                    e["missed"],
                    e["extra"],
                    e["date_right"],
                    e["killed_right"],
                    e["wounded_right"],
                    f"{e['conflicts_found']}/{e['conflicts_expected']} (+{e['spurious_conflicts']})",
                ]
                for name, e in (("main", ev["main"]), ("background", ev["background"]), ("all", ev))
            ],
        ),
    ]
    g = scores.get("grounding")
    if g is None:
        parts.append("Grounding: not scored (no article texts)")
    else:
        parts.append(
            _table(
                "Grounding (verbatim in the article)",
                ["", "verbatim", "total", "share"],
                [
                    ["quotes", g["quotes_verbatim"], g["quotes_total"], g["quote_share"]],
                    ["figures", g["figures_verbatim"], g["figures_total"], g["figure_share"]],
                ],
            )
        )
    errors = scores.get("errors", [])
    if errors:
        lines = [f"Errors ({len(errors)})"]
        for err in errors[:max_errors]:
            detail = ", ".join(f"{k}={v}" for k, v in err.items() if k not in ("kind", "article"))
            lines.append(f"  {err['kind']:<22} {err.get('article', ''):<26} {detail}")
        if len(errors) > max_errors:
            lines.append(f"  ... and {len(errors) - max_errors} more")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
