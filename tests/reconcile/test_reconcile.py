"""The reconciler on the seeds' gold annotations, turned into extractions."""

from __future__ import annotations

from pathlib import Path

import pytest

import llmsum
from llmsum.eval.gold import gold_extractions
from llmsum.prose.names import NameIndex


@pytest.fixture(scope="module")
def brief(gold: dict) -> llmsum.Brief:
    return llmsum.reconcile(gold_extractions(gold))


def _event_for(brief: llmsum.Brief, articles: list[str]) -> llmsum.Event:
    matches = [e for e in brief.events if not e.background and set(e.articles) == set(articles)]
    assert len(matches) == 1, [(e.event_id, e.articles) for e in brief.events]
    return matches[0]


def test_gold_reconciles_into_its_main_and_background_events(brief: llmsum.Brief, gold: dict) -> None:
    main = [e for e in brief.events if not e.background]
    background = [e for e in brief.events if e.background]
    gold_main = [e for e in gold["events"] if not e.get("background_only")]
    assert len(main) == len(gold_main) == 3
    for gold_event in gold_main:
        event = _event_for(brief, gold_event["articles"])
        assert event.event_date == gold_event["event_date"]
        assert event.facilities_struck == gold_event["facilities_struck"]
        assert (event.killed.min, event.killed.max) == (gold_event["killed"]["min"], gold_event["killed"]["max"])
        assert (event.wounded.min, event.wounded.max) == (gold_event["wounded"]["min"], gold_event["wounded"]["max"])
    assert len(background) == 1 and background[0].articles == ["003_815593e774ae9b48.txt"]


def test_every_figure_keeps_its_source(brief: llmsum.Brief) -> None:
    event = _event_for(brief, ["000_2ef8d5a5a54944d1.txt", "001_bb603948bcb018d1.txt"])
    assert {r.article_id for r in event.killed.reports} == set(event.articles)
    assert event.killed.headline == "at least 19 killed; reports range from 19 to 25"
    assert all(r.attributed_to for r in event.killed.reports)


def test_conflicts_list_disagreeing_figures_and_roles(brief: llmsum.Brief) -> None:
    event = _event_for(brief, ["000_2ef8d5a5a54944d1.txt", "001_bb603948bcb018d1.txt"])
    fields = {c.field for c in event.conflicts}
    assert {"killed", "wounded", "role of Abbas Mousavi"} <= fields
    killed = next(c for c in event.conflicts if c.field == "killed")
    assert {v.article_id for v in killed.values} == set(event.articles)
    later = _event_for(brief, ["002_69809db812aa4f14.txt", "003_815593e774ae9b48.txt"])
    assert "killed" in {c.field for c in later.conflicts}
    alone = _event_for(brief, ["004_07edf20958a55308.txt"])
    assert alone.conflicts == []


def test_name_variants_merge_into_one_speaker_and_group(brief: llmsum.Brief) -> None:
    event = _event_for(brief, ["000_2ef8d5a5a54944d1.txt", "001_bb603948bcb018d1.txt"])
    speakers = [r.speaker for r in event.reactions]
    assert len([s for s in speakers if "Mahdi" in s]) == 1
    mahdi = next(r for r in event.reactions if "Mahdi" in r.speaker)
    assert set(mahdi.articles) == set(event.articles)
    mousavi = next(r for r in event.reactions if r.speaker == "Abbas Mousavi")
    assert {q.article_id for q in mousavi.quotes} == set(event.articles)
    assert mousavi.cameo == "111"
    later = _event_for(brief, ["002_69809db812aa4f14.txt", "003_815593e774ae9b48.txt"])
    assert len([r for r in later.reactions if "Araji" in r.speaker or "Aaraji" in r.speaker]) == 1
    assert any(m["how"] in {"alias", "fuzzy"} for m in later.merges)


@pytest.mark.parametrize(
    ("variants", "kind"),
    [
        (
            ["Kataib Hezbollah", "Kata'ib Hezbollah", "Kataeb Hezbollah", "Ketaeb Hizbollah", "the Hezbollah Brigades"],
            "groups",
        ),
        (["Hashd al-Shaabi", "Hashed", "PMF", "PMU", "Popular Mobilisation Forces"], "groups"),
        (["Jurf al-Sakhr", "Jurf al-Nasr", "Jurf Al Sakhr area"], "places"),
        (["Adil Abdul Mahdi", "Abdul-Mahdi", "Adel Abdul Mahdi"], "people"),
        (["Qassem Al Araji", "Qassem al-Aaraji"], "people"),
    ],
)
def test_name_variants_resolve_to_one_canonical(variants: list[str], kind: str) -> None:
    index = NameIndex(kind)
    assert len({index.resolve(v).canonical for v in variants}) == 1


def test_different_names_do_not_merge() -> None:
    index = NameIndex("people")
    assert index.resolve("Iraqi government").canonical != index.resolve("Iranian government").canonical
    groups = NameIndex("groups")
    assert groups.resolve("Hamas").canonical != groups.resolve("Houthis").canonical


def test_reconcile_is_deterministic_and_order_independent(gold: dict) -> None:
    extractions = gold_extractions(gold)
    first = llmsum.reconcile(extractions).model_dump_json()
    assert llmsum.reconcile(list(reversed(extractions))).model_dump_json() == first


def test_dates_one_day_apart_join_but_two_days_do_not(gold: dict) -> None:
    extractions = gold_extractions(gold)
    later = next(e for e in extractions if e.article.id == "003_815593e774ae9b48.txt")
    for shift, joined in (("2024-01-23", True), ("2024-01-21", False)):
        moved = later.model_copy(deep=True)
        moved.strikes[0].event_date = shift
        others = [e for e in extractions if e.article.id != later.article.id]
        brief = llmsum.reconcile([*others, moved])
        main = [e for e in brief.events if not e.background]
        assert (len(main) == 3) is joined


def test_reconcile_cli_writes_a_brief_without_a_model(tmp_path: Path, gold: dict) -> None:
    from typer.testing import CliRunner

    from llmsum.cli import app

    for ex in gold_extractions(gold):
        (tmp_path / f"{ex.article.id}.json").write_text(ex.model_dump_json())
    out = tmp_path / "brief.json"
    result = CliRunner().invoke(app, ["reconcile", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    brief = llmsum.Brief.model_validate_json(out.read_text())
    assert len([e for e in brief.events if not e.background]) == 3
    assert brief.usage.calls == 0


def test_tolls_for_different_countries_are_scopes_not_conflicts() -> None:
    from llmsum.models import ArticleExtraction, ArticleRef, Figure, Location, StrikeReport

    def report(article: str, killed: int, text: str) -> ArticleExtraction:
        strike = StrikeReport(
            event_date="2024-02-03",
            attacker="United States",
            target_groups=["Red Hand"],
            locations=[Location(name="Varo", country="Iraq"), Location(name="Tarsi", country="Syria")],
            killed=Figure(min=killed, max=killed, text=text),
        )
        return ArticleExtraction(article=ArticleRef(id=article, published="2024-02-03"), strikes=[strike])

    scoped = llmsum.reconcile([report("a", 16, "16 killed in Iraq"), report("b", 23, "23 killed in Syria")])
    (event,) = scoped.events
    assert event.conflicts == [] and len(event.killed.reports) == 2
    assert event.killed.headline == "killed: 16 in Iraq; 23 in Syria (tolls given per place)"
    clash = llmsum.reconcile([report("a", 16, "16 killed in Iraq"), report("b", 40, "40 people were killed")])
    assert [c.field for c in clash.events[0].conflicts] == ["killed"]


def test_reports_a_day_apart_do_not_chain_into_a_three_day_event() -> None:
    from llmsum.models import ArticleExtraction, ArticleRef, Location, StrikeReport

    def report(article: str, day: str) -> ArticleExtraction:
        strike = StrikeReport(
            event_date=day, attacker="United States", target_groups=["Red Hand"], locations=[Location(name="Varo")]
        )
        return ArticleExtraction(article=ArticleRef(id=article, published=day), strikes=[strike])

    brief = llmsum.reconcile([report("a", "2024-02-01"), report("b", "2024-02-02"), report("c", "2024-02-03")])
    assert len(brief.events) == 2
    assert all(len(e.articles) <= 2 for e in brief.events)


def _report(article_id: str, published: str | None, **strike: object) -> llmsum.ArticleExtraction:
    from llmsum.models import ArticleRef, StrikeReport

    return llmsum.ArticleExtraction(
        article=ArticleRef(id=article_id, published=published), strikes=[StrikeReport.model_validate(strike)]
    )


def test_places_in_one_country_and_a_region_of_it_are_one_wave() -> None:
    reports = [
        _report(
            "a.txt",
            "2024-02-03",
            attacker="United States",
            event_date="2024-02-02",
            locations=[{"name": "Iraq"}, {"name": "Syria"}],
        ),
        _report(
            "b.txt",
            "2024-02-03",
            attacker="US",
            event_date="2024-02-02",
            locations=[{"name": "Akashat", "country": "Iraq"}, {"name": "al-Qaim", "country": "Iraq"}],
        ),
        _report(
            "c.txt",
            "2024-02-03",
            attacker="United States",
            event_date="2024-02-03",
            locations=[{"name": "eastern Syria"}],
        ),
        _report("d.txt", "2024-02-03", attacker="Israel", event_date="2024-02-02", locations=[{"name": "Syria"}]),
    ]
    events = llmsum.reconcile(reports).events
    assert sorted(e.articles for e in events) == [["a.txt", "b.txt", "c.txt"], ["d.txt"]]


def test_an_undated_article_joins_the_one_event_it_clearly_matches_and_says_so() -> None:
    dated = [
        _report(
            "a.txt",
            "2024-02-03",
            attacker="Iran",
            event_date="2024-02-02",
            target_groups=["Red Hand"],
            locations=[{"name": "Erbil"}],
        ),
        _report(
            "b.txt",
            "2024-03-10",
            attacker="Iran",
            event_date="2024-03-09",
            target_groups=["Red Hand"],
            locations=[{"name": "Idlib"}],
        ),
    ]
    undated = _report("u.txt", None, attacker="Iran", target_groups=["Red Hand"], locations=[{"name": "Erbil"}])
    (first, second) = llmsum.reconcile([*dated, undated]).events
    assert first.articles == ["a.txt", "u.txt"] and first.attached_by_evidence == ["u.txt"]
    assert second.articles == ["b.txt"]
    # named by group alone, it fits both events as well: it is left alone
    vague = _report("v.txt", None, attacker="Iran", target_groups=["Red Hand"])
    events = llmsum.reconcile([*dated, vague]).events
    assert ["v.txt"] in [e.articles for e in events]
    assert not any(e.attached_by_evidence for e in events)


def test_the_brief_says_which_article_was_attached_by_evidence() -> None:
    dated = _report("a.txt", "2024-02-03", attacker="Iran", event_date="2024-02-02", locations=[{"name": "Erbil"}])
    undated = _report("u.txt", None, attacker="Iran", locations=[{"name": "Erbil"}])
    md = llmsum.reconcile([dated, undated]).to_markdown()
    assert "- **Sources:** [1] [2] ([2] undated: joined on its attacker and a matching target, place or toll)" in md
