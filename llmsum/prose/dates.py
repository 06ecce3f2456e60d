"""Resolving "on Sunday" or "pre-dawn Wednesday" against the article's dateline.

Deterministic on purpose: models are poor at calendar arithmetic, and a date that cannot be
resolved is better left null (with its wording kept) than guessed.
"""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))


def month_of(word: str) -> int | None:
    """The month a word names in full or abbreviated ("March", "Sept."), or None."""
    return _MONTHS.get(word.lower().rstrip("."))


_MONTH_DAY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?", re.I)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\.?\b(?:,?\s+(\d{{4}}))?", re.I)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(_WEEKDAYS) + r")\b", re.I)


def _month_date(year: int, month: int, day: int, published: dt.date | None, explicit_year: bool) -> dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    if published and not explicit_year and date > published + dt.timedelta(days=1):
        try:
            date = dt.date(year - 1, month, day)
        except ValueError:
            return None
    return date


def resolve_date(date_text: str | None, published: str | None) -> tuple[str | None, str]:
    """(ISO date or None, how it was resolved)."""
    if not date_text:
        return None, "no date wording"
    pub = dt.date.fromisoformat(published) if published else None
    text = date_text.lower()
    if m := _ISO.search(text):
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), "explicit"
        except ValueError:
            pass
    for pattern, order in ((_MONTH_DAY, "md"), (_DAY_MONTH, "dm")):
        if m := pattern.search(date_text):
            month_s, day_s = (m[1], m[2]) if order == "md" else (m[2], m[1])
            year_s = m[3]
            year = int(year_s) if year_s else (pub.year if pub else None)
            if year is None:
                return None, "day and month without a year in an undated article"
            date = _month_date(year, _MONTHS[month_s.lower().rstrip(".")], int(day_s), pub, bool(year_s))
            if date:
                return date.isoformat(), "explicit"
    if pub is None:
        return None, "relative wording in an undated article"
    if re.search(r"\byesterday\b|\blast night\b|\bovernight\b", text):
        return (pub - dt.timedelta(days=1)).isoformat(), "relative to dateline"
    if re.search(r"\btoday\b|\bthis morning\b|\bearlier today\b|\btonight\b", text):
        return pub.isoformat(), "relative to dateline"
    if m := _WEEKDAY.search(text):
        target = _WEEKDAYS.index(m[1].lower())
        back = (pub.weekday() - target) % 7
        if re.search(rf"\blast\s+{m[1]}", text) and back == 0:
            back = 7
        return (pub - dt.timedelta(days=back)).isoformat(), "weekday before dateline"
    return None, "wording not resolvable to a day"
