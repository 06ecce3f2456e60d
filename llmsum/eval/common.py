"""What the scorers share: counting, greedy matching, and when two names are the same entity."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from llmsum.eval.gold import strip_note
from llmsum.models import (
    Location,
)
from llmsum.prose.names import (
    FUZZY_THRESHOLD,
    HONORIFICS,
    actor_parts,
    alias,
    alias_table,
    is_country_level,
    key,
    similarity,
)

US = "United States"
Range = tuple[int | None, int | None]
STRIKE_FIELDS = ("background", "date", "attacker", "groups", "places", "facilities", "killed", "wounded")

# fmt: off
# A shared last word only joins two speakers when it could be a surname.
GENERIC_LAST_WORDS = frozenset([
    "government", "ministry", "military", "forces", "force", "office", "house", "command", "army", "council",
    "spokesman", "spokesperson", "minister", "president", "brigades", "coalition",
])
# fmt: on
TITLES = HONORIFICS
FIGURE_CONFLICT = re.compile(r"\b(killed|wounded)\s*:", re.I)


def ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    """Precision, recall and F1 from counts; F1 = 2TP / (2TP + FP + FN)."""
    return {"precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn), "f1": ratio(2 * tp, 2 * tp + fp + fn)}


def match_greedily(
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


def same_name(a: str | None, b: str | None, kind: str) -> bool:
    """Alias-aware, spelling-tolerant equality of two names of one kind (actors, groups, places, people)."""
    if not a or not b:
        return False
    if key(a) == key(b) or similarity(a, b) >= FUZZY_THRESHOLD:
        return True
    ca, cb = alias(a, kind) or a, alias(b, kind) or b
    return key(ca) == key(cb)


def any_overlap(predicted: Iterable[str], gold: Iterable[str], kind: str) -> bool:
    gold = list(gold)
    return any(same_name(p, g, kind) or (kind == "places" and _names_place(p, g)) for p in predicted for g in gold)


def _names_place(predicted: str, gold: str) -> bool:
    """'Deir Ez-Zor near the Syrian-Iraqi border' names the gold's 'Deir Ez-Zor', and 'border control point'
    the gold's 'border control point near the Iraqi border': one place written with more or fewer words
    around it (whole words; the shorter one not a country-level name)."""
    p, g = key(predicted), key(gold)
    short, long_ = (p, g) if len(p) <= len(g) else (g, p)
    return len(short) >= 4 and f" {short} " in f" {long_} " and not is_country_level(short)


def _place_parts(name: str) -> list[str]:
    """'Al-Jazaer area, Hilla, Babel Governorate' -> its parts; 'Jurf al-Sakhr / Jurf al-Nasr' -> both."""
    return [part.strip() for part in re.split(r"[,/]", strip_note(name)) if part.strip()]


def _is_country_level(location: Location) -> bool:
    return is_country_level(location.name, location.country)


def place_names(locations: Iterable[Location], *, specific: bool = False) -> list[str]:
    return [part for loc in locations if not (specific and _is_country_level(loc)) for part in _place_parts(loc.name)]


def group_names(names: Iterable[str]) -> list[str]:
    """Gold group names as ``gold_extractions`` keeps them: notes stripped, 'unspecified' ones dropped."""
    return [strip_note(n) for n in names if "unspecified" not in n]


def is_us(attacker: str | None) -> bool:
    return bool(attacker) and alias(attacker, "actors") == US


def same_actor(predicted: str | None, gold: str | None) -> bool:
    if predicted is None or gold is None:
        return predicted is gold
    return same_name(predicted, gold, "actors")


def one_of_the_attackers(predicted: str | None, names: Sequence[str]) -> bool:
    """The gold's attacker or one of its ``co_attackers``, or a joint attack named jointly ("the United
    States and the United Kingdom"), every part of it one of them."""
    if any(same_actor(predicted, a) for a in names):
        return True
    parts = actor_parts(predicted)
    return len(parts) > 1 and all(any(same_actor(p, a) for a in names) for p in parts)


def name_variants(name: str, kind: str) -> set[str]:
    """Folded spellings of a name, with every alias of its canonical form."""
    canonical = alias(name, kind)
    found = {key(name)}
    if canonical:
        found |= {variant for variant, canon in alias_table().get(kind, {}).items() if canon == canonical}
    return {v for v in found if len(v) >= 4}


def mentioned(variants: set[str], text: str) -> bool:
    folded = " " + key(text) + " "
    return any(f" {v} " in folded for v in variants)


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0


@dataclass
class Tally:
    """What strikes and reactions both count: items found at all, against the gold."""

    counts: Counts = field(default_factory=Counts)
    gold: int = 0
    predicted: int = 0
    ignored: dict[str, int] = field(default_factory=dict)


def detection(tally: Tally) -> dict[str, Any]:
    """Counts and P/R/F1 of finding the items at all, shared by strikes and reactions."""
    c = tally.counts
    return {
        "gold": tally.gold,
        "predicted": tally.predicted,
        "tp": c.tp,
        "fp": c.fp,
        "fn": c.fn,
        "ignored": dict(tally.ignored),
        **prf(c.tp, c.fp, c.fn),
    }
