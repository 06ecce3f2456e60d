"""Reading figures as news text writes them: digits, number words, vague quantities (planted cases)."""

from __future__ import annotations

import pytest

from llmsum.ground.figures import KILLED_WORDS, WOUNDED_WORDS
from llmsum.prose.numbers import numbers_in, read_figure


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("25 people were killed", (25, 25)),
        ("at least 1,200 fighters", (1200, None)),
        ("twenty-five fighters", (25, 25)),
        ("Seventeen soldiers", (17, 17)),
        ("one hundred and twenty people were killed", (120, 120)),
        ("one hundred twenty-three dead", (123, 123)),
        ("a hundred people", (100, 100)),
        ("two thousand people", (2000, 2000)),
        ("two thousand five hundred civilians", (2500, 2500)),
        ("more than a thousand troops", (1000, None)),
        ("1.5 million people displaced", (1_500_000, 1_500_000)),
        ("between one hundred and two hundred", (100, 200)),
        ("between 16 and 18 killed", (16, 18)),
        ("up to a hundred wounded", (None, 100)),
        # vague quantities, the ACLED way: one of the unit, as a lower bound
        ("a dozen soldiers", (12, 12)),
        ("dozens of people", (12, None)),
        ("scores were wounded", (20, None)),
        ("tens of people", (10, None)),
        ("hundreds of people", (100, None)),
        ("thousands fled", (1000, None)),
        ("tens of thousands fled", (10_000, None)),
        ("hundreds of thousands", (100_000, None)),
        ("several hundred people", (300, None)),
        ("a few thousand", (2000, None)),
        ("several people", (3, None)),
        ("a number of fighters", (2, None)),
        # not counts
        ("2.1 percent", None),
        ("on January 24", None),
        ("at 5 pm", None),
        ("in 2020", None),
    ],
)
def test_read_figure(phrase: str, expected: tuple[int | None, int | None] | None) -> None:
    assert read_figure(phrase) == expected


@pytest.mark.parametrize(
    ("phrase", "killed", "wounded"),
    [
        ("Three soldiers were killed and 25 others were injured", (3, 3), (25, 25)),
        ("the strike killed 25 and wounded 30", (25, 25), (30, 30)),
        ("killing three and wounding 25", (3, 3), (25, 25)),
        ("two dead and two wounded", (2, 2), (2, 2)),
        ("Three killed and 25 wounded", (3, 3), (25, 25)),
    ],
)
def test_a_phrase_with_two_tolls_is_read_at_each_own_word(
    phrase: str, killed: tuple[int, int], wounded: tuple[int, int]
) -> None:
    """The figure of a word is the nearest before it, or the one right after it; a number after a
    conjunction ("killed and 25 others were injured") opens the next clause and is not its figure."""
    assert read_figure(phrase, KILLED_WORDS) == killed
    assert read_figure(phrase, WOUNDED_WORDS) == wounded


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("three in Iraq and two in Syria", [3, 2]),
        ("one hundred and twenty killed, two thousand fled", [120, 2000]),
        ("one hundred and two hundred", [100, 200]),  # "and" joins "one hundred" only to a smaller number
        ("dozens killed and 7 wounded", [12, 7]),
        ("twenty one people", [21]),
        ("nine hundred and ninety-nine", [999]),
    ],
)
def test_numbers_in(text: str, values: list[int]) -> None:
    assert [n.value for n in numbers_in(text)] == values
