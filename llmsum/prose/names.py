"""Deciding when two spellings name the same entity.

Three steps, cheapest first: a shipped alias table (``data/aliases.json``, extendable with
``LLMSUM_ALIASES``), a folded form (case, accents, hyphens, "al-"), and a fuzzy score with
rapidfuzz that also compares consonant skeletons, since Arabic names are transliterated with
different vowels (Kataib / Kataeb / Ketaeb). Every non-trivial merge reports how it was made.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from llmsum.prose.align import fold

FUZZY_THRESHOLD = 88.0
_ARTICLE = re.compile(r"\b(?:al|el|the|ad|as|an|ar|at|az)[- ']", re.I)
_NON_WORD = re.compile(r"[^a-z0-9 ]+")
HONORIFICS = re.compile(
    r"\b(?:mr|mrs|ms|dr|gen|general|maj|major|lt|col|colonel|president|prime minister|minister|secretary|"
    r"spokesman|spokesperson|sheikh|ayatollah)\b\.?",
    re.I,
)


PARENS = re.compile(r"\s*\([^)]*\)")
_GENERIC_TAIL = re.compile(
    r"(?:\s+(?:militia|militias|militants?|rebels?|fighters|terrorists?|terror|group|movement|organi[sz]ation|area|"
    r"district|sector|region|town|city|village|"
    r"province|governorate))+$"
)


@lru_cache(maxsize=65536)
def key(name: str) -> str:
    """Folded form: 'Al-Qa'im' -> 'qaim', 'the Hezbollah Brigades' -> 'hezbollah brigades'.
    Parenthetical notes and generic tails ('... militia group', '... area') are dropped."""
    return _fold_name(name)


def folded_text(text: str) -> str:
    """A whole article folded as ``key`` folds names, padded with spaces so that `f" {key(name)} " in`
    finds a name as whole words. Not cached: an article is folded once and is no name to look up."""
    return f" {_fold_name(text)} "


def _fold_name(name: str) -> str:
    text = fold(PARENS.sub("", name))
    text = _ARTICLE.sub(" ", " " + text)
    text = text.replace("'", "").replace("-", " ")
    text = _NON_WORD.sub(" ", text)
    text = " ".join(text.split())
    return _GENERIC_TAIL.sub("", text) or text


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """Consonants only: transliteration variants of one Arabic name share it."""
    k = key(name).replace(" ", "")
    k = re.sub(r"[aeiouyw]", "", k)
    return re.sub(r"(.)\1+", r"\1", k)


@cache
def countries() -> frozenset[str]:
    """Folded country names (data/countries.txt): a place at this level names no single site."""
    raw = resources.files("llmsum.prose").joinpath("data/countries.txt").read_text(encoding="utf-8")
    return frozenset(key(line) for line in raw.splitlines() if line.strip() and not line.startswith("#"))


@dataclass(frozen=True)
class Resolution:
    canonical: str
    how: str  # alias | exact | fuzzy | new
    score: float


@cache
def alias_table() -> dict[str, dict[str, str]]:
    """kind -> {folded variant: canonical}."""
    raw = json.loads(resources.files("llmsum.prose").joinpath("data/aliases.json").read_text(encoding="utf-8"))
    extra = os.environ.get("LLMSUM_ALIASES")
    if extra:
        for kind, entries in json.loads(Path(extra).read_text(encoding="utf-8")).items():
            if isinstance(entries, dict):
                for canonical, variants in entries.items():
                    raw.setdefault(kind, {}).setdefault(canonical, []).extend(variants)
    table: dict[str, dict[str, str]] = {}
    for kind, entries in raw.items():
        if not isinstance(entries, dict) or kind == "member_of":  # not name variants: see umbrellas()
            continue
        table[kind] = {}
        for canonical, variants in entries.items():
            for variant in [canonical, *variants]:
                table[kind][key(variant)] = canonical
    return table


@cache
def _member_of() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("llmsum.prose").joinpath("data/aliases.json").read_text(encoding="utf-8"))
    return {key(group): frozenset(parents) for group, parents in raw.get("member_of", {}).items()}


def umbrellas(group: str) -> frozenset[str]:
    """The coalitions a group (canonical name) belongs to (data/aliases.json ``member_of``): one outlet
    names the brigade that was hit, another the umbrella it belongs to."""
    return _member_of().get(key(group), frozenset())


_OWNER = re.compile(r"^\s*[\w\-]+['’]s\s+")


def group_family(name: str) -> set[str]:
    """Folded names of a group, its other names and those of the groups that belong to it: a
    sentence naming "al-Nujaba" is about a strike on the Popular Mobilization Forces it belongs to."""
    canonical = alias(name, "groups") or alias(_OWNER.sub("", name), "groups")  # "Iraq's PMF"
    if canonical is None:
        return {key(name)}
    members = [member for member, parents in _member_of().items() if canonical in parents]
    return {v for group in (canonical, *members) for v in variants(group, "groups")}


def alias(name: str, kind: str) -> str | None:
    k = key(name)
    table = alias_table().get(kind, {})
    if k in table:
        return table[k]
    stripped = key(HONORIFICS.sub(" ", name))
    return table.get(stripped)


def similarity(a: str, b: str) -> float:
    """0-100. Names of the same length are compared word by word, so one different word
    ('Iraqi' vs 'Iranian' government) sinks the score; equal consonant skeletons score 95."""
    ka, kb = key(a), key(b)
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 100.0
    ta, tb = ka.split(), kb.split()
    if len(ta) == len(tb):
        sa, sb = skeleton(a), skeleton(b)
        if len(sa) >= 5 and sa == sb:
            return 95.0
        worst = min(fuzz.ratio(x, y) for x, y in zip(sorted(ta), sorted(tb), strict=True))
        return float(min(fuzz.token_sort_ratio(ka, kb), worst + 10))
    return float(fuzz.token_sort_ratio(ka, kb)) - 10


def _block(folded_key: str) -> str:
    """Spellings of one name share their first consonant (Kataib/Ketaeb, Hezbollah/Hizbollah):
    fuzzy search only compares names within that block, so it stays fast on long feeds."""
    return skeleton(folded_key)[:1]


class NameIndex:
    """Canonical names seen so far for one kind, resolving each new spelling against them.

    Exact keys and consonant skeletons are dictionary lookups; only a new spelling pays for a
    fuzzy search, and that search runs in rapidfuzz's C code over the known keys.
    """

    def __init__(self, kind: str, threshold: float = FUZZY_THRESHOLD) -> None:
        self.kind = kind
        self.threshold = threshold
        self.merges: list[dict[str, object]] = []
        self._logged: set[tuple[str, str]] = set()
        self._by_key: dict[str, str] = {}
        self._blocks: dict[str, list[str]] = {}
        self._memo: dict[str, Resolution] = {}

    def resolve(self, name: str) -> Resolution:
        if name in self._memo:
            return self._memo[name]
        resolution = self._resolve(name)
        self._memo[name] = resolution
        if resolution.how in {"alias", "fuzzy"} and key(resolution.canonical) != key(name):
            self._log(name, resolution.canonical, resolution.how, resolution.score)
        return resolution

    def _remember(self, canonical: str) -> None:
        k = key(canonical)
        if k and k not in self._by_key:
            self._by_key[k] = canonical
            self._blocks.setdefault(_block(k), []).append(k)

    def _resolve(self, name: str) -> Resolution:
        via_alias = alias(name, self.kind)
        if via_alias is not None:
            self._remember(via_alias)
            return Resolution(via_alias, "alias", 100.0)
        k = key(name)
        if k in self._by_key:
            return Resolution(self._by_key[k], "exact", 100.0)
        best, best_score = None, 0.0
        block = self._blocks.get(_block(k), []) if k else []
        if block:
            shortlist = process.extract(k, block, scorer=fuzz.ratio, limit=5, score_cutoff=65)
            for candidate, _, _ in shortlist:
                score = similarity(name, self._by_key[candidate])
                if score > best_score:
                    best, best_score = self._by_key[candidate], score
        if best is not None and best_score >= self.threshold:
            return Resolution(best, "fuzzy", best_score)
        self._remember(name)
        return Resolution(name, "new", 100.0)

    def _log(self, name: str, canonical: str, how: str, score: float) -> None:
        if (name, canonical) in self._logged:
            return
        self._logged.add((name, canonical))
        self.merges.append(
            {"kind": self.kind, "name": name, "merged_into": canonical, "how": how, "score": round(score, 1)}
        )


def variants(name: str | None, kind: str) -> set[str]:
    """Folded names of an entity: its own and, when the alias data knows it, its other names."""
    return set(_variants(name, kind)) if name else set()


@lru_cache(maxsize=65536)
def _variants(name: str, kind: str) -> frozenset[str]:
    """Cached: reconcile asks for the same places' names for every event a report meets."""
    canonical = alias(name, kind)
    if canonical is None:
        return frozenset({key(name)})
    return frozenset(variant for variant, canon in alias_table().get(kind, {}).items() if canon == canonical)


def actor_variants(actor: str | None) -> set[str]:
    return variants(actor, "actors")


_STANCE_PREFIXED = re.compile(r"\b(?:anti|pro)-[\w.]+", re.I)


def mentions(phrase: str, names: Iterable[str]) -> bool:
    """Whole-word mention of any folded name. Two- and three-letter names ("us", "uk") must be
    written in capitals ("US", "U.S."), so the pronoun "us" is not the United States. "anti-US" and
    "pro-Iranian" name a stance towards an actor, not the actor."""
    phrase = _STANCE_PREFIXED.sub(" ", phrase)
    folded = f" {key(phrase)} "
    for name in names:
        if not name or f" {name} " not in folded:
            continue
        letters = name.replace(" ", "")
        if len(letters) <= 3:
            written = r"\.?\s?".join(re.escape(c.upper()) for c in letters)
            if not re.search(rf"(?<![A-Za-z]){written}\.?(?![A-Za-z])", phrase):
                continue
        return True
    return False


def country_keys(name: str, country: str | None = None) -> set[str]:
    """The countries a place lies in, as far as its own words say: its ``country``, the name itself
    when it is a country, and a country named inside it ("eastern Syria", "Iraq and Syria"). Outlets
    describe one strike at different precision; a region or a district of a country is compatible
    with the country."""
    found = {key(country)} & countries() if country else set()
    words = key(name).split()
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            if (phrase := " ".join(words[i : i + size])) in countries():
                found.add(phrase)
    return found


_DIRECTION = re.compile(r"^(?:(?:north|south)?(?:east|west)?(?:ern)?|north|south|central)\s+")


def is_country_level(name: str, country: str | None = None) -> bool:
    """'Iraq', 'western Iraq', 'eastern Syria': places that do not single out one strike."""
    bare = _DIRECTION.sub("", key(name))
    return bare in countries() or (country is not None and bare == key(country))


_COALITION = re.compile(r"\s*(?:,|&|/|\band\b|\bwith\b)\s*", re.I)


@cache
def military_units() -> tuple[str, ...]:
    """Folded names of a state's services and commands (data/aliases.json ``military_units``),
    longest first: "U.S. Central Command" or "Israeli air force" is the state itself."""
    raw = json.loads(resources.files("llmsum.prose").joinpath("data/aliases.json").read_text(encoding="utf-8"))
    return tuple(sorted({key(u) for u in raw.get("military_units", [])}, key=len, reverse=True))


@lru_cache(maxsize=4096)
def demonym_country(word: str) -> str | None:
    """The country (folded, as ``countries``) a demonym names, read from the country's name:
    "Iraqi" iraq, "Syrian" syria, "Jordanian" jordan; None for anything else."""
    k = key(word)
    if not k or " " in k or k in countries():
        return None
    found = [
        c for c in countries() if " " not in c and len(c) >= 4 and k[len(c) :] in _DEMONYM_ENDINGS and k.startswith(c)
    ]
    return max(found, key=len) if found else None


# what a demonym adds to its country's name: Iraq-i(s), Syria-n(s), Jordan-ian(s); not Mali-k, India-na
_DEMONYM_ENDINGS = frozenset({"i", "n", "an", "ian", "ese", "ish", "is", "ns", "ans", "ians"})


def known_actor(part: str) -> str | None:
    """The canonical actor a phrase names, through the alias data or a country name, also when a
    service or command of it is named ("U.S. Central Command" -> United States)."""
    if found := alias(part, "actors"):
        return found
    k = key(part)
    if k in countries():
        return part.strip()
    for unit in military_units():
        if k.endswith(f" {unit}"):
            head = k[: -len(unit)].strip()
            if found := alias(head, "actors"):
                return found
            if head in countries():
                return head.title()
    return None


def is_description(name: str) -> bool:
    """'Iranian-backed militants', 'an Iraqi resistance group': a description, not a name (a known
    actor such as 'US warplanes' is checked before), so it tells nobody apart. A group the alias data
    knows ('Houthi rebels', 'Islamic State group') and an Arabic article ('al-Shabaab') are names."""
    if alias(name, "groups") is not None:
        return False
    return any(w[0].islower() and len(w) > 3 and not w.startswith(("al-", "el-")) for w in name.split())


def actor_parts(name: str | None) -> list[str]:
    """The actors an attacker names, each as a name ``NameIndex`` can resolve: every member of a
    coalition ("the United States and the United Kingdom"), a state for its command or service.
    A name whose parts are not all known actors is one actor ("Islamic State of Iraq and the Levant")."""
    if not name or not name.strip():
        return []
    whole = known_actor(name)
    if whole:
        return [whole]
    parts = [p for p in _COALITION.split(name) if p and p.strip()]
    if len(parts) > 1 and all(found := [known_actor(p) for p in parts]):
        return list(dict.fromkeys(f for f in found if f))
    return [name.strip()]
