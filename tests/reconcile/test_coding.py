"""Coding events and reactions in PLOVER, CAMEO, UCDP and ACLED terms, from the articles' own words."""

from __future__ import annotations

import pytest

import llmsum
from llmsum.models import (
    ArticleExtraction,
    ArticleRef,
    DatePrecision,
    EventFigure,
    Figure,
    FigureReport,
    Location,
    LocationPrecision,
    PloverEvent,
    PloverMode,
    Span,
    Stance,
    StrikeReport,
    VictimKind,
)
from llmsum.models.codebooks import CAMEO, STANCE_CODES, STRIKE_CAMEO
from llmsum.reconcile import CAMEO as reexported
from llmsum.reconcile.coding import date_precision, estimate, location_precision, mode_cues
from tests.handmade import handmade

# --------------------------------------------------------------------------- tables


def test_every_stance_has_a_cameo_code_and_plover_only_where_plover_codes_it() -> None:
    assert set(STANCE_CODES) == set(Stance)
    expected = {
        Stance.condemn: ("111", PloverEvent.ACCUSE, PloverMode.disapprove),
        Stance.threaten: ("138", PloverEvent.THREATEN, PloverMode.violence),
        Stance.call_for_restraint: ("0256", PloverEvent.REQUEST, PloverMode.yield_),
        Stance.support: ("051", PloverEvent.SUPPORT, None),
        Stance.justify: ("010", None, None),  # CAMEO 01 public statements: no PLOVER category
        Stance.other: ("010", None, None),
    }
    assert {s: (c.cameo, c.plover, c.mode) for s, c in STANCE_CODES.items()} == expected
    assert reexported is CAMEO  # defined once
    assert {s: c.cameo for s, c in STANCE_CODES.items()} == CAMEO


def test_every_strike_mode_has_its_cameo_code() -> None:
    assert {
        PloverMode.drone: "1952",
        PloverMode.aerial: "195",
        PloverMode.heavy_weapons: "194",
        None: "190",
    } == STRIKE_CAMEO


# --------------------------------------------------------------------------- mode


@pytest.mark.parametrize(
    ("sentence", "attacker", "modes"),
    [
        ("Israeli warplanes struck a depot outside the city.", "Israel", ["aerial"]),
        ("A US drone strike hit a car in the capital.", "United States", ["drone"]),
        ("The Guards fired ballistic missiles at the compound.", "Iran", ["heavy-weapons"]),
        ("Jets pounded the port after a rocket attack on a ship.", "United Kingdom", ["aerial"]),
        # the weapon of the attack this strike answered is not this strike's mode
        ("The United States launched strikes after a drone attack injured troops.", "United States", []),
        ("They hit sites used for rocket, missile and drone attacks.", "United States", []),
        # ... unless the strike's own attacker is named right before it
        ("Iraq condemned the escalation after American air strikes hit the town.", "United States", ["aerial"]),
        ("Iraq condemned the escalation after American air strikes hit the town.", None, []),
    ],
)
def test_mode_is_read_from_the_strike_wording(sentence: str, attacker: str | None, modes: list[str]) -> None:
    assert [m.value for m, _, _ in mode_cues(sentence, attacker=attacker)] == modes


def _article(article_id: str, text: str, attacker: str = "Israel", published: str = "2024-03-05") -> ArticleExtraction:
    start = text.index("on Monday")
    strike = StrikeReport(
        event_date="2024-03-04",
        date_text="on Monday",
        attacker=attacker,
        locations=[Location(name="Qusayr", country="Syria")],
        evidence=[Span(text="on Monday", start=start, end=start + 9, field="date_text")],
    )
    return ArticleExtraction(article=ArticleRef(id=article_id, published=published), strikes=[strike])


def test_a_drone_strike_also_called_an_air_strike_is_a_drone_strike_and_outlets_that_differ_are_a_conflict() -> None:
    texts = {
        "a": "An Israeli drone strike on Monday hit a car in Qusayr; the air strike killed two.",
        "b": "Israeli warplanes bombed Qusayr on Monday.",
        "c": "An Israeli drone struck a car in Qusayr on Monday.",
    }
    brief = llmsum.reconcile([_article(k, v) for k, v in texts.items()], texts=texts)
    (event,) = brief.events
    assert event.plover_mode == PloverMode.drone and event.cameo == "1952"
    assert {c.article_id for c in event.cues if c.field == "mode"} == {"a", "c"}
    (conflict,) = [c for c in event.conflicts if c.field == "mode"]
    assert {v.article_id for v in conflict.values} == {"a", "b", "c"}


def test_without_the_texts_or_any_wording_the_mode_stays_unknown() -> None:
    text = "Israeli warplanes bombed Qusayr on Monday."
    (event,) = llmsum.reconcile([_article("a", text)]).events  # no texts: only the evidence is read
    assert event.plover_mode is None and event.cameo == "190"
    (event,) = llmsum.reconcile(
        [_article("a", "Israel hit Qusayr on Monday.")], texts={"a": "Israel hit Qusayr on Monday."}
    ).events
    assert event.plover_mode is None and event.plover_event == PloverEvent.ASSAULT


# --------------------------------------------------------------------------- precision


@pytest.mark.parametrize(
    ("date_text", "published", "precision"),
    [
        ("on Sunday", "2019-12-30", DatePrecision.day),
        ("overnight", "2024-01-12", DatePrecision.day),
        ("January 4", "2024-01-05", DatePrecision.day),
        ("last week", "2024-01-20", DatePrecision.week),
        ("earlier this month", "2024-01-20", DatePrecision.month),
        ("in early February", "2021-03-01", DatePrecision.month),
        ("last year", "2024-01-20", DatePrecision.year),
        ("on Sunday", None, None),  # a weekday in an undated article dates nothing
        (None, "2024-01-20", None),
    ],
)
def test_date_precision_follows_the_wording(date_text: str | None, published: str | None, precision) -> None:
    assert date_precision(date_text, published) == precision


@pytest.mark.parametrize(
    ("name", "admin1", "precision"),
    [
        ("Iraq", None, LocationPrecision.country),
        ("eastern Syria", None, LocationPrecision.region),
        ("a border area of Syria", None, LocationPrecision.region),
        ("Houthi-controlled areas of Yemen", None, LocationPrecision.region),
        ("Anbar province", None, LocationPrecision.province),
        ("Babel", "Babel", LocationPrecision.province),
        ("Mezzeh district", None, LocationPrecision.district),
        ("south of Baghdad", None, LocationPrecision.near),
        ("near Erbil", None, LocationPrecision.near),
        ("Al Asad air base", "Anbar", LocationPrecision.place),
        ("Al Qaim area", None, LocationPrecision.place),
        ("Palestine Street, eastern Baghdad", None, LocationPrecision.place),
        ("the Red Sea", None, LocationPrecision.international),
    ],
)
def test_location_precision_follows_the_place_name(name: str, admin1: str | None, precision) -> None:
    assert location_precision(Location(name=name, admin1=admin1)) == precision


def test_the_event_takes_its_most_precise_place_and_date() -> None:
    def article(article_id: str, place: str, date_text: str) -> ArticleExtraction:
        strike = StrikeReport(
            event_date="2024-01-14",
            date_text=date_text,
            attacker="Iran",
            target_groups=["Kurdish parties"],
            locations=[Location(name=place)],
        )
        return ArticleExtraction(article=ArticleRef(id=article_id, published="2024-01-15"), strikes=[strike])

    (event,) = llmsum.reconcile([article("a", "Iraq", "this week"), article("b", "Erbil", "on Sunday")]).events
    assert (event.date_precision, event.location_precision) == (DatePrecision.day, LocationPrecision.place)
    assert {c.field: c.text for c in event.cues if c.field != "mode"} == {
        "date_precision": "on Sunday",
        "location_precision": "Erbil",
    }


# --------------------------------------------------------------------------- figures


def _figure(*reports: tuple[int | None, int | None, str]) -> EventFigure:
    made = [FigureReport(min=lo, max=hi, text=text, article_id=f"a{i}") for i, (lo, hi, text) in enumerate(reports)]
    return EventFigure(reports=made)


def test_low_best_high_and_the_conservative_figure() -> None:
    figure = _figure((None, 25, "up to 25"), (19, None, "at least 19"), (25, 25, "25"), (25, 25, "rose to 25"))
    estimate(figure)
    assert (figure.low, figure.best, figure.high, figure.conservative) == (19, 25, 25, 19)
    tie = _figure((2, 2, "two dead"), (4, 4, "four dead"))
    estimate(tie)
    assert tie.best == 2  # a tie goes to the lower figure


def test_a_vague_report_beside_numbers_is_coded_when_it_is_the_most_conservative() -> None:
    """Words with no number ("dozens were wounded") leave low/best/high to the numbers, but ACLED codes
    the most conservative report: "dozens" (12) beside another outlet's 30."""
    figure = _figure((30, 30, "30 wounded"), (None, None, "dozens were wounded"))
    estimate(figure)
    assert (figure.low, figure.best, figure.high, figure.conservative) == (30, 30, 30, 12)
    alone = _figure((None, None, "several were wounded"))
    estimate(alone)
    assert (alone.low, alone.conservative) == (None, 3)  # llmsum's smallest reading where ACLED has none


@pytest.mark.parametrize(("words", "acled"), [("tens of people", 10), ("dozens", 12), ("hundreds", 100)])
def test_vague_tolls_are_coded_the_acled_way(words: str, acled: int) -> None:
    figure = _figure((200, None, f"{words} were killed"), (300, 300, "300 killed"))
    estimate(figure)
    assert figure.conservative == acled
    assert figure.low == 200  # llmsum's own reading of the words is kept as the low estimate


def test_tolls_given_per_place_add_up() -> None:
    figure = _figure((16, 16, "16 killed in Iraq"), (23, 23, "23 killed in Syria"))
    estimate(figure, ["Iraq", "Syria"])
    assert (figure.low, figure.best, figure.high, figure.conservative) == (39, 39, 39, 39)
    through_reconcile = llmsum.reconcile(
        [
            ArticleExtraction(
                article=ArticleRef(id=a, published="2024-02-03"),
                strikes=[
                    StrikeReport(
                        event_date="2024-02-03",
                        attacker="United States",
                        locations=[Location(name="Iraq", country="Iraq"), Location(name="Syria", country="Syria")],
                        killed=Figure(min=n, max=n, text=f"{n} killed in {place}"),
                    )
                ],
            )
            for a, n, place in (("a", 16, "Iraq"), ("b", 23, "Syria"))
        ]
    )
    assert through_reconcile.events[0].killed.conservative == 39


# --------------------------------------------------------------------------- other attackers (hand-made)


@pytest.fixture(scope="module")
def handmade_brief() -> llmsum.Brief:
    extractions, texts = handmade()
    return llmsum.reconcile(extractions, texts=texts)


def _by_attacker(brief: llmsum.Brief) -> dict[str | None, llmsum.Event]:
    return {e.attacker: e for e in brief.events}


def test_an_israeli_air_strike_is_coded_like_any_other(handmade_brief: llmsum.Brief) -> None:
    event = _by_attacker(handmade_brief)["Israel"]
    assert (event.plover_event, event.plover_mode, event.cameo) == (PloverEvent.ASSAULT, PloverMode.aerial, "195")
    assert next(c.text for c in event.cues if c.field == "mode") == "warplanes"
    assert (event.date_precision, event.location_precision) == (DatePrecision.day, LocationPrecision.district)
    assert (event.number_of_sources, event.number_of_outlets) == (1, 1)
    codes = {r.speaker: (r.plover_event, r.plover_mode, r.cameo) for r in event.reactions}
    assert codes == {
        "Syrian foreign ministry": (PloverEvent.ACCUSE, PloverMode.disapprove, "111"),
        "Iranian foreign minister": (PloverEvent.THREATEN, PloverMode.violence, "138"),
    }


def test_an_iranian_missile_strike_that_killed_civilians(handmade_brief: llmsum.Brief) -> None:
    event = _by_attacker(handmade_brief)["Iran"]
    assert (event.plover_mode, event.cameo) == (PloverMode.heavy_weapons, "194")
    assert event.location_precision == LocationPrecision.near
    assert event.civilian_victims and event.victims == [VictimKind.civilians]
    assert (event.killed.conservative, event.wounded.low) == (4, 6)
    restraint = next(r for r in event.reactions if r.speaker == "United Nations")
    assert (restraint.plover_event, restraint.cameo) == (PloverEvent.REQUEST, "0256")


def test_a_militia_drone_attack_killing_soldiers(handmade_brief: llmsum.Brief) -> None:
    event = _by_attacker(handmade_brief)["Islamic Resistance in Iraq"]
    assert (event.plover_mode, event.cameo) == (PloverMode.drone, "1952")
    # soldiers killed by a militia's attack are security forces, not fighters, and not civilians
    assert event.victims == [VictimKind.security_forces] and not event.civilian_victims
    assert (event.wounded.low, event.wounded.conservative) == (24, 12)  # "dozens": ACLED's 12
    assert event.number_of_outlets is None  # the article names no outlet
    (claim,) = event.reactions
    assert (claim.stance, claim.plover_event, claim.cameo) == (Stance.justify, None, "010")


def test_victims_said_right_after_the_toll_count() -> None:
    text = "The strike killed one soldier and wounded 18 others, including civilians, officials said."
    strike = StrikeReport(
        event_date="2024-01-02",
        attacker="United States",
        locations=[Location(name="Hilla")],
        killed=Figure(min=1, max=1, text="killed one soldier"),
        wounded=Figure(min=18, max=18, text="wounded 18 others"),
        evidence=[
            Span(text="killed one soldier", start=11, end=29, field="killed"),
            Span(text="wounded 18 others", start=34, end=51, field="wounded"),
        ],
    )
    ex = ArticleExtraction(article=ArticleRef(id="a", published="2024-01-02"), strikes=[strike])
    (event,) = llmsum.reconcile([ex], texts={"a": text}).events
    assert event.victims == [VictimKind.civilians, VictimKind.security_forces] and event.civilian_victims
    (event,) = llmsum.reconcile([ex]).events  # without the text only the tolls' own words are read
    assert event.victims == [VictimKind.security_forces] and not event.civilian_victims


def test_a_strike_named_by_its_own_date_wording_keeps_its_weapon() -> None:
    text = "The US carried out airstrikes in Syria on Friday in response to the February 15 rocket attack in Erbil."

    def report(date_text: str, attacker: str, background: bool, place: str) -> StrikeReport:
        start = text.index(date_text)
        return StrikeReport(
            event_date="2021-02-26" if not background else None,
            date_text=date_text,
            attacker=attacker,
            background=background,
            locations=[Location(name=place)],
            evidence=[Span(text=date_text, start=start, end=start + len(date_text), field="date_text")],
        )

    strikes = [
        report("on Friday", "United States", False, "Syria"),
        report("the February 15 rocket attack", "unknown", True, "Erbil"),
    ]
    ex = ArticleExtraction(article=ArticleRef(id="a", published="2021-02-27"), strikes=strikes)
    modes = {e.background: e.plover_mode for e in llmsum.reconcile([ex], texts={"a": text}).events}
    assert modes == {False: PloverMode.aerial, True: PloverMode.heavy_weapons}
