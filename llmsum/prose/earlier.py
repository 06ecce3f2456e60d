"""Earlier attacks an article tells of as context, found from the way news prose sets them apart.

A small model asked for "every strike, past ones with background: true" lists the one the article
reports and stops (on the seeds and the dev corpus it never listed a second). News prose introduces
an earlier attack in a fixed way: one attack, named with "a", "an" or "another", in a sentence that
sets it in the past ("It came after a rocket attack on the base earlier this month", "less than a
month after a drone strike in the capital killed ..."). llmsum finds those passages itself and asks
the model to fill one record for each, as it does for speakers: finding is cheap in code, reading
the fields is what the model is for.

Plural or generic mentions ("repeated attacks", "strikes in recent weeks") are not found: they name
no one attack. Neither is the article's first sentence, which reports its own strike, nor a photo
caption.
"""

from __future__ import annotations

import re

from llmsum.prose import sentences
from llmsum.prose.attribution import alternation, lexicon
from llmsum.prose.casualties import HARM

_L = lexicon()
# one attack: a singular strike noun after "a", "an" or "another" and at most four words ("a suspected
# Israeli drone attack"); a plural, or "the attack" (often the article's own strike), names no new one. The
# words between are the attack's own: no article or preposition ("a day after the strike" is no attack)
_SINGULAR = [noun for noun in _L["strike_nouns"] if not noun.endswith("s")]
_NOT_A_MODIFIER = r"(?!(?:the|this|that|these|those|its|their|his|her|after|before|on|in|of|by|at|to|for|said)\b)"
ONE_ATTACK = re.compile(
    rf"\b(?:an?|another)\s+(?:{_NOT_A_MODIFIER}[\w.’'-]+\s+){{0,4}}?{alternation(_SINGULAR)}\b", re.I
)
EARLIER = re.compile(rf"\b{alternation(_L['earlier_cues'])}\b", re.I)
# the next sentence goes on about the same attack when it says whom else it hurt ("... were also injured");
# "The UN also condemned the raid" says nothing of the attack's toll
_GOES_ON = re.compile(r"\balso\b", re.I)
MAX_PASSAGES = 3


def earlier_strikes(text: str) -> list[tuple[int, int]]:
    """(start, end) of each passage that tells of an earlier attack: its sentence, and the next one in
    the same paragraph when that goes on about it. At most ``MAX_PASSAGES``, in text order."""
    starts = sentences.sentence_starts(text)
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    found: list[tuple[int, int]] = []
    for i, (lo, hi) in enumerate(bounds):
        sentence = text[lo:hi]
        if i == 0 or not sentence.strip() or sentences.is_caption(text, lo):
            continue
        if not (ONE_ATTACK.search(sentence) and EARLIER.search(sentence)):
            continue
        end = lo + len(sentence.rstrip())
        same_paragraph = "\n" not in sentence[len(sentence.rstrip()) :]  # the break is the sentence's tail
        if same_paragraph and i + 1 < len(bounds):
            nxt = text[slice(*bounds[i + 1])]
            if _GOES_ON.search(nxt) and HARM.search(nxt) and not ONE_ATTACK.search(nxt):
                end = bounds[i + 1][0] + len(nxt.rstrip())
        found.append((lo, end))
        if len(found) == MAX_PASSAGES:
            break
    return found
