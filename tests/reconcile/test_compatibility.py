"""Reports join by compatibility, not equality: outlets describe one strike at different precision and
name its attacker differently, yet a wrong merge is as bad as a split. Invented reports throughout."""

from __future__ import annotations

import llmsum
from llmsum.models import ArticleExtraction, ArticleRef, Figure, Location, StrikeReport


def _article(
    article_id: str,
    attacker: str | None,
    place: str,
    date: str | None = None,
    published: str | None = None,
    groups: list[str] | None = None,
    killed: int | None = None,
    country: str | None = None,
) -> ArticleExtraction:
    strike = StrikeReport(
        event_date=date,
        attacker=attacker,
        target_groups=groups or [],
        locations=[Location(name=place, country=country)],
        killed=Figure(min=killed, max=killed) if killed is not None else Figure(),
    )
    return ArticleExtraction(article=ArticleRef(id=article_id, published=published or date), strikes=[strike])


def _groups(brief: llmsum.Brief) -> list[list[str]]:
    return sorted(sorted(e.articles) for e in brief.events if not e.background)


def test_one_wave_told_as_city_region_and_country_is_one_event() -> None:
    # one outlet dates it by US time, two by local time; one names the city, one a region, one the
    # country; each names the attacker its own way
    brief = llmsum.reconcile(
        [
            _article("a.txt", "U.S. Central Command", "al-Zuhour district, eastern Mosul", "2023-05-10"),
            _article("b.txt", "United States", "northern Iraq", "2023-05-09", groups=["militants"]),
            _article("c.txt", "US and British forces", "Iraq", "2023-05-10", groups=["a weapons depot"]),
        ]
    )
    assert _groups(brief) == [["a.txt", "b.txt", "c.txt"]]
    assert brief.events[0].attacker == "United States"


def test_the_same_day_in_two_countries_is_two_strikes() -> None:
    brief = llmsum.reconcile(
        [
            _article("a.txt", "United States", "Mosul", "2023-05-10", groups=["Islamic State"]),
            _article("b.txt", "United States", "Benghazi", "2023-05-10", groups=["Islamic State"]),
        ]
    )
    assert _groups(brief) == [["a.txt"], ["b.txt"]]


def test_another_attacker_on_the_same_day_and_place_is_another_strike() -> None:
    brief = llmsum.reconcile(
        [
            _article("a.txt", "the United States and the United Kingdom", "Mosul", "2023-05-10"),
            _article("b.txt", "Russia", "Mosul", "2023-05-10"),
        ]
    )
    assert _groups(brief) == [["a.txt"], ["b.txt"]]


def _two_events() -> list[ArticleExtraction]:
    return [
        _article("a.txt", "United States", "Aleppo", "2023-03-01", groups=["Hurras al-Din"], killed=4),
        _article("b.txt", "United States", "Mosul", "2023-06-01", groups=["Islamic State"], killed=9),
    ]


def test_an_undated_report_joins_the_one_event_it_matches_marked_as_attached() -> None:
    undated = _article("c.txt", "US forces", "a village west of Aleppo", groups=["Hurras al-Din"], killed=4)
    brief = llmsum.reconcile([*_two_events(), undated])
    assert _groups(brief) == [["a.txt", "c.txt"], ["b.txt"]]
    event = next(e for e in brief.events if "c.txt" in e.articles)
    assert event.attached_by_evidence == ["c.txt"]
    assert event.event_date == "2023-03-01"


def test_an_undated_report_matching_two_events_equally_is_left_alone() -> None:
    events = [
        _article("a.txt", "United States", "Kirkuk", "2023-03-01", groups=["Islamic State"]),
        _article("b.txt", "United States", "Kirkuk", "2023-06-01", groups=["Islamic State"]),
    ]
    brief = llmsum.reconcile([*events, _article("c.txt", "United States", "Kirkuk", groups=["Islamic State"])])
    assert _groups(brief) == [["a.txt"], ["b.txt"], ["c.txt"]]
    assert all(not e.attached_by_evidence for e in brief.events)


def test_an_undated_report_elsewhere_or_by_another_attacker_is_left_alone() -> None:
    elsewhere = _article("c.txt", "United States", "Benghazi", groups=["Hurras al-Din"], killed=4)
    other_attacker = _article("d.txt", "Turkey", "Aleppo", groups=["Hurras al-Din"], killed=4)
    brief = llmsum.reconcile([*_two_events(), elsewhere, other_attacker])
    assert _groups(brief) == [["a.txt"], ["b.txt"], ["c.txt"], ["d.txt"]]


def test_an_article_without_a_strike_is_in_no_event() -> None:
    statement = ArticleExtraction(article=ArticleRef(id="s.txt", published="2023-03-02"))
    brief = llmsum.reconcile([*_two_events(), statement])
    assert all("s.txt" not in e.articles for e in brief.events)
    assert "s.txt" in [a.id for a in brief.articles]


def test_a_city_name_borne_in_several_countries_cannot_split_an_event() -> None:
    """'Tripoli' alone is a city in two countries: the gazetteer's guess helps a join but is no
    proof that the strike was elsewhere than the 'Tripoli, Lebanon' of another outlet."""
    brief = llmsum.reconcile(
        [
            _article("a.txt", "Israel", "Tripoli", "2023-05-10", groups=["Hamas"]),
            _article("b.txt", "Israel", "Tripoli", "2023-05-10", groups=["Hamas"], country="Lebanon"),
        ]
    )
    assert _groups(brief) == [["a.txt", "b.txt"]]


def test_a_brigade_and_the_coalition_it_belongs_to_are_one_target() -> None:
    """One outlet names the brigade hit, another the umbrella it belongs to (``member_of`` in the alias
    data); a group outside that umbrella hit the same day is another strike."""
    brief = llmsum.reconcile(
        [
            _article("a.txt", None, "a militia headquarters", "2031-03-04", groups=["Al-Nujaba movement"]),
            _article("b.txt", "United States", "Baghdad", "2031-03-04", groups=["Popular Mobilization Forces"]),
        ]
    )
    assert _groups(brief) == [["a.txt", "b.txt"]]
    brief = llmsum.reconcile(
        [
            _article("a.txt", None, "a militia headquarters", "2031-03-04", groups=["Houthis"]),
            _article("b.txt", "United States", "Baghdad", "2031-03-04", groups=["Popular Mobilization Forces"]),
        ]
    )
    assert _groups(brief) == [["a.txt"], ["b.txt"]]


def test_an_undated_article_naming_the_events_place_in_passing_joins_it() -> None:
    """The model placed the undated strike only where part of the wave fell ("Raqqa in Syria"); the
    article also writes the city the event's other report names ("Mosul"). With the texts, that
    outweighs the two countries; without it, it stays alone. An attacker the report does not name
    cannot lift the veto."""
    dated = _article("a.txt", "Turkey", "Mosul", "2031-01-16", killed=4)
    undated = _article("b.txt", "Turkey", "Raqqa in Syria", groups=["Red Hand"])
    texts = {
        "a.txt": "Turkish jets struck Mosul late on Monday, killing four.",
        "b.txt": "The Turkish strikes hit Mosul in northern Iraq and Red Hand positions in Raqqa in Syria.",
    }
    brief = llmsum.reconcile([dated, undated], texts=texts)
    assert _groups(brief) == [["a.txt", "b.txt"]]
    assert brief.events[0].attached_by_evidence == ["b.txt"]
    unnamed = _article("b.txt", "an armed group", "Raqqa in Syria", groups=["Red Hand"], killed=4)
    assert _groups(llmsum.reconcile([dated, unnamed], texts=texts)) == [["a.txt"], ["b.txt"]]
    texts["b.txt"] = "The Turkish strikes hit Red Hand positions in Raqqa in Syria."
    assert _groups(llmsum.reconcile([dated, undated], texts=texts)) == [["a.txt"], ["b.txt"]]


def test_an_undated_report_by_a_described_attacker_needs_a_place_and_a_toll() -> None:
    """ "An armed group" names no attacker: the report can still join the event whose article names its
    place ("Outpost 9") and whose toll it gives; the place alone, with another toll, is not enough."""
    dated = _article("a.txt", "Islamic Front in Varo", "Jordan", "2031-01-28", killed=3)
    texts = {
        "a.txt": "The Islamic Front in Varo hit Outpost 9, a base in Jordan, killing three soldiers.",
        "b.txt": "An armed group claimed the drone attack on Outpost 9 that killed three soldiers.",
    }
    same = _article("b.txt", "an armed resistance group", "Outpost 9", killed=3)
    brief = llmsum.reconcile([dated, same], texts=texts)
    assert _groups(brief) == [["a.txt", "b.txt"]]
    other_toll = _article("b.txt", "an armed resistance group", "Outpost 9", killed=7)
    assert _groups(llmsum.reconcile([dated, other_toll], texts=texts)) == [["a.txt"], ["b.txt"]]


def test_two_brigades_of_one_coalition_are_not_one_target() -> None:
    brief = llmsum.reconcile(
        [
            _article("a.txt", None, "a militia headquarters", "2031-03-04", groups=["Kataib Hezbollah"]),
            _article("b.txt", "United States", "a depot", "2031-03-04", groups=["Badr Organization"]),
        ]
    )
    assert _groups(brief) == [["a.txt"], ["b.txt"]]


def _mentioning(article_id: str, published: str, earlier_place: str) -> ArticleExtraction:
    """An article that reports its own strike and mentions, with no day, an earlier US strike on the Red
    Hand at ``earlier_place``."""
    extraction = _article(article_id, "Northland", "Tarsi", "2031-06-20", published, groups=["Blue Brigade"])
    earlier = StrikeReport(
        attacker="United States",
        target_groups=["Red Hand"],
        locations=[Location(name=earlier_place)],
        background=True,
    )
    extraction.strikes.append(earlier)
    return extraction


def test_an_earlier_attack_mentioned_at_the_events_place_joins_the_event_others_report() -> None:
    reported = _article("a.txt", "United States", "Varo", "2031-06-01", groups=["Red Hand"])
    brief = llmsum.reconcile([reported, _mentioning("b.txt", "2031-06-21", "Varo")])
    (event,) = [e for e in brief.events if "a.txt" in e.articles]
    assert event.articles == ["a.txt", "b.txt"] and not event.background
    assert event.attached_by_evidence == ["b.txt"]
    assert not any(e.background for e in brief.events)


def test_an_earlier_attack_elsewhere_or_after_the_event_stays_a_background_event() -> None:
    """The same attacker and target are not enough (they strike again and again); nor is a place, when
    the article came out before the event."""
    reported = _article("a.txt", "United States", "Varo", "2031-06-01", groups=["Red Hand"])
    for mention in (_mentioning("b.txt", "2031-06-21", "Kessa"), _mentioning("b.txt", "2031-05-21", "Varo")):
        brief = llmsum.reconcile([reported, mention])
        assert _groups(brief) == [["a.txt"], ["b.txt"]]
        assert [e.articles for e in brief.events if e.background] == [["b.txt"]]


def test_a_mention_that_joins_an_event_counts_as_a_source_not_for_its_tolls() -> None:
    """A toll an article gives in passing for an earlier attack does not move the headline of the outlets
    that report it as news; and a mention sorted before them (its article id first) still joins them."""
    reported = _article("z.txt", "United States", "Varo", "2031-06-01", groups=["Red Hand"], killed=9)
    mention = _mentioning("a.txt", "2031-06-21", "Varo")
    mention.strikes[1].killed = Figure(min=2, max=2)
    brief = llmsum.reconcile([mention, reported])
    (event,) = [e for e in brief.events if "z.txt" in e.articles]
    assert event.articles == ["a.txt", "z.txt"]
    assert (event.killed.min, event.killed.max) == (9, 9) and not event.conflicts
