"""Every casualty toll an article gives for a strike, found in the text itself.

News reports often give several tolls for one strike ("at least 19 killed", later "the death toll
rose to 25"; "one person was killed", "initially ... two dead"), and the contract wants them all as
a min/max range with the words behind each. A small model reliably copies one of them; the
others are found here, by the fixed ways news text writes a toll, and kept only when the sentence
is about this strike: not casualties on the attacker's own side, not a subset ("among the dead"),
not another actor's strike, not another strike the model listed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Protocol

from llmsum.prose import sentences
from llmsum.prose.attribution import (
    ANOTHER_ATTACK,
    BACK_REFERENCE,
    REPORTED,
    REPORTING_VERBS,
    SPEECH_VERBS,
    STRIKE_WORD,
    alternation,
    lexicon,
)
from llmsum.prose.dates import month_of
from llmsum.prose.names import actor_variants, alias_table, countries, group_family, key, mentions
from llmsum.prose.numbers import NUMBER_WORDS, SCALED_DIGITS, is_count, read_figure
from llmsum.prose.places import locate

_QUAL = r"(?:(?:at least|more than|over|up to|as many as|some|about|around|nearly|almost|another)\s+)?"
_NUM = rf"(?:{SCALED_DIGITS}|\d{{1,3}}(?:,\d{{3}})+|\d+|{NUMBER_WORDS}|an?)"
# "five to seven people were killed", "16-18 dead": one figure, a range
_RANGE = rf"{_NUM}(?:\s*(?:to|-|–)\s*{_NUM})?"
_PERSON = (
    r"(?:people|persons?|fighters?|members?|militants?|militiam[ae]n|soldiers?|troops?|personnel|civilians?|"
    r"contractors?|commanders?|officers?|leaders?|officials?|children|women|men|service ?m[ae]mbers?|"
    r"servicem[ae]n|others?|guards?|staff|workers?|man|woman|child|boys?|girls?|residents?|nationals?|citizens?|"
    r"villagers?|passengers?)"
)
# one person named by what they were: "the head of an Iranian-backed militia", "a senior commander"
ONE_PERSON = re.compile(
    r"(?:the|a|an|its|their)\s+(?:[\w\-]+\s+){0,2}?(?:head|leader|commander|chief|founder|deputy|member|"
    r"officer|official|soldier|fighter|contractor|civilian|man|woman|child|boy|girl|spokesman|general)\b(?!s)",
    re.I,
)
_KILLED = r"(?:killed|died|dead|martyred|slain|lost their lives|fatalit(?:y|ies)|deaths?)"
# the verbs of killing, for words that name whom a strike killed without a number
KILLED = r"(?:killed|martyred|slain|assassinated)"
KILLING = r"(?:killed|killing|kills|martyred|slew|assassinated|assassinating)"
# Words that end a victims phrase: "25 of its fighters | and wounded dozens"
_STOP = r"(?!(?:and|or|but|who|which|that|were|was|had|have|been|in|at|on|near|after|when|while|as)\b)"
_WOUNDED = r"(?:wounded|injured|hurt|injuries)"
# a sentence that says people were killed or hurt (the earlier-attacks finder reads it)
HARM = re.compile(rf"\b(?:{_KILLED}|{_WOUNDED})\b", re.I)
# One word of a victims phrase: letters only (a digit means another number), and no full stop
# except inside an abbreviation ("U.S."), so a match never runs into the next sentence.
_VICTIM_WORD = r"(?:(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’\-]*)"
# "at least 25 fighters had died", "One person was killed", "two dead and two wounded"
_NUMBER_FIRST = re.compile(
    rf"\b(?P<fig>{_QUAL}{_RANGE})(?P<victims>(?:[ \t]+{_STOP}{_VICTIM_WORD}){{0,4}}?)"
    rf"(?:\s+(?:were|was|had|have|had been|have been|were reportedly|reportedly))?(?:\s+also)?\s+"
    rf"(?P<word>{_KILLED}|{_WOUNDED})\b",
    re.I,
)
# "killed 25 of its fighters", "the martyrdom of one service member", "the injury of 18 others"
_WORD_FIRST = re.compile(
    rf"\b(?P<word>killed|killing|kills|wounded|wounding|injured|injuring|martyrdom of|deaths? of|"
    rf"injury of|injuries to|wounding of)\s+(?P<fig>{_QUAL}{_RANGE})"
    rf"(?P<victims>(?:[ \t]+{_STOP}{_VICTIM_WORD}){{0,5}})",
    re.I,
)
# "the death toll ... has risen to 25"
_TOLL = re.compile(
    rf"\b(?P<word>death toll|toll)\b[^.;]{{0,80}}?\b(?:rose|risen|rises|reached|climbed|stands|stood|increased|"
    rf"jumped|grew)\s+(?:at\s+|to\s+)?(?P<fig>{_QUAL}{_NUM})(?P<victims>)",
    re.I,
)
_A_ONE = re.compile(r"^(?:a|an)$", re.I)
# "A US service member and five other contractors were injured": six, counted from the first person on
_FIRST_OF_TWO = re.compile(rf"\b(?P<fig>{_NUM})\s+(?:{_VICTIM_WORD}\s+){{0,3}}?{_PERSON}\s+and\s+$", re.I)
_OTHERS = re.compile(r"others?\b", re.I)
_HARM_BEFORE = re.compile(rf"\b(?:{_KILLED}|{_WOUNDED}|killing|wounding|injuring)\s+$", re.I)
_ALSO = re.compile(r"\balso\s+(?:killed|died|dead|wounded|injured|hurt)\b", re.I)
_NO_ONE = re.compile(r"\bno one\b", re.I)
_TOLL_OF_WOUNDED = re.compile(rf"\s+{_WOUNDED}\b", re.I)
_NOUNS_FOLDED = alternation([key(w) for w in lexicon()["strike_nouns"]])
_VERBS_FOLDED = alternation([key(w) for w in lexicon()["strike_verbs"]])
_ACTS_FOLDED = alternation([key(w) for w in lexicon()["strike_acts"]])
_PASSIVE = r"(?:was|were|is|are|been|being|be)"
_SUBSET = re.compile(r"\bamong\s+(?:the\s+)?(?:dead|killed|wounded|injured|casualties|victims)\b", re.I)


# A toll in a relative clause belongs to the noun the clause hangs on: "strikes that killed 25" is a
# strike's toll, "bombs in Iran that killed 100" is not.
_RELATIVE_BEFORE = re.compile(r"((?:[\w'’\-]+,?\s+){1,6})(?:that|which)\s+(?:have\s+|had\s+)?$")
# "... said that no one was injured", "told Syrian TV that ...": "that" after a verb of saying opens what was
# said, not a relative clause
_SAID_THAT = re.compile(rf"\b(?:{REPORTING_VERBS}|{SPEECH_VERBS})(?:\s+[\w'’\-]+){{0,2}}\s*$", re.I)


class _Ranged(Protocol):
    @property
    def min(self) -> int | None: ...
    @property
    def max(self) -> int | None: ...


@dataclass(frozen=True)
class Toll:
    """One casualty figure as written: its kind, its (min, max), and where it is."""

    kind: str  # killed | wounded
    min: int | None
    max: int | None
    start: int
    end: int
    victims: str
    # "two other militiamen were killed", "four Syrians were also killed": more than a toll given before
    adds: bool = False


def _kind(word: str) -> str:
    return "wounded" if re.match(r"wound|injur|hurt", word, re.I) else "killed"


def find_tolls(text: str) -> list[Toll]:
    """Every precise casualty figure in the text, in order. Vague ones ("dozens") are left to the model."""
    return list(_tolls(text))


@lru_cache(maxsize=256)
def _tolls(text: str) -> tuple[Toll, ...]:
    """Cached: grounding asks for an article's tolls once per figure and once for the main strike."""
    found: dict[tuple[int, str], Toll] = {}
    for pattern in (_NUMBER_FIRST, _WORD_FIRST, _TOLL):
        for m in pattern.finditer(text):
            fig, victims = m.group("fig"), m.group("victims").strip()
            bare = re.sub(rf"^{_QUAL}", "", fig, flags=re.I)
            if _A_ONE.match(bare):
                if re.match(r"(?:number|few|couple|dozen|handful|score)\b", victims, re.I) or not re.match(
                    rf"(?:[\w\-]+\s+){{0,3}}{_PERSON}\b", victims, re.I
                ):
                    continue
                value: tuple[int | None, int | None] | None = (1, 1)
            elif not is_count(text, m.start("fig"), m.end("fig")):
                continue  # "on March 3", "24 hours", "7 percent"
            else:
                value = read_figure(fig)
                if value is None or re.search(r"dozen|several|number|few|scores|hundreds", fig, re.I):
                    continue
            if _SUBSET.search(text[m.end() : m.end() + 40]) or _SUBSET.search(m.group(0)):
                continue
            lo, hi = value
            start = min(m.start("fig"), m.start("word"))
            end = max(m.end("word"), m.end("fig"), m.start("victims") + len(m.group("victims").rstrip(" .,;:'’")))
            kind = _kind(m.group("word"))
            if _NO_ONE.search(text, max(0, m.start("fig") - 3), m.end("fig")):  # "no one was injured"
                lo, hi, start = 0, 0, m.start("fig") - 3
            death_toll = m.group("word").lower().startswith("death")
            if pattern is _TOLL and not death_toll and (after := _TOLL_OF_WOUNDED.match(text, m.end())):
                kind, end = "wounded", after.end()  # "the casualty toll rose to six wounded"
            adds = False
            if pattern is _NUMBER_FIRST and lo is not None and lo == hi:
                if _OTHERS.match(victims):
                    lo, hi, start = _with_first(text, m.start("fig"), lo, start)
                # "two other militiamen", "four were also killed", unless counted with whom it names first
                adds = start == m.start("fig") and bool(_OTHERS.match(victims) or _ALSO.search(m.group(0)))
            toll = Toll(kind, lo, hi, start, end, victims, adds)
            found.setdefault((m.start("fig"), toll.kind), toll)
    tolls = sorted(found.values(), key=lambda t: t.start)
    # "one fighter was killed and five others were wounded", "two were killed in the strike, while two others
    # were killed in clashes": others set against a toll of the same sentence are not more of its victims
    # unless the sentence says so ("also"); a brief never adds up more deaths than a source did
    return tuple(
        replace(t, adds=False)
        if t.adds and not _ALSO.search(text, t.start, t.end) and any(_same_sentence(text, o, t) for o in tolls[:i])
        else t
        for i, t in enumerate(tolls)
    )


def _same_sentence(text: str, a: Toll, b: Toll) -> bool:
    return sentences.sentence_bounds(text, a.start) == sentences.sentence_bounds(text, b.start)


def _with_first(text: str, at: int, value: int, start: int) -> tuple[int, int, int]:
    """(min, max, start) of "N other X" counted with the person or people named just before it, when they
    are the subject of the same verb: in "the attack killed a soldier and five others were wounded" the
    soldier is the object of another verb, of another kind."""
    before = _FIRST_OF_TWO.search(text, max(0, at - 120), at)
    if before is None or _HARM_BEFORE.search(text, max(0, before.start() - 30), before.start()):
        return value, value, start
    fig = before.group("fig")
    first = (1, 1) if _A_ONE.match(fig) else read_figure(fig)
    if first is None or first[0] is None or first[0] != first[1]:
        return value, value, start
    return value + first[0], value + first[0], before.start()


def _own_people(victims: str, own: set[str]) -> bool:
    """'two US soldiers', 'three Israeli soldiers' for Israel, 'Russian workers' for Russia."""
    if mentions(victims, own):
        return True
    words = key(victims).split()
    stems = {v.rstrip("e") for v in own if len(v) >= 4 and " " not in v}
    return any(w.startswith(stem) and len(w) - len(stem) <= 4 for w in words for stem in stems)


@dataclass(frozen=True)
class StrikeScope:
    """What identifies one strike in the text: who, whom, where, when."""

    attacker: str | None
    names: Sequence[str]  # target groups and places
    day: str | None = None  # ISO date, when known


# A report's lead (its headline, dateline and first sentences) tells of the strike it reports.
LEAD_SENTENCES = 4


def tolls_for(
    text: str,
    strike: StrikeScope,
    others: Sequence[StrikeScope] = (),
    tolls: Sequence[Toll] | None = None,
    *,
    main: bool = False,
) -> list[Toll]:
    """The tolls of ``text`` that belong to ``strike``, in order.

    A toll counts when its sentence names the strike (its attacker, a target or a group of it, a
    place or its date wording) or refers back to it ("the attack", "that raid"), or when it directly
    follows a sentence whose toll counted and is attributed too ("At least 51 were wounded, he said").
    For the article's one ``main`` strike, a sentence of the report's lead telling of an attack that names
    no other strike and sets it apart in no way ("separately", "last week") tells of this one.
    ``tolls``: the text's tolls when the caller has already found them."""
    own = actor_variants(strike.attacker)
    named = {key(n) for n in strike.names if n} | own
    own_names = {v for n in strike.names if n for v in group_family(n)} | named
    other_actors = {v for v, canon in alias_table().get("actors", {}).items() if v not in own}
    other_names = {key(n) for o in others for n in o.names if n} - own_names
    kept: list[Toll] = []
    last_sentence = -2
    for toll in find_tolls(text) if tolls is None else tolls:
        lo, hi = sentences.sentence_bounds(text, toll.start)
        sentence = text[lo:hi]
        index = sentences.sentence_index(text, toll.start)
        if _own_people(toll.victims, own):
            continue  # the attacker's own people: another attack's toll
        apart = told_apart(sentence, strike)
        # a member group of the coalition hit names the strike, unless the sentence sets its attack apart
        names_us = mentions(sentence, named) or (mentions(sentence, own_names) and not apart)
        if not names_us and mentions(sentence, other_names):
            continue  # another strike of the article
        # another actor's strike; but "Iran's envoy said seven were killed in the attack" tells this one
        back = BACK_REFERENCE.search(sentence)
        other_side = strikes_by(sentence, other_actors) and not (back and not mentions(back.group(0), other_actors))
        if not mentions(sentence, own) and other_side:
            continue
        clause = _RELATIVE_BEFORE.search(text[lo : toll.start])
        if (
            clause
            and not STRIKE_WORD.search(clause.group(1))
            and not _SAID_THAT.search(clause.group(1))
            # ", which killed three" after "... a depot in Varo on Monday" may tell of the whole clause: only
            # one that names nothing of this strike, or sets its attack apart, hangs on another noun
            and not (
                "," in clause.group(1)
                and mentions(clause.group(1), own_names)
                and not told_apart(text[lo : toll.start], strike)
            )
        ):
            continue  # "... follows two bombs in Iran that killed over 100": the toll of what the clause hangs on
        # the report's lead tells of its one reported strike, unless a sentence sets its attack apart
        lead = main and index < LEAD_SENTENCES and not apart and not _elsewhere(sentence, own_names, strike.day)
        if not names_us and STRIKE_WORD.search(sentence) and not BACK_REFERENCE.search(sentence) and not lead:
            continue  # "Separately, an air strike by Westland on Tarsi caused 40 deaths": a strike of its own
        # a toll right after one that counted is the same report only if it too is attributed
        # ("..., he said"): a bare "report 500 killed" is not a source giving a toll
        continues = index - last_sentence <= 1 and REPORTED.search(sentence)
        # "... struck X. Officials said 1 died": attributed, right after the strike, and about no other strike
        if not continues and index > 0 and REPORTED.search(sentence) and not STRIKE_WORD.search(sentence):
            starts = sentences.sentence_starts(text)
            before = text[starts[index - 1] : starts[index]]
            continues = mentions(before, own_names) or bool(BACK_REFERENCE.search(before))
        if names_us or BACK_REFERENCE.search(sentence) or continues or (lead and STRIKE_WORD.search(sentence)):
            kept.append(toll)
            last_sentence = index
    return kept


# "at a market in Tarsi", "in March": a place or a time that a sentence naming nothing of the strike gives
_WHERE_OR_WHEN = re.compile(r"\b(?i:in|at|near|on)\s+(?:the\s+)?([A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)*)")
# "officials in Washington said", "sources at X": where the words were said, not where the attack was
_SAID_AT = re.compile(rf"\b(?:officials?|sources?|spokesm[ae]n|spokesperson|said|told|{REPORTING_VERBS})\s*$", re.I)


def _elsewhere(sentence: str, own_names: set[str], day: str | None) -> bool:
    """A sentence that says its attack was in a place the gazetteer knows below a country, which the
    strike is not, or in a month not the strike's: another attack. A country ("a base in northeast
    Jordan"), a weekday, or a name the gazetteer does not know ("Tower 22") can be the strike's."""
    for m in _WHERE_OR_WHEN.finditer(sentence):
        name = m.group(1)
        if (month := month_of(name.split()[0])) is not None:
            if day is None or int(day[5:7]) != month:
                return True
            continue
        if mentions(name, own_names) or key(name) in countries():
            continue
        if locate(name).cities and not _SAID_AT.search(sentence[: m.start()]):
            return True
    return False


def told_apart(sentence: str, strike: StrikeScope) -> bool:
    """Whether the sentence sets its attack apart from the reported one: "separately", "last week",
    "another drone strike", a year other than the strike's own."""
    year = strike.day[:4] if strike.day else None
    return any(m.group("year") is None or m.group("year") != year for m in ANOTHER_ATTACK.finditer(sentence))


def strikes_by(sentence: str, actors: set[str]) -> bool:
    """An actor written as the side that struck: "the British strike", "strikes by Israel", "Iran
    launched an attack"; not as the side hit ("three U.S. soldiers", "a U.S. base")."""
    named = [a for a in actors if mentions(sentence, {a})]
    if not named:
        return False
    folded = f" {key(sentence)} "
    names = alternation(named)
    return bool(
        re.search(rf" {names} (?:(?!{_PASSIVE}\b)\w+ ){{0,2}}?{_NOUNS_FOLDED}\b", folded)
        or re.search(rf"(?:{_NOUNS_FOLDED}|{_VERBS_FOLDED}) (?:\w+ ){{0,2}}?by {names} ", folded)
        or re.search(rf" {names} (?:has |have |had |also )?{_VERBS_FOLDED}\b", folded)
        or re.search(rf" {names} (?:has |have |had |also )?{_ACTS_FOLDED} (?:\w+ ){{0,3}}?{_NOUNS_FOLDED}\b", folded)
    )


def toll_range(tolls: Sequence[_Ranged]) -> tuple[int | None, int | None]:
    """min/max over several tolls of one strike, as the gold's convention has it: "at least 19" and
    "25" -> 19..25; "one" and "at least 22" -> 1..22 (the highest figure given); "at least 25" alone
    -> 25.. (no upper figure is written)."""
    lows = [t.min for t in tolls if t.min is not None]
    if not lows:
        return None, None
    lo = min(lows)
    highs = [t.max for t in tolls if t.max is not None]
    values = set(lows) | set(highs)
    if len(values) > 1:
        return lo, max(values)
    hi = max(highs) if highs and max(highs) >= max(lows) else None
    return lo, hi
