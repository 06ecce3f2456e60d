"""Publication dates as feeds and pages write them, reduced to the day the contract keeps.

Feeds give ISO timestamps ("2024-01-02T10:00:00+02:00"), RSS and HTTP dates ("Tue, 02 Jan 2024
10:00:00 GMT", RFC 2822) or Unix times (1704189600, "1704189600"); trafilatura gives an HTML page's
meta date as "2024-01-02". The day kept is the day as written, in the writer's own offset: a story
stamped 23:30 -05:00 on the 2nd was published on the 2nd for its readers. A Unix time has no
offset and is read in UTC.

A value that is none of these must not cost the article its text: the loader keeps the article
undated and records why (``ProblemKind.bad_published``).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?:$|[T ])")
_UNIX = re.compile(r"\d{1,13}(?:\.\d+)?")
# Unix times this large are milliseconds (JavaScript's Date.now()); in seconds they would be
# after the year 5000.
_MILLISECONDS_FROM = 100_000_000_000


def publication_day(value: object) -> str | None:
    """'YYYY-MM-DD' of a publication date as a feed or page gives it; None when there is none.

    Raises ``ValueError`` saying what was expected when the value is not a date llmsum can read.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):  # a bool is an int to Python, never a date
        raise ValueError("a true/false value, not a date")
    if isinstance(value, int | float):
        return _unix_day(float(value))
    if not isinstance(value, str):
        raise ValueError(f"a {type(value).__name__}, not a date")
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("z", "Z")).date().isoformat()
    except ValueError as err:
        if _ISO_DAY.match(text):
            raise ValueError(f"not a valid ISO date ({err})") from None
    if _UNIX.fullmatch(text):
        return _unix_day(float(text))
    for candidate in (text, f"{text} 00:00:00"):  # RSS dates without a time ("Tue, 02 Jan 2024") too
        try:
            return email.utils.parsedate_to_datetime(candidate).date().isoformat()
        except (TypeError, ValueError, IndexError):
            continue
    raise ValueError("expected an ISO date or time, an RFC 2822 date (as in RSS) or a Unix time")


def _unix_day(seconds: float) -> str:
    if seconds >= _MILLISECONDS_FROM:
        seconds /= 1000
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date().isoformat()
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"Unix time {seconds:.0f} is out of range") from None
