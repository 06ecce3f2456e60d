"""Target groups the text names for a strike when the model gave only a description.

A small model sometimes copies the article's wording of what was hit ("Iraqi military sites")
instead of the group the same article names elsewhere ("American warplanes targeted the
headquarters of the Popular Mobilization Forces"). Known group names come from the alias data
(``data/aliases.json`` plus ``LLMSUM_ALIASES``), never from code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from llmsum.prose import align, sentences
from llmsum.prose.attribution import STRIKE_WORD, alternation, lexicon
from llmsum.prose.names import actor_variants, alias, alias_table, key, mentions


@dataclass(frozen=True)
class GroupMention:
    name: str  # as written
    canonical: str
    start: int
    end: int


def known_groups_hit(text: str, attacker: str | None) -> list[GroupMention]:
    """Known groups named in a sentence that says the attacker hit something, in order of first mention."""
    own = actor_variants(attacker)
    table = alias_table().get("groups", {})
    if not own or not table:
        return []
    found: dict[str, GroupMention] = {}
    for lo in sentences.sentence_starts(text):
        hi = sentences.sentence_bounds(text, lo)[1]
        sentence = text[lo:hi]
        if not (STRIKE_WORD.search(sentence) and mentions(sentence, own)):
            continue
        folded = f" {key(sentence)} "
        tried: list[tuple[int, int]] = []  # a longer name's words, taken or not, hold no shorter one
        for variant in sorted(table, key=len, reverse=True):
            if f" {variant} " not in folded or table[variant] in found:
                continue
            # the first time the name is written outside a longer name already tried ("Hezbollah" inside
            # "Kataib Hezbollah" is not the Lebanese group; "... and of Hezbollah in Lebanon" is)
            hits = [h for h in (align.find(variant, sentence), *_written_all(variant, sentence)) if h is not None]
            hit = next((h for h in hits if not any(a <= h.start and h.end <= b for a, b in tried)), None)
            if hit is None:
                continue
            tried.append((hit.start, hit.end))
            if mentions(sentence[hit.start : hit.end], own) or _opposed(sentence[: hit.start]):
                continue  # the attacker's own troops; "the coalition against the Islamic State" names a foe
            if not re.match(r"(?!al-|el-)[a-z]", sentence[hit.start : hit.end]):
                # a name is capitalised: "hashed out" is not the Hashed
                start, end = lo + hit.start, lo + hit.end
                found[table[variant]] = GroupMention(text[start:end], table[variant], start, end)
    return sorted(found.values(), key=lambda g: g.start)


def _written_all(variant: str, sentence: str) -> list[align.Match]:
    """Every place a folded name is written, with dots or hyphens ("u s soldiers": "U.S. soldiers")."""
    pattern = r"[\s.\-'’]*".join(re.escape(word) for word in variant.split())
    return [
        align.Match(start=m.start(), end=m.end(), method="normalized", score=100.0)
        for m in re.finditer(rf"(?<!\w){pattern}(?!\w)", sentence, re.I)
    ]


# "the coalition against the Islamic State", "the fight against ISIS": a foe named in a side's own
# description, not what the strike hit ("strikes against", "retaliated against" are)
_AGAINST = re.compile(rf"\b{alternation(lexicon()['foe_nouns'])}\s+against\s+(?:the\s+)?$", re.I)


def _opposed(before: str) -> bool:
    return _AGAINST.search(before) is not None


def is_known_group(name: str) -> bool:
    return alias(name, "groups") is not None
