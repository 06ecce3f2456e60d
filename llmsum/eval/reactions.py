"""Scoring reactions: who reacted, with which stance and words, matched by speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from llmsum.eval.common import GENERIC_LAST_WORDS, TITLES, Tally, detection, match_greedily, ratio
from llmsum.models import (
    OfficialReaction,
)
from llmsum.prose.align import fold
from llmsum.prose.names import FUZZY_THRESHOLD, alias, key, similarity


@dataclass
class ReactionTally(Tally):
    ignored: dict[str, int] = field(default_factory=lambda: {"optional": 0, "duplicate": 0})
    stance_correct: int = 0
    quote_correct: int = 0
    quote_total: int = 0


_ROLE_TAIL = re.compile(r"\s+(?:leaders?|leadership|officials?|spokesm[ae]n|spokesperson)$", re.I)


def _bare(name: str) -> str:
    return key(TITLES.sub(" ", name))


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
    return long[-len(short) :] == short and len(last) >= 4 and last not in GENERIC_LAST_WORDS


def _speaker_score(predicted: str, name: str) -> float | None:
    """How surely two speaker names are one speaker (None: not at all). Exact beats alias beats fuzzy
    beats surname beats 'both are the US', so greedy matching pairs the most certain first."""
    if _bare(predicted) and _bare(predicted) == _bare(name):
        return 100.0
    for kind in ("people", "groups"):
        canonical = alias(predicted, kind)
        if canonical is not None and canonical == alias(name, kind):
            return 98.0
        # "Houthi leaders" and "the Houthis": a group and those who speak for it as a body
        canonical = alias(_ROLE_TAIL.sub("", predicted), kind)
        if kind == "groups" and canonical is not None and canonical == alias(_ROLE_TAIL.sub("", name), kind):
            return 96.0
    fuzzy = similarity(predicted, name)
    if fuzzy >= FUZZY_THRESHOLD:
        return fuzzy
    if _is_surname_match(predicted, name):
        return 87.0
    actor = alias(predicted, "actors")
    if actor is not None and actor == alias(name, "actors"):
        return 85.0
    return None


def _speaker_names(pred: OfficialReaction) -> list[str]:
    """The predicted speaker, then the speaker with its affiliation: "Foreign Ministry" of "Syria's
    Foreign Ministry" is the gold's "Syrian Foreign Ministry"."""
    names = [pred.speaker]
    if pred.affiliation and key(pred.affiliation) != key(pred.speaker):
        within = f" {key(pred.speaker)} " in f" {key(pred.affiliation)} "
        names.append(pred.affiliation if within else f"{pred.affiliation} {pred.speaker}")
    return names


def _reaction_score(pred: OfficialReaction, gold: dict[str, Any]) -> float | None:
    """Best speaker score against the gold speaker or, one point lower, any of its ``speaker_aliases``;
    one point lower again for the speaker read with its affiliation."""
    found = [
        score - (i > 0) - (j > 0)
        for j, predicted in enumerate(_speaker_names(pred))
        for i, name in enumerate([gold["speaker"], *gold.get("speaker_aliases", [])])
        if (score := _speaker_score(predicted, name)) is not None
    ]
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


def score_article_reactions(
    article_id: str,
    predicted: list[OfficialReaction],
    entry: dict[str, Any],
    tally: ReactionTally,
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
    matched, scores = match_greedily(predicted, gold, _reaction_score)
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
    article_id: str, pred: OfficialReaction, gold: dict[str, Any], tally: ReactionTally, errors: list[dict[str, Any]]
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


def score_reactions(tally: ReactionTally) -> dict[str, Any]:
    c = tally.counts
    return {
        **detection(tally),
        "stance_correct": tally.stance_correct,
        "stance_accuracy": ratio(tally.stance_correct, c.tp),
        "quote_correct": tally.quote_correct,
        "quote_total": tally.quote_total,
        "quote_accuracy": ratio(tally.quote_correct, tally.quote_total),
    }
