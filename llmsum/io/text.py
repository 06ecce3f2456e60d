"""Text normalisation applied to every article before anything else.

Offsets in evidence spans point into the *normalised* text, so this is the single place
where an article's characters may change.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Broken entity forms seen in scraped news text: "& # 39;", "&# 39;", ",quot;" (a lost "&"),
# "&amp;quot;" (double-escaped).
_SPACED_NUMERIC = re.compile(r"&\s*#\s*(x?[0-9a-fA-F]{1,6})\s*;")
_LOST_AMP = re.compile(r"(?:,|(?<![&\w]))(quot|apos|rsquo|lsquo|rdquo|ldquo|mdash|ndash);")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def _numeric_entity(match: re.Match[str]) -> str:
    code = match.group(1)
    try:
        value = int(code[1:], 16) if code[:1] in "xX" else int(code)
        return chr(value)
    except (ValueError, OverflowError):
        return match.group(0)


def normalize_text(raw: str) -> str:
    """Return the canonical form of an article's text.

    Entities are decoded twice because double-escaped HTML ("&amp;quot;") is common in feeds.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = _SPACED_NUMERIC.sub(_numeric_entity, text)
    for _ in range(2):
        text = html.unescape(text)
    text = _LOST_AMP.sub(lambda m: html.unescape(f"&{m.group(1)};"), text)
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NEWLINES.sub("\n\n", text)
    return text.strip()


_PUNCTUATION = re.compile(r"[^\w\s]+")
_ANY_SPACE = re.compile(r"\s+")


def duplicate_key(text: str) -> str:
    """What two copies of one story share: a wire story re-published by another outlet often
    differs only in case (a headline in capitals), line breaks and spacing, or typographic
    punctuation (curly quotes, dashes). Case-folded, punctuation read as a space, spaces collapsed."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _ANY_SPACE.sub(" ", _PUNCTUATION.sub(" ", folded)).strip()
