"""Reading casualty and target figures as written: "25", "twenty-five", "one hundred and twenty",
"two thousand", "1.5 million", "at least 25", "dozens", "between 16 and 18", "three in Iraq and two in
Syria".

Every number word llmsum knows is in the tables below, read by one grammar; a vague quantity is
a conservative lower bound (see ``VAGUE``), so a brief never states more deaths than a source did."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# ----------------------------------------------------------------- the one table of number words

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000}
# Vague quantities, read conservatively as ACLED's codebook codes fatalities: a vague plural is a
# lower bound of one of its unit ("tens" 10, "dozens" 12, "scores" 20, "hundreds" 100, "thousands"
# 1,000), times a scale after it ("tens of thousands" 10,000, "several hundred" 300). Words the
# codebook does not cover keep their smallest plausible reading ("several" 3, "a few" 2).
VAGUE: dict[str, tuple[int, int | None]] = {
    "a dozen": (12, 12),
    "tens": (10, None),
    "dozens": (12, None),
    "scores": (20, None),
    "hundreds": (100, None),
    "thousands": (1_000, None),
    "several": (3, None),
    "a number of": (2, None),
    "a few": (2, None),
}


def _alternation(words: Iterable[str]) -> str:
    """Longest first, so "seventeen" is not read as "seven"; spaces match any run of spaces."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SCALE_WORD = r"(?:hundred|thousand|million)"
_NOT_SCALED = rf"(?![- ]?\s*{_SCALE_WORD}\b)"  # "one hundred and two" must not run into "two hundred"
_ONE_TO_NINE = _alternation(k for k, v in UNITS.items() if 0 < v < 10)
_BELOW_100 = rf"(?:(?:{_alternation(TENS)})(?:[- ](?:{_ONE_TO_NINE}))?|(?:{_alternation(UNITS)}))"
_BELOW_1000 = rf"(?:(?:{_BELOW_100}|an?)\s+hundred(?:\s+(?:and\s+)?{_BELOW_100}\b{_NOT_SCALED})?|{_BELOW_100})"
# "twenty-five", "one hundred and twenty", "a hundred", "two thousand five hundred", "1.5 million"
NUMBER_WORDS = (
    rf"(?:(?:{_BELOW_1000}|an?)\s+(?:thousand|million)(?:,?\s+(?:and\s+)?{_BELOW_1000}\b{_NOT_SCALED})?|{_BELOW_1000})"
)
SCALED_DIGITS = r"\d+(?:\.\d+)?\s+(?:thousand|million)"
_NUMBER = re.compile(
    rf"\b(?:(?P<scaled>{SCALED_DIGITS})|(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)|(?P<words>{NUMBER_WORDS}))\b",
    re.I,
)
_VAGUE_RE = re.compile(
    rf"\b(?P<vague>{_alternation(VAGUE)})(?:\s+(?:of\s+)?(?P<scale>{_SCALE_WORD})s?)?\b",
    re.I,
)


def word_value(phrase: str) -> int | None:
    """The value of a number written in words or scaled digits: "one hundred and twenty" 120,
    "two thousand" 2000, "a hundred" 100, "1.5 million" 1500000; None if it is not one."""
    total = current = 0.0
    for token in re.split(r"[\s,\-]+", phrase.lower().strip()):
        if token in ("and", ""):
            continue
        if token in ("a", "an"):
            current += 1
        elif token in UNITS or token in TENS:
            current += UNITS.get(token, 0) + TENS.get(token, 0)
        elif token == "hundred":
            current = max(current, 1) * 100
        elif token in SCALES:
            total += max(current, 1) * SCALES[token]
            current = 0
        elif re.fullmatch(r"\d+(?:\.\d+)?", token):
            current = float(token)  # "1.5" of "1.5 million"
        else:
            return None
    return round(total + current)


def vague_range(phrase: str) -> tuple[int, int | None] | None:
    """(min, max) of a vague quantity: "dozens" (12, None), "tens of thousands" (10000, None)."""
    m = _VAGUE_RE.fullmatch(phrase.strip())
    if m is None:
        return None
    lo, hi = VAGUE[" ".join(m.group("vague").lower().split())]
    scale = SCALES[m.group("scale").lower()] if m.group("scale") else 1
    return lo * scale, None if hi is None else hi * scale


def vague_in(text: str) -> tuple[int, int | None] | None:
    """(min, max) of the first vague quantity written in a phrase ("several were wounded": 3), or None."""
    m = _VAGUE_RE.search(text)
    return vague_range(m.group(0)) if m else None


_LOWER = re.compile(r"\b(at least|more than|over|upwards of|in excess of|no fewer than|not less than)\s+$", re.I)
_UPPER = re.compile(r"\b(up to|at most|fewer than|less than|as many as)\s+$", re.I)
_RANGE = re.compile(r"\b(?:between\s+)?(\S+)\s+(?:and|to|-|–)\s+(\S+)$", re.I)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_NON_COUNT_AFTER = re.compile(
    r"^\s*(?:%|percent|per cent|years?\b|months?\b|weeks?\b|days?\b|hours?\b|minutes?\b|km|kilomet|miles?\b|"
    rf"am\b|pm\b|a\.m|p\.m|GMT|local time|o'clock|:\d|{_MONTHS}\b\.?)",
    re.I,
)
_MONTH_BEFORE = re.compile(rf"\b{_MONTHS}\.?\s+$", re.I)
TARGET_WORDS = re.compile(
    r"facilit|site|target|location|base|headquarter|depot|position|installation|compound|camp|warehouse|"
    r"command|center|centre|storage|building|hideout|infrastructure",
    re.I,
)


@dataclass(frozen=True)
class Number:
    value: int
    start: int
    end: int
    vague: bool = False


def is_count(text: str, start: int, end: int) -> bool:
    """Whether the number at text[start:end] counts things, not a date, time, distance or share."""
    if _NON_COUNT_AFTER.match(text[end : end + 12]):
        return False
    if text[start] == "0" or _ISO_BEFORE.search(text[max(0, start - 8) : start]):
        return False  # "2024-04-01", "07": part of a date or a time
    return not _MONTH_BEFORE.search(text[max(0, start - 12) : start])


_ISO_BEFORE = re.compile(r"\d{4}-(?:\d{1,2}-)?$")


def numbers_in(text: str) -> list[Number]:
    """Counts written in digits or words, skipping years, times, percentages and distances."""
    found: list[Number] = []
    for m in _NUMBER.finditer(text):
        after = text[m.end() : m.end() + 12]
        if _NON_COUNT_AFTER.match(after):
            continue
        if m.group("scaled"):
            value = word_value(m.group("scaled"))
            if value is None:
                continue
        elif m.group("digits"):
            value = int(m.group("digits").replace(",", ""))
            if 1900 <= value <= 2100 and "," not in m.group("digits"):
                continue  # a year
            if text[max(0, m.start() - 1) : m.start()] in {":", "/", "."} or re.match(r"\.\d", text[m.end() :]):
                continue  # part of a time, a fraction or a decimal ("2.1 percent"), not a count
            if _MONTH_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue  # "January 24": a day of the month
        else:
            value = word_value(m.group("words"))
            if value is None:
                continue
        found.append(Number(value, m.start(), m.end()))
    for m in _VAGUE_RE.finditer(text):
        if (vague := vague_range(m.group(0))) is not None:
            found.append(Number(vague[0], m.start(), m.end(), vague=True))
    return sorted(found, key=lambda n: n.start)


def read_figure(text: str, words: re.Pattern[str] | None = None) -> tuple[int | None, int | None] | None:
    """(min, max) of a figure in a phrase, following the contract's conventions.

    With ``words`` (e.g. wounded/injured), a phrase holding several figures ("two dead and two
    wounded") is read at the figure closest before the first such word.
    """
    chosen = _chosen(text, words)
    if chosen is None:
        return None
    nums, at = chosen
    first = nums[at]
    if first.vague:
        return vague_range(text[first.start : first.end])
    before_text = text[: first.start]
    if at + 1 < len(nums) and _is_range_gap(text, first, nums[at + 1]):
        second = nums[at + 1]
        return min(first.value, second.value), max(first.value, second.value)
    if _LOWER.search(before_text):
        return first.value, None
    if _UPPER.search(before_text):
        return None, first.value
    return first.value, first.value


def is_vague(text: str, words: re.Pattern[str] | None = None) -> bool:
    """Whether the figure ``read_figure`` reads in the phrase is a vague quantity ("several more
    wounded", "dozens"): words, not a number the article gives."""
    chosen = _chosen(text, words)
    return chosen is not None and chosen[0][chosen[1]].vague


def _chosen(text: str, words: re.Pattern[str] | None) -> tuple[list[Number], int] | None:
    nums = numbers_in(text)
    if not nums:
        return None
    at = 0
    if words is not None and len(nums) > 1 and (hit := words.search(text)):
        word_end = hit.end() + len(re.match(r"\w*", text[hit.end() :])[0])  # "wound" -> "wounding"

        def distance(n: Number) -> int:
            if n.end <= hit.start():
                return hit.start() - n.end
            # "were killed and 25 others were injured": a number after the word and a conjunction opens
            # the next clause, with a figure of its own
            if _NEXT_CLAUSE.match(text[word_end : n.start]):
                return len(text) + n.start
            return n.start - word_end + 3

        at = min(range(len(nums)), key=lambda i: (distance(nums[i]), i))
        # the second figure of a range ("16 to 18 killed") belongs with the first
        if at > 0 and _is_range_gap(text, nums[at - 1], nums[at]):
            at -= 1
    return nums, at


_NEXT_CLAUSE = re.compile(r"[\s,;]+(?:and|while|but|as well as|with)\s", re.I)


def _is_range_gap(text: str, a: Number, b: Number) -> bool:
    gap = text[a.end : b.start]
    if re.fullmatch(r"\s*(?:to|-|–)\s*", gap, re.I):
        return True
    return bool(re.fullmatch(r"\s*and\s*", gap, re.I) and re.search(r"between\s+$", text[: a.start], re.I))


_PER_PLACE = re.compile(r"^\s+(?:[a-z]+\s+)?(?:in|at|near)\s+(?:the\s+)?[A-Z]")


def sums_nearby(nums: list[Number], text: str, window: int = 60) -> list[tuple[int, int, int]]:
    """Totals of two or three figures listed per place ("three in Iraq and two in Syria" -> 5).

    Each figure must be followed by its place ("in Iraq", "sites in Syria"), so that unrelated
    numbers of one sentence ("two countries ... three") are never added up."""
    totals: list[tuple[int, int, int]] = []
    per_place = [bool(_PER_PLACE.match(text[n.end : n.end + 40])) and not n.vague for n in nums]
    for i in range(len(nums)):
        if not per_place[i]:
            continue
        total = nums[i].value
        for j in range(i + 1, min(i + 3, len(nums))):
            gap = text[nums[j - 1].end : nums[j].start]
            if len(gap) > window or "." in gap or not per_place[j]:
                break
            total += nums[j].value
            totals.append((total, nums[i].start, nums[j].end))
    return totals
