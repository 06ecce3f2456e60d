"""Evaluation against the seeds' gold: the gold itself scores 1.0, and known damage lowers exactly
the numbers it should, and no others."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path

import pytest

import llmsum
from llmsum.eval import STRIKE_FIELDS, evaluate, format_table
from llmsum.eval.gold import gold_extractions
from llmsum.models import ArticleExtraction, Location, OfficialReaction, StrikeReport
from tests.conftest import GOLD_PATH, ROOT

EARLY = "000_2ef8d5a5a54944d1.txt"  # with 001: the 2019-12-29 strikes
LATER = "002_69809db812aa4f14.txt"  # with 003: the 2024-01-24 strikes
UNDATED = "003_815593e774ae9b48.txt"  # also mentions the Baghdad strike in background
ALONE = "004_07edf20958a55308.txt"  # the 2023-12-26 strike, one article

Damage = Callable[[dict[str, ArticleExtraction]], None]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return {a.id: a.text for a in llmsum.load_articles(ROOT / "seeds")}


@pytest.fixture
def extractions(gold: dict, texts: dict[str, str]) -> dict[str, ArticleExtraction]:
    """A fresh copy per test, so damage done in one test never leaks into another."""
    return {ex.article.id: ex for ex in gold_extractions(gold, texts)}


def _score(extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str] | None) -> dict:
    exs = list(extractions.values())
    return evaluate(exs, llmsum.reconcile(exs), gold, texts)


def _assert_perfect_strikes(scores: dict) -> None:
    strikes = scores["strikes"]
    assert (strikes["precision"], strikes["recall"], strikes["f1"]) == (1.0, 1.0, 1.0)
    assert all(f["accuracy"] == 1.0 for f in strikes["fields"].values()), strikes["fields"]
    assert scores["strike_field_f1"] == 1.0


def _assert_perfect_reactions(scores: dict) -> None:
    reactions = scores["reactions"]
    assert (reactions["precision"], reactions["recall"]) == (1.0, 1.0)
    assert reactions["stance_accuracy"] == reactions["quote_accuracy"] == 1.0
    assert scores["reaction_recall"] == 1.0


def test_the_gold_itself_scores_one_everywhere(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    scores = _score(extractions, gold, texts)
    json.dumps(scores)  # JSON-serialisable as promised
    _assert_perfect_strikes(scores)
    _assert_perfect_reactions(scores)
    assert scores["strikes"]["matched"] == scores["strikes"]["gold"] == 6
    assert set(scores["strikes"]["fields"]) == set(STRIKE_FIELDS)
    assert scores["reactions"]["tp"] == sum(
        1 for a in gold["articles"].values() for r in a["reactions"] if not r.get("optional")
    )
    events = scores["events"]
    assert events["exact"] == events["gold"] == len(gold["events"]) == 4
    assert events["main"]["exact"] == 3 and events["background"]["exact"] == 1
    assert events["split"] == events["merged"] == events["missed"] == events["extra"] == 0
    assert events["killed_right"] == events["wounded_right"] == events["date_right"] == 4
    assert events["conflicts_found"] == events["conflicts_expected"] == 3
    assert events["spurious_conflicts"] == 0
    grounding = scores["grounding"]
    assert grounding["quote_share"] == grounding["figure_share"] == 1.0
    assert grounding["quotes_total"] > 0 and grounding["figures_total"] > 0
    assert scores["errors"] == []
    assert scores["articles"] == {"scored": 5, "missing": [], "not_in_gold": []}


def test_dropping_a_reaction_lowers_only_reaction_recall(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    dropped = extractions[EARLY].reactions.pop(0)
    scores = _score(extractions, gold, texts)
    assert scores["reaction_recall"] < 1.0
    assert scores["reactions"]["fn"] == 1 and scores["reactions"]["precision"] == 1.0
    assert scores["errors"] == [{"article": EARLY, "kind": "missed_reaction", "gold": dropped.speaker}]
    _assert_perfect_strikes(scores)
    assert scores["events"]["exact"] == 4


def test_a_wrong_killed_figure_lowers_only_killed_accuracy(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    killed = extractions[ALONE].strikes[0].killed
    killed.min, killed.max = 5, 5
    scores = _score(extractions, gold, texts)
    fields = scores["strikes"]["fields"]
    assert fields["killed"]["accuracy"] == pytest.approx(5 / 6)
    assert all(f["accuracy"] == 1.0 for name, f in fields.items() if name != "killed")
    assert scores["strikes"]["f1"] == 1.0  # the strike was still found
    assert scores["strike_field_f1"] < 1.0
    _assert_perfect_reactions(scores)
    assert scores["events"]["killed_right"] == 3 and scores["events"]["wounded_right"] == 4


def test_at_least_n_accepts_a_range_starting_at_n(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    killed = extractions[EARLY].strikes[0].killed  # gold: "at least 25" -> min 25, max null
    killed.min, killed.max = 25, 30
    assert _score(extractions, gold, texts)["strikes"]["fields"]["killed"]["accuracy"] == 1.0


def test_a_shifted_date_splits_an_event_and_leaves_reactions_alone(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    extractions["001_bb603948bcb018d1.txt"].strikes[0].event_date = "2020-01-03"  # five days later
    scores = _score(extractions, gold, texts)
    events = scores["events"]
    assert events["exact"] == 3 and events["split"] == 1 and events["merged"] == 0
    assert any(e["kind"] == "split_event" for e in scores["errors"])
    assert scores["strikes"]["fields"]["date"]["accuracy"] == pytest.approx(5 / 6)
    _assert_perfect_reactions(scores)


def test_a_merged_event_is_counted(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    # Article 004's strike moved onto the day and place of 002/003: reconciled into one event.
    strike = extractions[ALONE].strikes[0]
    strike.event_date = "2024-01-24"
    strike.locations = [Location(name="Jurf al-Sakhr")]
    events = _score(extractions, gold, texts)["events"]
    assert events["merged"] == 1 and events["main"]["exact"] == 1


def test_other_parties_attacks_and_optional_strikes_cost_nothing(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    militia = StrikeReport(
        attacker="Iran-backed militias", target_groups=["US forces"], locations=[Location(name="Ain al-Asad")]
    )
    extractions[LATER].strikes.append(militia)
    houthis = StrikeReport(attacker="US", target_groups=["Houthi movement"], locations=[Location(name="Yemen")])
    extractions[UNDATED].strikes.append(houthis)
    scores = _score(extractions, gold, texts)
    _assert_perfect_strikes(scores)
    assert scores["strikes"]["ignored"] == {"not_us": 1, "optional": 1}


def test_an_invented_us_strike_is_a_false_positive(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    invented = StrikeReport(
        attacker="U.S. forces",
        target_groups=["Kataib Sayyid al-Shuhada"],
        locations=[Location(name="Albu Kamal", country="Syria")],
        event_date="2023-12-20",
    )
    extractions[ALONE].strikes.append(invented)
    strikes = _score(extractions, gold, texts)["strikes"]
    assert strikes["fp"] == 1 and strikes["recall"] == 1.0
    assert strikes["precision"] == pytest.approx(6 / 7)
    assert strikes["field_f1"] < 1.0
    assert all(f["accuracy"] == 1.0 for f in strikes["fields"].values())


def test_a_missed_strike_lowers_recall_and_field_f1(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    extractions[ALONE].strikes.clear()
    scores = _score(extractions, gold, texts)
    strikes = scores["strikes"]
    assert strikes["fn"] == 1 and strikes["precision"] == 1.0
    assert strikes["recall"] == pytest.approx(5 / 6)
    n = len(STRIKE_FIELDS)
    assert strikes["field_fn"] == n and strikes["field_fp"] == 0
    assert scores["strike_field_f1"] == pytest.approx(2 * 5 * n / (2 * 5 * n + n))
    assert scores["events"]["main"]["missed"] == 1


def test_speaker_variants_and_alternative_quotes_are_accepted(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    later = extractions[LATER].reactions
    rasool = next(r for r in later if r.speaker == "Yehia Rasool")
    rasool.speaker = "Major General Yehia Rasool"
    rasool.quote = "We will treat these operations as acts of aggression"  # part of an alt_quote
    araji = next(r for r in later if r.speaker == "Qassem Al Araji")
    araji.speaker = "Qasim al-Araji"
    white_house = next(r for r in extractions[ALONE].reactions if r.speaker == "White House")
    white_house.speaker = "President Biden"  # a speaker_alias in the gold
    white_house.quote = "“The President places no higher priority than protecting American personnel"
    scores = _score(extractions, gold, texts)
    _assert_perfect_reactions(scores)


def test_a_wrong_stance_or_quote_lowers_only_its_accuracy(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    reactions = extractions[EARLY].reactions
    reactions[0].stance = llmsum.Stance.support
    reactions[1].quote = "Iraq"
    scores = _score(extractions, gold, texts)["reactions"]
    assert scores["recall"] == scores["precision"] == 1.0
    assert scores["stance_accuracy"] == pytest.approx(24 / 25)
    assert scores["quote_accuracy"] == pytest.approx((scores["quote_total"] - 1) / scores["quote_total"])


def test_an_extra_speaker_is_a_false_positive_but_a_second_entry_is_not(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    reactions = extractions[LATER].reactions
    reactions.append(OfficialReaction(speaker="Iranian government", stance="condemn"))
    reactions.append(OfficialReaction(speaker="Yehia Rasool", stance="condemn", quote="as acts of aggression"))
    reactions.append(OfficialReaction(speaker="US military", quote="headquarters, storage and training locations"))
    scores = _score(extractions, gold, texts)["reactions"]
    assert scores["fp"] == 1 and scores["recall"] == 1.0
    assert scores["ignored"] == {"optional": 1, "duplicate": 1}


def test_grounding_needs_texts_and_catches_invented_words(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    assert _score(extractions, gold, None)["grounding"] is None
    extractions[ALONE].reactions[0].quote = "a hostile act that will be answered"
    extractions[ALONE].strikes[0].wounded.text = "eighteen people were hurt"
    grounding = _score(extractions, gold, texts)["grounding"]
    assert grounding["quotes_verbatim"] == grounding["quotes_total"] - 1
    assert grounding["figures_verbatim"] == grounding["figures_total"] - 1


def test_only_articles_with_an_extraction_are_scored(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    del extractions[ALONE]
    scores = _score(extractions, gold, texts)
    assert scores["articles"]["missing"] == [ALONE]
    _assert_perfect_strikes(scores)
    assert scores["events"]["gold"] == 3 and scores["events"]["exact"] == 3


def test_format_table_shows_headlines_and_errors(
    extractions: dict[str, ArticleExtraction], gold: dict, texts: dict[str, str]
) -> None:
    extractions[EARLY].reactions.pop(0)
    table = format_table(_score(extractions, gold, texts))
    assert "strike_field_f1 1.000" in table and "reaction_recall 0.960" in table
    for heading in ("Detection", "Strike fields", "Events", "Grounding", "missed_reaction"):
        assert heading in table
    assert "not scored" in format_table(_score(extractions, gold, None))


def test_eval_cli_scores_extraction_files(
    tmp_path: Path, extractions: dict[str, ArticleExtraction], gold: dict
) -> None:
    from typer.testing import CliRunner

    from llmsum.cli import app

    for article_id, ex in extractions.items():
        (tmp_path / f"{article_id}.json").write_text(ex.model_dump_json(), encoding="utf-8")
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--gold", str(GOLD_PATH), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "strike_field_f1 1.000" in result.output
    scores = json.loads(out.read_text(encoding="utf-8"))
    assert scores["strike_field_f1"] == scores["reaction_recall"] == 1.0


@pytest.mark.parametrize(
    ("damage", "field_path"),
    [
        pytest.param(lambda g: g.update(articles=list(g["articles"].values())), "articles", id="articles-a-list"),
        pytest.param(
            lambda g: g["events"][0].update(articles=[{"id": EARLY}]), "events[0].articles[0]", id="event-article-dict"
        ),
        pytest.param(
            lambda g: g["articles"][EARLY]["strikes"][0]["killed"].update(min="25"),
            f'articles["{EARLY}"].strikes[0].killed.min',
            id="count-a-string",
        ),
        pytest.param(
            lambda g: g["articles"][LATER]["reactions"][0].pop("speaker"),
            f'articles["{LATER}"].reactions[0].speaker',
            id="speaker-missing",
        ),
    ],
)
def test_eval_cli_refuses_a_gold_file_of_the_wrong_shape_naming_the_field(
    tmp_path: Path,
    extractions: dict[str, ArticleExtraction],
    gold: dict,
    damage: Callable[[dict], None],
    field_path: str,
) -> None:
    from typer.testing import CliRunner

    from llmsum.cli import app

    for article_id, ex in extractions.items():
        (tmp_path / f"{article_id}.json").write_text(ex.model_dump_json(), encoding="utf-8")
    bad = copy.deepcopy(gold)
    damage(bad)
    bad["articles_note"] = "annotators' own fields are allowed"  # extra fields are not the problem
    gold_file = tmp_path / "gold" / "wrong.json"
    gold_file.parent.mkdir()
    gold_file.write_text(json.dumps(bad), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(tmp_path), "--gold", str(gold_file)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    message = " ".join(result.output.split())
    assert "wrong.json" in message and field_path in message


def test_a_gold_with_other_attackers_scores_every_attacker() -> None:
    """Under the dev corpus' convention (any attacker), an invented Israeli strike is a false positive and
    an attacker given under one of the gold's aliases or co-attackers is right; a seeds-style gold (US
    strikes only) ignores the Israeli strike."""
    gold = {
        "articles": {
            "a.txt": {
                "published": "2024-01-13",
                "strikes": [
                    {
                        "event_date": "2024-01-12",
                        "attacker": "Iran",
                        "attacker_aliases": ["Islamic Revolutionary Guard Corps"],
                        "target_groups": [],
                        "locations": [{"name": "Erbil", "country": "Iraq"}],
                    }
                ],
                "reactions": [],
            }
        },
        "events": [],
    }
    predicted = [
        StrikeReport(
            attacker="Islamic Revolutionary Guard Corps", event_date="2024-01-12", locations=[Location(name="Erbil")]
        ),
        StrikeReport(attacker="Israel", event_date="2024-01-12", locations=[Location(name="Damascus")]),
    ]
    ex = ArticleExtraction(article={"id": "a.txt"}, strikes=predicted)
    scores = evaluate([ex], llmsum.reconcile([ex]), gold)
    assert scores["scope"] == "any attacker"
    assert (scores["strikes"]["tp"], scores["strikes"]["fp"]) == (1, 1)
    assert scores["strikes"]["fields"]["attacker"]["accuracy"] == 1.0
    us_gold = json.loads(
        json.dumps(gold).replace('"Iran"', '"United States"').replace("Islamic Revolutionary Guard Corps", "US")
    )
    us_scores = evaluate([ex], llmsum.reconcile([ex]), us_gold)
    assert us_scores["scope"] == "US strikes" and us_scores["strikes"]["fp"] == 0


def test_an_undated_strike_at_a_place_written_with_more_words_is_matched() -> None:
    gold = {
        "articles": {
            "u.txt": {
                "published": None,
                "strikes": [
                    {
                        "event_date": None,
                        "attacker": "United States",
                        "target_groups": ["Iran-backed militias (unspecified)"],
                        "locations": [{"name": "Deir Ez-Zor, near the border", "country": "Syria"}],
                    }
                ],
                "reactions": [],
            }
        },
        "events": [],
    }
    predicted = StrikeReport(attacker="US", locations=[Location(name="Deir Ez-Zor near the border")])
    ex = ArticleExtraction(article={"id": "u.txt"}, strikes=[predicted])
    scores = evaluate([ex], llmsum.reconcile([ex]), gold)
    assert (scores["strikes"]["tp"], scores["strikes"]["fp"], scores["strikes"]["fn"]) == (1, 0, 0)


def test_a_strike_the_gold_leaves_undated_accepts_the_days_it_lists() -> None:
    """gold/README.md: ``event_date_alternatives`` are dates to accept too. A strike whose day the text
    does not write (null) but whose gold lists the real day is right with either, and wrong with another."""
    gold = {
        "articles": {
            "d.txt": {
                "published": "2024-01-29",
                "strikes": [
                    {
                        "event_date": None,
                        "event_date_alternatives": ["2024-01-28"],
                        "attacker": "Islamic Resistance in Iraq",
                        "target_groups": ["US forces"],
                        "locations": [{"name": "a base in Jordan", "country": "Jordan"}],
                    }
                ],
                "reactions": [],
            }
        },
        "events": [],
    }

    def score(day: str | None) -> dict:
        strike = StrikeReport(
            attacker="Islamic Resistance in Iraq", event_date=day, locations=[Location(name="Jordan")]
        )
        ex = ArticleExtraction(article={"id": "d.txt", "published": "2024-01-29"}, strikes=[strike])
        return evaluate([ex], llmsum.reconcile([ex]), gold)["strikes"]

    for day in (None, "2024-01-28"):
        assert (score(day)["tp"], score(day)["fields"]["date"]["accuracy"]) == (1, 1.0), day
    assert score("2024-01-20")["tp"] == 0  # a wrong day and a country alone: not this strike


def test_a_joint_attack_named_jointly_has_the_right_attacker() -> None:
    """``co_attackers`` (the dev corpus): "the United States and the United Kingdom" is right for a gold
    US strike with the UK as co-attacker; a coalition with a third party is not."""
    gold = {
        "articles": {
            "j.txt": {
                "published": "2031-01-12",
                "strikes": [
                    {
                        "event_date": "2031-01-12",
                        "attacker": "United States",
                        "co_attackers": ["United Kingdom"],
                        "target_groups": ["Houthis"],
                        "locations": [{"name": "Sanaa", "country": "Yemen"}],
                    }
                ],
                "reactions": [],
            }
        },
        "events": [],
    }

    def attacker_accuracy(attacker: str) -> float:
        strike = StrikeReport(attacker=attacker, event_date="2031-01-12", target_groups=["Houthis"])
        ex = ArticleExtraction(article={"id": "j.txt", "published": "2031-01-12"}, strikes=[strike])
        return evaluate([ex], llmsum.reconcile([ex]), gold)["strikes"]["fields"]["attacker"]["accuracy"]

    assert attacker_accuracy("the United States and the United Kingdom") == 1.0
    assert attacker_accuracy("US") == 1.0
    assert attacker_accuracy("the United States and Israel") == 0.0


def test_an_event_of_a_joint_attack_named_jointly_is_the_gold_event() -> None:
    """The event's attacker "United States and United Kingdom" is the gold event's attacker with its
    co_attackers, as for a strike; a coalition with a third party is another event."""
    strike = {
        "event_date": "2031-01-12",
        "attacker": "United States",
        "co_attackers": ["United Kingdom"],
        "target_groups": ["Houthis"],
        "locations": [{"name": "Sanaa", "country": "Yemen"}],
    }
    event = {"event_id": "EV-J", "articles": ["j.txt"], **strike}
    gold = {"articles": {"j.txt": {"published": "2031-01-12", "strikes": [strike], "reactions": []}}, "events": [event]}

    def exact(attacker: str) -> int:
        found = StrikeReport(attacker=attacker, event_date="2031-01-12", target_groups=["Houthis"])
        ex = ArticleExtraction(article={"id": "j.txt", "published": "2031-01-12"}, strikes=[found])
        return evaluate([ex], llmsum.reconcile([ex]), gold)["events"]["exact"]

    assert exact("United States and United Kingdom") == 1
    assert exact("United States and Israel") == 0


def test_a_speaker_is_matched_with_its_affiliation_or_as_the_body_it_speaks_for() -> None:
    """ "Foreign Ministry" of "Syria's Foreign Ministry" is the gold's "Syrian Foreign Ministry"; "Houthis"
    is "Houthi leaders"; "Foreign Ministry" of another country is not."""
    gold = {
        "articles": {
            "r.txt": {
                "published": "2031-01-12",
                "strikes": [],
                "reactions": [
                    {"speaker": "Syrian Foreign Ministry", "stance": "condemn", "quote": None},
                    {"speaker": "Houthi leaders", "stance": "threaten", "quote": None},
                ],
            }
        },
        "events": [],
    }

    def recall(*reactions: OfficialReaction) -> float:
        ex = ArticleExtraction(article={"id": "r.txt", "published": "2031-01-12"}, reactions=list(reactions))
        return evaluate([ex], llmsum.reconcile([ex]), gold)["reactions"]["recall"]

    syria = OfficialReaction(speaker="Foreign Ministry", affiliation="Syria's Foreign Ministry", stance="condemn")
    houthis = OfficialReaction(speaker="Houthis", stance="threaten")
    assert recall(syria, houthis) == 1.0
    assert recall(syria.model_copy(update={"affiliation": "Egypt"}), houthis) == 0.5
