"""How news prose attributes words and reports strikes: the one lexicon every reader of text uses.

Speakers (``speakers``), toll sources (``source_of``), tolls of a strike (``casualties``), groups
hit (``targets``) and dates found beside a strike (``llmsum.ground``) all ask the same questions:
is this a speech verb, is this a strike word? The words live in ``data/lexicon.json``; this module
compiles them once, so adding a verb is one edit in one place.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from llmsum.prose import sentences
from llmsum.prose.names import countries, key, known_actor


@cache
def lexicon() -> dict[str, list[str]]:
    raw = json.loads(resources.files("llmsum.prose").joinpath("data/lexicon.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")}


def alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first, a space matching any run of spaces (or none
    between 'air' and 'strike')."""
    out = []
    for word in sorted(set(words), key=len, reverse=True):
        out.append(r"\s*".join(re.escape(part) for part in word.split()))
    return "(?:" + "|".join(out) + ")"


_L = lexicon()
SPEECH_VERBS = alternation(_L["speech_verbs"])
REPORTING_VERBS = alternation(_L["reporting_verbs"])
INVERTED_VERBS = frozenset(_L["inverted_verbs"])
STRIKE_WORDS = alternation(_L["strike_nouns"] + _L["strike_verbs"])
STRIKE_NOUNS = alternation(_L["strike_nouns"])
STRIKE_ACTS = alternation(_L["strike_acts"])
STRIKE_MODIFIERS = alternation(_L["strike_modifiers"])

# Case matters for verbs: "Said" at a sentence start is more often a name than the verb.
SPEECH_VERB = re.compile(rf"\b{SPEECH_VERBS}\b")
PRONOUN_SAID = re.compile(rf"\b(?:[Hh]e|[Ss]he|[Ii]t|[Tt]hey)\s+(?:also\s+)?{SPEECH_VERBS}\b")
SOURCE_PHRASE = re.compile(rf"\b{alternation(_L['source_phrases'])}\b", re.I)
REACTION_PHRASE = re.compile(rf"\b{alternation(_L['reaction_phrases'])}\b", re.I)
NAMING_WORDS = alternation(_L["naming_words"])
REPORTED = re.compile(rf"\b(?:{REPORTING_VERBS}|{alternation(_L['source_phrases'])})\b", re.I)
STRIKE_WORD = re.compile(rf"\b{STRIKE_WORDS}\b", re.I)
# Outlets are named in capitals ("Shafaq News"): case matters, "the news" is no outlet.
NEWS_OUTLET = re.compile(
    rf"\b(?:{alternation(_L['news_outlets'])}|[A-Z][\w'’\-]*\s+{alternation(_L['news_outlet_words'])})\b"
)
THREAT_WORD = re.compile(rf"\b{alternation(_L['threat_words'])}\b", re.I)
CONDEMNATION_WORD = re.compile(rf"\b{alternation(_L['condemnation_words'])}\b", re.I)
JUSTIFICATION_WORD = re.compile(rf"\b{alternation(_L['justification_words'])}\b", re.I)
RESTRAINT_WORD = re.compile(rf"\b{alternation(_L['restraint_words'])}\b", re.I)
DENIAL_WORD = re.compile(rf"\b{alternation(_L['denial_words'])}\b", re.I)
POSITION_WORD = re.compile(rf"\b{alternation(_L['position_words'])}\b", re.I)
FIGURE_SOURCE = re.compile(rf"\b{alternation(_L['figure_sources'])}\b", re.I)
# who reports or counts a strike: never its attacker ("an Iraqi police source confirmed the strike")
INFORMANT = re.compile(rf"\b{alternation(_L['informants'] + _L['figure_sources'])}\b", re.I)
REPORTER = re.compile(rf"\b{alternation(_L['reporters'])}\b", re.I)
# "the attack", "that raid", "this aggression": a sentence that refers back to a strike already named.
BACK_REFERENCE = re.compile(
    rf"\b(?:the|that|this|these|those|its|their)\s+(?:[\w\-]+\s+)?"
    rf"{alternation(_L['strike_nouns'] + _L['back_reference_nouns'])}\b",
    re.I,
)

# what sets an attack apart from the one an article reports: "earlier this month", "separately", "another
# drone strike", "in 2020" (a year is a cue unless it is the reported strike's own: the caller checks)
ANOTHER_ATTACK = re.compile(
    rf"\b(?:{alternation(_L['earlier_cues'] + _L['other_attack_cues'])}"
    rf"|another\s+(?:[\w\-]+\s+){{0,3}}?{alternation(_L['strike_nouns'])}|(?P<year>(?:19|20)\d\d))\b",
    re.I,
)

_SAID_BEFORE = re.compile(rf"(?P<who>[^,;:.]{{2,90}}?)\s+(?:also\s+)?{REPORTING_VERBS}\b")
_SAID_AFTER = re.compile(rf",\s*(?P<who>[^,;:.]{{2,60}}?)\s+{REPORTING_VERBS}\b")
_PRONOUN = re.compile(r"^(?:he|she|it|they|we|i|officials?|sources?)$", re.I)


def source_of(text: str, start: int, end: int) -> str | None:
    """Who gives the fact at text[start:end], when its own sentence says so: "Iraqi security
    sources and militias said at least 25 ...", "One person was killed ..., the Hashed said"."""
    lo, hi = sentences.sentence_bounds(text, start)
    before = _SAID_BEFORE.search(text[lo:start])
    after = _SAID_AFTER.search(text[end:hi])
    for m in (before, after):
        if m is None:
            continue
        who = re.sub(r"^(?:but|and|so|meanwhile|initially|however)\s+", "", m.group("who").strip(), flags=re.I)
        who = re.sub(r"\s+on\s+\w+$", "", re.sub(r"^(?:(?:late |early )?on|in|by)\s+\w+,?\s+", "", who, flags=re.I))
        if len(who.split()) <= 10 and not _PRONOUN.match(who):
            return who
    return None


_STANCE_OF = {" ".join(v.split()): stance for stance, verbs in _L["stance_verbs"].items() for v in verbs}
# Stance phrases first, so "called for restraint" wins over the bare speech verb "called".
_ATTRIBUTION_VERB = re.compile(rf"\b(?:{alternation(list(_STANCE_OF))}|{SPEECH_VERBS})\b")
# Between a speaker's name and its verb: a few words ("also", "on Monday", "in a statement"), or a
# relative clause between commas ("X, which is backed by Iran, vowed ..."), after a closing bracket
# ("... Forces (PMF) said"); no other clause.
_BETWEEN_NAME_AND_VERB = re.compile(r"^\)?(?:\s*,\s*(?:who|which)\b[^,.;]{0,120},)?(?:\s+[\w'’\-]+){0,3}?\s+$")
# A name in apposition to the title that opens its sentence ("The head of the Blue Bloc, Tarek Amin, condemned
# ..."): a comma closes it right before the verb. The opening words are a title only with no verb in them ("The
# strike killed a commander, Abu Taqwa, condemned ..." names the one hit), and the verb is the name's own only
# where it is no participle or passive ("Kessa, condemned as a crime", "Abu Taqwa, condemned to death in 2010,
# was ...").
_APPOSITIVE_CLOSED = re.compile(r"^,\s+$")
_OPENING_TITLE = re.compile(r"^\s*(?:[\w'’\-]+\s+){0,10}?[\w'’\-]+\s*,\s*$")
_VERB_LIKE = re.compile(r"(?<![\w\-])[a-z]+(?:ed|ing)\b|\b(?:is|was|were|are|has|had|have|lost|fell|blames?)\b")
# "X, condemned as a crime by ...", "X, condemned to death in 2010, was among the dead": a participle
_PARTICIPLE_AFTER = re.compile(r"^\s+(?:by|as|of|for)\b|^[^,.;]*,\s+(?:was|were|is|are|has|had|have|[a-z]+ed)\b")
# Between an inverted verb and its speaker: a title in capitals ('..., warned Defense Secretary X').
_TITLE_BEFORE_NAME = re.compile(r"^\s+(?:[A-Z][\w'’.\-]*\s+){0,4}$")


def attribution_verb(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The offsets of the verb that attributes speech to the name at text[start:end] ("X condemned
    ...", "X, who also vowed ...", "X (the PMF) said", "..., warned X", "The head of Y, X, condemned
    ..."), or None when the name is not
    the one speaking there. Only the attribution verb nearest the name counts: in "X said Y condemned
    it" Y's verb is "condemned", X's is "said"."""
    lo, hi = sentences.sentence_bounds(text, start)
    after = text[end:hi]
    m = _ATTRIBUTION_VERB.search(after)
    if m is not None and _BETWEEN_NAME_AND_VERB.match(after[: m.start()]):
        return end + m.start(), end + m.end()
    if m is not None and _APPOSITIVE_CLOSED.match(after[: m.start()]) and _in_apposition(text[lo:start], after, m):
        return end + m.start(), end + m.end()
    before = text[max(lo, start - 60) : start]
    inverted = list(_ATTRIBUTION_VERB.finditer(before))
    if (
        inverted
        and _TITLE_BEFORE_NAME.match(before[inverted[-1].end() :])
        and re.search(r"[,\"”’]\s*$", before[: inverted[-1].start()])  # after the quotation it attributes
    ):
        offset = start - len(before)
        return offset + inverted[-1].start(), offset + inverted[-1].end()
    return None


def _in_apposition(opening: str, after: str, verb: re.Match[str]) -> bool:
    """Whether the name between ``opening`` (its sentence up to the name) and ``after`` (from the name on) is
    in apposition to a title and speaks through ``verb``, right after the comma that closes it."""
    if not _OPENING_TITLE.match(opening) or _VERB_LIKE.search(opening) or STRIKE_WORD.search(opening):
        return False
    # only a verb that states a stance ("condemned", "vowed"): a neutral one after an appositive is as often
    # inverted ("the group's deputy, Abu Taqwa, said a US official"), and states no stance to read anyway
    if _stance_of(verb.group(0)) is None:
        return False
    return not _PARTICIPLE_AFTER.match(after[verb.end() :])


def stance_cue(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The stance that the verb attributing speech to the name at text[start:end] states by itself,
    with the verb's offsets; None when that verb is neutral ("said", "told") or there is none."""
    verb = attribution_verb(text, start, end)
    if verb is None:
        return None
    stance = _stance_of(text[verb[0] : verb[1]])
    return (stance, *verb) if stance else None


def _stance_of(verb: str) -> str | None:
    """The stance a verb of speech states by itself ("condemned", "called for restraint"), or None."""
    return _STANCE_OF.get(" ".join(verb.lower().split()))


_CLAIM = re.compile(rf"\b{alternation(_L['claim_phrases'])}\b", re.I)
# the one list of words that deny what follows them: a claim not made, a cue word denied ("not illegal")
NEGATION = r"(?:\b(?:no|not|never|nobody|none|neither|nor)\b|n['’]t\b)"
_NEGATION = re.compile(rf"{NEGATION}|\byet to\b|{DENIAL_WORD.pattern}", re.I)
# What stands before a group's name in the subject of a claim: "A group called the ...", "The militia,
# known as ...", a leading "While", and the auxiliaries after it ("... has claimed").
_CLAIM_LEAD = re.compile(
    r"(?:(?:while|after|and|but|later|meanwhile)\s+)?(?:(?:an?|the)\s+(?:[\w'’\-]+\s+){0,3}?"
    r"(?:group|militia|organi[sz]ation|faction|coalition|movement)\s*,?\s+(?:called|named|known\s+as)\s+)?"
    r"(?:the\s+)?",
    re.I,
)
_CLAIM_TAIL = re.compile(r"(?:\s+(?:has|have|had|later|also|reportedly|quickly|swiftly|then))+$", re.I)
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.\-]*|of|in|the|and|for|al|al-[\w'’\-]+|el-[\w'’\-]+|ul|ad|ash)$")


def claimants(text: str) -> list[tuple[str, int, int]]:
    """Groups the text says owned an attack ("The Islamic Front claimed responsibility for ...",
    "A group called X has claimed responsibility"), each with its offsets: the name written as the
    subject of the claim. A claim denied or not made ("no group has claimed", "has not claimed") names
    nobody, nor does a description ("an Iraqi armed group claimed ...") or a pronoun: only a proper
    name, every word capitalised but for joining words, is a claimant."""
    found: list[tuple[str, int, int]] = []
    for m in _CLAIM.finditer(text):
        lo, _ = sentences.sentence_bounds(text, m.start())
        clause_start = max(lo, *(i + 1 for i in (text.rfind(",", lo, m.start()), text.rfind(";", lo, m.start()))))
        subject = text[clause_start : m.start()]
        if _NEGATION.search(subject):
            continue
        start = clause_start + len(subject) - len(subject.lstrip())
        lead = _CLAIM_LEAD.match(text, start, m.start())
        start = lead.end() if lead else start
        while start < m.start() and text[start] in _QUOTES:
            start += 1
        raw = _CLAIM_TAIL.sub("", text[start : m.start()].rstrip()).rstrip()
        name = " ".join(raw.translate(_NO_QUOTES).split())
        words = name.split()
        if not words or not words[0][0].isupper() or not all(_NAME_WORD.match(w) for w in words):
            continue
        if words[0].lower() in ("both", "several", "two") or " and " in f" {name.lower()} ":
            continue  # a joint claim names no one attacker
        if _EARLIER.match(text, m.end(), min(len(text), m.end() + 80)):
            continue  # "claimed responsibility for that attack": another attack than the one reported
        found.append((name, start, start + len(raw)))
    return found


_QUOTES = " “”\"'‘’"
_EARLIER = re.compile(
    r"\s+(?:for\s+)?(?:that|those|an?\s+earlier|the\s+earlier|the\s+previous|previous|earlier|last\s+\w+['’]s|"
    r"the\s+\w+\s+(?:before|earlier))\b",
    re.I,
)
_NO_QUOTES = str.maketrans("", "", '“”"')


# "Northland's strikes", "the Northland air strike": an attack the text gives to a named actor by a possessive
# or an adjective, with at most two modifiers between (lexicon 'strike_modifiers': "air", "missile"), so that
# "Southland condemned Northland strikes" gives the strikes to Northland alone
# words that link two phrases: none sits between a strike word and the facility it hit
_LINK_WORDS = (
    r"(?:said|says|claims?|warned|the|that|this|these|any|its|their|his|her|an?|to|of|for|on|in|at|by|over|"
    r"against|after|before|with|and|from)"
)
_OWNED = re.compile(
    rf"\b(?P<who>[A-Z][\w.\-]*)(?P<possessive>['’]s)?\s+(?:{alternation(_L['strike_modifiers'])}\s+){{0,2}}"
    rf"[“\"]?{alternation(_L['strike_nouns'])}\b"
)


def strike_owners(text: str) -> dict[str, list[tuple[int, int]]]:
    """Known actors (a country, its demonym, an alias) the text gives its attacks to by possessive or
    adjective ("Iran's strikes", "Iranian missile strikes"), each with the offsets of those words."""
    owners: dict[str, list[tuple[int, int]]] = {}
    for m in _OWNED.finditer(text):
        who = m.group("who")
        if _NEGATION.search(text[max(0, m.start() - 12) : m.start()]):
            continue
        if not m.group("possessive") and len(key(who)) > 3 and key(who) in countries():
            continue  # "the Syria strikes" are strikes in Syria; "Syria's strikes", "Syrian strikes" are its own
        if (name := known_actor(who)) is not None:
            owners.setdefault(name, []).append((m.start(), m.end()))
    return owners


_STRIKE_LINK = r"(?:on|at|against|targeting|targeted|hit|hitting|struck|striking|destroyed|destroying)"
_DETERMINER = r"(?:the|an?|its|[A-Z][\w.\-]*['’]s)"
_ONE_FACILITY = re.compile(
    rf"(?:\b{STRIKE_WORDS}\b(?:\s+(?:by|from)\s+(?:an?\s+)?[\w\-]+)?\s+{_STRIKE_LINK}"
    rf"|\b(?:targeted|targeting|struck|hit|destroyed))\s+{_DETERMINER}\s+(?:(?!{_LINK_WORDS}\b)[\w.\-’']+\s+){{0,4}}?"
    rf"(?P<noun>{alternation(_L['facility_nouns'])})\b(?!s)",
    re.I,
)
_FACILITIES = re.compile(rf"\b{alternation(_L['facility_plurals'])}\b", re.I)


def one_facility(text: str) -> tuple[int, int] | None:
    """Where the text says its strike hit one facility ("a drone strike at a base", "destroyed Iran's
    consulate"), the offsets of those words; None when a strike sentence also names facilities in
    the plural ("airstrikes against facilities used by ..."), as the one may be among them."""
    found = None
    for m in _ONE_FACILITY.finditer(text):
        denied = _NEGATION.search(text[max(0, m.start() - 15) : m.start()])
        if found is None and not denied and not sentences.is_caption(text, m.start()):
            found = (m.start(), m.end())
    if found is None:
        return None
    for m in STRIKE_WORD.finditer(text):
        if _FACILITIES.search(text[slice(*sentences.sentence_bounds(text, m.start()))]):
            return None
    return found
