"""Locating a model's words in the article: exact, then normalised, then fuzzy.

Normalisation keeps a map back to original offsets, so whatever matches, the span we publish is
always a verbatim slice of the article text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

_QUOTES = dict.fromkeys(map(ord, "\"'`´‘’‚‛“”„‟«»‹›"), "'")
_DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    method: str  # exact | normalized | fuzzy
    score: float


def _fold_char(ch: str) -> str:
    ch = ch.translate(_QUOTES).translate(_DASHES)
    if ch == "…":
        return "..."
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    if ch.isspace():
        return " "
    return base.lower()


@lru_cache(maxsize=256)
def folded(text: str) -> tuple[str, tuple[int, ...]]:
    """Case-, quote-, dash-, accent- and whitespace-folded text with a map to original offsets."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        piece = _fold_char(ch)
        for p in piece:
            if p == " " and out and out[-1] == " ":
                continue
            out.append(p)
            index.append(i)
    return "".join(out), tuple(index)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The same folding as ``folded`` without the offset map: fast, for names and keys."""
    text = text.translate(_QUOTES).translate(_DASHES).replace("…", "...")
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()
    return _WHITESPACE.sub(" ", text).strip(" '.,;:")


def _back(text: str, index: tuple[int, ...], start: int, end: int) -> tuple[int, int]:
    if end <= start:
        return index[start], index[start]
    return index[start], index[end - 1] + 1


def _at_word_edges(text: str, start: int, end: int) -> bool:
    left_ok = start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
    right_ok = end >= len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
    return left_ok and right_ok


def _first_whole(haystack: str, needle: str) -> int:
    """First occurrence that starts and ends on word edges: 'US' is not found inside 'Houston'."""
    pos = haystack.find(needle)
    while pos >= 0:
        if _at_word_edges(haystack, pos, pos + len(needle)):
            return pos
        pos = haystack.find(needle, pos + 1)
    return -1


def find(needle: str, text: str, *, threshold: float = 90.0, fuzzy: bool = True) -> Match | None:
    """Where ``needle`` sits in ``text``, or None. Fuzzy matches need ``threshold`` (0-100)."""
    needle = needle.strip()
    if not needle:
        return None
    pos = _first_whole(text, needle)
    if pos >= 0:
        return Match(pos, pos + len(needle), "exact", 100.0)
    if needle.isupper() and len(needle) <= 5:
        return None  # an acronym ("IS", "PMF") only counts written as such, not as the word "is"
    hay, index = folded(text)
    ndl = fold(needle)
    if not ndl:
        return None
    pos = _first_whole(hay, ndl)
    if pos >= 0:
        start, end = _back(text, index, pos, pos + len(ndl))
        return Match(start, end, "normalized", 100.0)
    if not fuzzy or len(ndl) < 8:
        return None  # fuzzy matching of short strings finds anything
    aligned = fuzz.partial_ratio_alignment(ndl, hay, score_cutoff=threshold)
    if aligned is None:
        return None
    start, end = _back(text, index, aligned.dest_start, aligned.dest_end)
    start, end = _trim_to_words(text, start, end)
    return Match(start, end, "fuzzy", round(aligned.score, 1))


def _trim_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Extend a fuzzy hit to whole words so the published span is readable."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return start, end
