"""Sentences, captions and quotations: the units grounding reasons about.

Offsets are into the normalised article text. Sentence splitting is deliberately simple (news prose,
one regex) and cached per text, because grounding asks for the same text's sentences many times.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@lru_cache(maxsize=64)
def sentence_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        starts.append(m.end())
    return tuple(starts)


def sentence_index(text: str, pos: int) -> int:
    return bisect.bisect_right(sentence_starts(text), pos) - 1


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    starts = sentence_starts(text)
    i = sentence_index(text, pos)
    end = starts[i + 1] if i + 1 < len(starts) else len(text)
    return starts[i], end


_CREDIT = re.compile(r"\((?:AFP|AP|Reuters|Getty|EPA|File|Photo)[^)]{0,30}\)\s*$|^\s*(?:photo|file photo)\b", re.I)
_PHOTO = re.compile(r"\b(?:photo|file picture|pictured)\b", re.I)


def is_caption(text: str, pos: int) -> bool:
    """Photo captions and credits are not evidence for what happened when: a line that ends in
    a photo credit, or a short line that says it describes a photo."""
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return bool(_CREDIT.search(line)) or (len(line) < 300 and bool(_PHOTO.search(line)))


# Single quotes double as apostrophes ("won’t", "Iraq's"): a single-quoted span closes only at a
# mark not followed by a letter.
_QUOTED = re.compile(
    r"“[^”\n]{2,}”|\"[^\"\n]{2,}\"|«[^»\n]{2,}»|„[^“”\n]{2,}[“”]"
    r"|(?<![A-Za-z])‘[^\n]{8,}?’(?![A-Za-z])|(?<![A-Za-z])'[^\n]{8,}?'(?![A-Za-z])"
)


def quoted_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the words inside quotation marks, marks excluded."""
    return [(m.start() + 1, m.end() - 1) for m in _QUOTED.finditer(text)]
