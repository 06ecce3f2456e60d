"""Reading figures as news text writes them: digits, number words, vague quantities (planted cases)."""

from __future__ import annotations

import pytest

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
