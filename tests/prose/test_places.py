"""Where a place lies, and which actors an attacker names: what lets outlets that describe one strike
at different precision, or name its attacker differently, be read as one strike."""

from __future__ import annotations

import pytest

from llmsum.prose.names import actor_parts
from llmsum.prose.places import locate


@pytest.mark.parametrize(
    ("name", "country", "countries", "cities"),
    [
        ("Mosul", None, {"iraq"}, {"mosul"}),  # a city lies in its country
        ("al-Zuhour district, eastern Mosul", None, {"iraq"}, {"mosul"}),  # a district of a city
        ("a village near Aleppo", None, {"syria"}, {"aleppo"}),
        ("Benghazi in Libya", None, {"libya"}, {"benghazi"}),
        ("northern Iraq", None, {"iraq"}, set()),  # a region of a country
        ("Tripoli", "Lebanon", {"lebanon"}, {"tripoli"}),  # the report's country settles a shared name
        ("Yemen", None, {"yemen"}, set()),
        ("an army base", None, set(), set()),  # no proper name, no place
        ("Checkpoint Police Station", None, set(), set()),  # common words that are also some town's name
    ],
)
def test_a_place_lies_in_its_country(name: str, country: str | None, countries: set[str], cities: set[str]) -> None:
    placed = locate(name, country)
    assert placed.countries == countries
    assert placed.cities == cities


@pytest.mark.parametrize(
    ("attacker", "parts"),
    [
        ("the United States and the United Kingdom", ["United States", "United Kingdom"]),  # a coalition
        ("US and British forces", ["United States", "United Kingdom"]),
        ("U. S. Central Command", ["United States"]),  # a command of a state's military is that state
        ("Israeli air force", ["Israel"]),
        ("Russia", ["Russia"]),
        # a name with "and" whose parts are not all known actors is one actor
        ("Islamic State of Iraq and the Levant", ["Islamic State of Iraq and the Levant"]),
        ("Unknown gunmen", ["Unknown gunmen"]),
        (None, []),
    ],
)
def test_an_attacker_names_its_members(attacker: str | None, parts: list[str]) -> None:
    assert actor_parts(attacker) == parts
