"""Scoring extractions and their brief against gold annotations (the format of ``seeds_gold.json``).

The scoring conventions are those of the gold README: only US (or US-led coalition) strikes count,
strikes listed in ``optional_strikes`` are neither rewarded nor penalised, militia attacks count
against llmsum only when they come out as US strikes, ``optional`` reactions are neither required nor
penalised, and ``event_date_alternatives`` / ``alt_quotes`` / ``speaker_aliases`` are also accepted.
The gold itself, turned into extractions with ``llmsum.eval.gold.gold_extractions``, scores 1.0 everywhere,
so the gold's own simplifications (parenthetical notes stripped, "unspecified" groups dropped) are
applied to the gold side here too.

Four parts, each with the reason it exists:

* **strikes** (did the extractor find the strikes, and get their fields right?): per article, predicted
  strikes are matched greedily to gold strikes that share a target group, a place below country level,
  or the date with the same attacker. precision / recall / F1 count matched (TP), unmatched gold (FN),
  and unmatched predicted US strikes not listed as optional (FP). Per-field accuracy over matched pairs
  for ``STRIKE_FIELDS``. Headline ``strike_field_f1``: F1 over (strike, field) units, see
  ``strike_scores``.
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

from collections.abc import Sequence
from typing import Any

from llmsum.eval.common import ratio
from llmsum.eval.events import event_scores
from llmsum.eval.reactions import ReactionTally, score_article_reactions, score_reactions
from llmsum.eval.strikes import StrikeTally, any_attacker_scope, score_article_strikes, score_strikes
from llmsum.models import (
    ArticleExtraction,
    Brief,
)


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
        "quote_share": ratio(*quotes),
        "figures_verbatim": figures[0],
        "figures_total": figures[1],
        "figure_share": ratio(*figures),
    }


def evaluate(
    extractions: Sequence[ArticleExtraction],
    brief: Brief,
    gold: dict[str, Any],
    texts: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Score extractions (strikes, reactions), their brief (events) and, given the article ``texts``,
    grounding, against ``gold``. Only gold articles that have an extraction are scored (a failed
    extraction counts, with nothing found); the others are listed under ``articles``.

    Headlines at top level: ``strike_field_f1`` (see ``strike_scores``) and ``reaction_recall``."""
    by_id: dict[str, ArticleExtraction] = {}
    for ex in extractions:
        by_id.setdefault(ex.article.id, ex)
    gold_articles: dict[str, dict[str, Any]] = gold.get("articles", {})
    scored = sorted(set(gold_articles) & set(by_id))
    gold_events = {e["event_id"]: e for e in gold.get("events", []) if e.get("event_id")}
    errors: list[dict[str, Any]] = []
    any_attacker = any_attacker_scope(gold)
    strikes, reactions = StrikeTally(), ReactionTally()
    for article_id in scored:
        ex, entry = by_id[article_id], gold_articles[article_id]
        score_article_strikes(article_id, list(ex.strikes), entry, gold_events, strikes, errors, any_attacker)
        score_article_reactions(article_id, list(ex.reactions), entry, reactions, errors)
    strike_scores = score_strikes(strikes)
    reaction_scores = score_reactions(reactions)
    return {
        "strike_field_f1": strike_scores["field_f1"],
        "reaction_recall": reaction_scores["recall"],
        "scope": "any attacker" if any_attacker else "US strikes",
        "articles": {
            "scored": len(scored),
            "missing": sorted(set(gold_articles) - set(by_id)),
            "not_in_gold": sorted(set(by_id) - set(gold_articles)),
        },
        "strikes": strike_scores,
        "reactions": reaction_scores,
        "events": event_scores(brief, gold, set(scored), errors),
        "grounding": _grounding(extractions, texts),
        "errors": errors,
    }
