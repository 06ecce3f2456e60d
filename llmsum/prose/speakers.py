"""Who speaks in an article, found from the way news text attributes speech.

A small model asked for "every reaction" lists the first two or three speakers and stops. News
prose marks speakers in a few fixed ways ("..., said X", "X told reporters", "X, who also
condemned ...", "according to X"), so llmsum finds the candidates itself and asks the model to
judge each one: finding is cheap and reliable in code, judging stance is what the model is for.
Grounding checks every name the model returns, and uses the same finder to tell whose words a
quotation is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from llmsum.models import MAX_SPEAKERS
from llmsum.prose import sentences
from llmsum.prose.attribution import (
    INVERTED_VERBS,
    NAMING_WORDS,
    NEWS_OUTLET,
    PRONOUN_SAID,
    REACTION_PHRASE,
    REPORTER,
    SOURCE_PHRASE,
    SPEECH_VERB,
)
from llmsum.prose.names import alias, key


def same_speaker(a: str, b: str) -> bool:
    """'Mousavi' and 'Abbas Mousavi' are one speaker; 'Hezbollah' and 'Kataib Hezbollah' are not."""
    words_a, words_b = set(key(a).split()), set(key(b).split())
    if not words_a or not words_b:
        return False
    return (words_a <= words_b or words_b <= words_a) and not _distinct_groups(a, b)


# A name: capitalised words, with the particles and joiners names carry inside them.
_CAP = r"(?:[A-Z][\w'’.\-]*|al-[A-Z][\w'’\-]*|el-[A-Z][\w'’\-]*)"
_JOIN = r"(?:\s+(?:of|al|el|bin|ibn|de|der|van|von|la|for)\b)?"
_RUN = re.compile(rf"{_CAP}(?:{_JOIN}\s+{_CAP})*")
_ORG_TAIL = re.compile(
    r"^\s+(?:military|government|army|ministry|foreign ministry|defen[cs]e ministry|forces|embassy|"
    r"command|spokesman|spokeswoman|spokesperson|officials?|statement)\b"
)
# Between a subject and its verb: "X also condemned", "X has said", "X on Monday said".
_BRIDGE = re.compile(
    r"(?:\s*,\s*(?:who|whose|which)\b[^,]{0,120},?)?(?:\s+(?:also|has|have|had|later|then|again|further|"
    r"publicly|separately|strongly|swiftly|quickly|repeatedly|on \w+|in a statement))*\s*$"
)
# An appositive between commas right before the verb: "Hezbollah, also backed by Iran, condemned".
_APPOSITIVE = re.compile(r",\s+[^,]{1,80},\s*$")
_NAMED = re.compile(rf"{NAMING_WORDS}\s+(?:the\s+)?(?P<name>.+)")
_DESCRIPTION = re.compile(r"(?:^|[.;:]\s*|\s)(?:[Tt]he|[Aa]n?)\s+(?:[a-z][\w\-]*\s+){0,2}[a-z][\w\-]*\s*$")

_TITLES = {
    "president",
    "prime",
    "minister",
    "secretary",
    "state",
    "defense",
    "defence",
    "foreign",
    "interior",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "general",
    "gen",
    "major",
    "maj",
    "lt",
    "lieutenant",
    "colonel",
    "col",
    "chief",
    "commander",
    "admiral",
    "adviser",
    "advisor",
    "national",
    "security",
    "deputy",
    "vice",
    "ambassador",
    "senator",
    "sen",
    "rep",
    "representative",
    "affairs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sheikh",
    "ayatollah",
    "supreme",
    "leader",
    "king",
    "emir",
    "crown",
    "prince",
    "speaker",
    "envoy",
    "head",
    "director",
    "caretaker",
    "acting",
    "army",
    "staff",
    "joint",
    "chiefs",
}
_NOT_SPEAKERS = {
    "the",
    "a",
    "an",
    "but",
    "and",
    "in",
    "on",
    "at",
    "after",
    "before",
    "meanwhile",
    "however",
    "also",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "there",
    "his",
    "her",
    "their",
    "its",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "statement",
    "sources",
    "source",
    "officials",
    "official",
    "reporters",
    "reports",
    "media",
    "earlier",
    "later",
    "last",
    "speaking",
    "separately",
    "while",
    "when",
    "as",
    "if",
    "since",
    "for",
    "with",
    "from",
    "according",
    "some",
    "many",
    "one",
    "two",
    "three",
    "both",
    "others",
    "another",
}


@dataclass(frozen=True)
class Candidate:
    """A possible speaker: the name as written, the title written with it, and where it speaks."""

    name: str
    role: str | None
    start: int  # offset of the first attribution in the article text
    said: str = ""  # the sentence of that attribution, shortened: what the model judges them on


_OFFICES = {
    "council", "committee", "ministry", "command", "government", "office", "court", "assembly", "parliament",
    "guard", "guards", "corps", "forces", "army", "navy", "department", "agency", "authority", "cabinet",
    "presidency", "headquarters", "secretariat", "coalition", "front", "brigades", "movement", "party",
}  # fmt: skip


def _split_title(run: str) -> tuple[str, str | None]:
    """'Iraqi Prime Minister Adel Abdul Mahdi' -> ('Adel Abdul Mahdi', 'Iraqi Prime Minister');
    "Lebanon's Iran-backed Hezbollah" -> ('Hezbollah', "Lebanon's Iran-backed")."""
    words = run.split()
    if not words or re.match(
        r"(?!al-|el-)[a-z]", words[-1]
    ):  # 'Southland's foreign ministry', 'US military': an office, kept whole
        return run, None
    # an office named in capitals ("Supreme Political Council", "Central Command") is one name; a title
    # word inside it is part of it, as long as no possessive or "-backed" sets an owner before it
    office = words[-1].lower().strip(".,") in _OFFICES
    last_title = -1
    for i, word in enumerate(words[:-1]):
        owner = word.endswith(("'s", "’s")) or word.endswith("-backed")
        if owner or (word.lower().strip(".,") in _TITLES and not office):
            last_title = i
    if last_title == -1:
        return run, None
    return " ".join(words[last_title + 1 :]), " ".join(words[: last_title + 1])


def _clean(run: str) -> str:
    run = re.sub(r"^\S*?[a-z](?=[A-Z])", "", run)  # 'ForeignThe Iraqi government': a lost line break
    words = run.split()
    while words and words[0].lower() in _NOT_SPEAKERS:
        words = words[1:]
    while words and words[-1].lower() in {"of", "al", "el", "for", "and", "the"}:
        words = words[:-1]
    return " ".join(words).strip(" ,.'’")


def _subject_before(text: str, end: int, floor: int) -> tuple[str, int] | None:
    """The name that ends right before ``end`` (the verb), skipping 'also', ', who ...,' and appositives."""
    before = text[floor:end]
    bridge = _BRIDGE.search(before)
    if bridge:
        before = before[: bridge.start()]
    appositive = _APPOSITIVE.search(before)
    if appositive:
        # "The head of the Badr bloc, Hadi al-Amiri, condemned": after a title, the appositive is the name
        inner = appositive.group(0).strip(" ,")
        lead = before[: appositive.start()].split()[-6:]
        if _RUN.fullmatch(inner) and any(w.lower().strip(".,") in _TITLES for w in lead):
            return inner, floor + appositive.start() + appositive.group(0).index(inner)
        # "The group, called the Red Hand, stated": a description ("the group", not a name) named in its
        # appositive; after a name ("Hezbollah, known as the Party of God,") the name stays the speaker
        named = _NAMED.fullmatch(inner)
        described = _DESCRIPTION.search(before[: appositive.start()])
        if named and described and _RUN.fullmatch(named.group("name")):
            return named.group("name"), floor + appositive.start() + appositive.group(0).index(named.group("name"))
        before = before[: appositive.start()]
    tail = _ORG_TAIL_BEFORE.search(before)
    org_tail = ""
    if tail:
        org_tail, before = tail.group(0), before[: tail.start()]
    runs = list(_RUN.finditer(before))
    if not runs or before[runs[-1].end() :].strip():
        return None
    run = runs[-1]
    return run.group(0) + org_tail, floor + run.start()


_ORG_TAIL_BEFORE = re.compile(
    r"\s+(?:military|government|army|ministry|foreign ministry|defen[cs]e ministry|forces|embassy|command|"
    r"officials?)$"
)


def _name_after(text: str, start: int, ceiling: int) -> tuple[str, int] | None:
    """The name right after a verb: '..., said Iranian government spokesman Abbas Mousavi, ...'.

    The first capitalised run must follow the verb closely, and a title may be spread over
    several runs ('Iranian government spokesman Abbas Mousavi'): the name is the last of them."""
    clause = re.match(r"[^,;.:\"“”]{0,120}", text[start:ceiling])
    if clause is None:
        return None
    words = clause.group(0)
    chain: list[re.Match[str]] = []
    for run in _RUN.finditer(words):
        gap = words[chain[-1].end() if chain else 0 : run.start()]
        if len(gap.split()) > (3 if chain else 4) or re.search(r"\d", gap):
            break
        chain.append(run)
    if not chain:
        return None
    run = chain[-1]
    name = words[chain[0].start() : run.end()]  # 'Red Hand spokesman Omar Dal': the title comes along
    org = _ORG_TAIL.match(words[run.end() :])
    if org and org.group(0).strip() not in {"spokesman", "spokeswoman", "spokesperson", "statement"}:
        name += org.group(0)
    elif _ADJECTIVE_OF.match(words[run.end() :]):
        return None  # 'according to Iraqi sources': a description, not a name
    return name, start + chain[0].start()


_ADJECTIVE_OF = re.compile(r"\s+(?:sources?|media|reports?|security|state|news|press|local|military officials?)\b")


def _after_quote(text: str, verb_start: int, floor: int) -> bool:
    """'"...," said X' or '"...", X said': speech verbs placed after a quotation."""
    return bool(re.search(r"[\"”’']\s*[,.]?\s*$|[,.][\"”’']\s*$", text[floor:verb_start]))


def find_speakers(text: str, limit: int = MAX_SPEAKERS) -> list[Candidate]:
    """Speakers in order of first attribution, one per person or organisation."""
    found: list[tuple[str, str | None, int]] = []
    for verb in SPEECH_VERB.finditer(text):
        s_start, s_end = sentences.sentence_bounds(text, verb.start())
        hits: list[tuple[str, int]] = []
        # a subject sits close before its verb: never scan a whole run-on "sentence" (quadratic)
        subject = _subject_before(text, verb.start(), max(s_start, verb.start() - 300))
        if subject:
            hits.append(subject)
        elif verb.group(0) in INVERTED_VERBS or _after_quote(text, verb.start(), s_start):
            after = _name_after(text, verb.end(), s_end)
            if after:
                hits.append(after)
        for run, at in hits:
            name, role = _split_title(_clean(run))
            name = _clean(name)
            if _usable(name):
                found.append((name, role, at))
    phrases = [(m, False) for m in SOURCE_PHRASE.finditer(text)] + [(m, True) for m in REACTION_PHRASE.finditer(text)]
    for match, several in phrases:
        _, s_end = sentences.sentence_bounds(text, match.start())
        after = _name_after(text, match.end(), s_end)
        if not after:
            continue
        # "condemnation from the United States and Iraq": each of them ("according to" names one source)
        for part in re.split(r"\s+and\s+", after[0]) if several else [after[0]]:
            name, role = _split_title(_clean(part))
            if _usable(_clean(name)):
                found.append((_clean(name), role, after[1] + after[0].index(part)))
    return [replace(c, said=_sentence(text, c.start)) for c in _merge(found)[:limit]]


def _sentence(text: str, at: int, limit: int = 240) -> str:
    lo, hi = sentences.sentence_bounds(text, at)
    sentence = " ".join(text[lo:hi].split())
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def _usable(name: str) -> bool:
    words = name.split()
    if not words or len(name) < 2 or len(words) > 6:
        return False
    if all(w.lower().strip(".,") in _NOT_SPEAKERS | _TITLES for w in words):
        return False
    reports = NEWS_OUTLET.search(name) or REPORTER.search(name) or name in {"TV", "Radio"}
    return name[0].isupper() and not reports and not name.endswith("-backed")


def _distinct_groups(a: str, b: str) -> bool:
    """'Hezbollah' is not short for 'Kataib Hezbollah' the way 'Mousavi' is for 'Abbas Mousavi'."""
    group_a, group_b = alias(a, "groups"), alias(b, "groups")
    return (group_a is not None or group_b is not None) and group_a != group_b


def _merge(found: list[tuple[str, str | None, int]]) -> list[Candidate]:
    """One candidate per speaker: 'Mousavi' and 'Abbas Mousavi' are one, kept under the longer name."""
    out: list[Candidate] = []
    for name, role, at in sorted(found, key=lambda f: f[2]):
        words = set(key(name).split())
        for i, kept in enumerate(out):
            kept_words = set(key(kept.name).split())
            if (words <= kept_words or kept_words <= words) and not _distinct_groups(name, kept.name):
                if len(kept_words) < len(words):
                    out[i] = Candidate(name, role or kept.role, kept.start)
                elif role and not kept.role:
                    out[i] = Candidate(kept.name, role, kept.start)
                break
        else:
            out.append(Candidate(name, role, at))
    return out


def passages(text: str, speakers: Sequence[Candidate]) -> list[tuple[int, int]]:
    """The lines of ``text`` a verdict on ``speakers`` reads: the first line (what happened), the line of
    each speaker's attributions (their name beside a speech verb), and the line after one when it goes on
    quoting ('"...," he said').

    A speakers call that reads these instead of the whole article evaluates 19-31 % fewer prompt tokens,
    but the small model found fewer reactions with them (docs/benchmarks.md, "Fourth try"). Lines are the
    article's own (its line breaks), so an article written as one block is kept whole."""
    lines: list[tuple[int, int]] = []
    start = 0
    for end in [m.start() for m in re.finditer(r"\n", text)] + [len(text)]:
        if text[start:end].strip():
            lines.append((start, end))
        start = end + 1
    if not lines:
        return []
    names = [re.compile(rf"(?<!\w){re.escape(speaker.name.split()[-1])}(?!\w)") for speaker in speakers]
    keep = {0}
    for i, (lo, hi) in enumerate(lines):
        line = text[lo:hi]
        speaks = any(lo <= speaker.start < hi for speaker in speakers) or (
            SPEECH_VERB.search(line) is not None and any(name.search(line) for name in names)
        )
        if speaks:
            keep.add(i)
            nxt = text[slice(*lines[i + 1])] if i + 1 < len(lines) else ""
            if sentences.quoted_segments(nxt) and PRONOUN_SAID.search(nxt):
                keep.add(i + 1)  # '"...," he said': the same speaker goes on
    return [lines[i] for i in sorted(keep)]
