"""Earlier attacks an article mentions as context: found in invented texts (not the seeds), asked about
on their passage alone (against the hand-made fake server, not a recording), and grounded in it."""

from __future__ import annotations

import json

import llmsum
from llmsum.ground import ground
from llmsum.llm.calls import plan
from llmsum.llm.prompts import render_messages
from llmsum.llm.settings import Settings
from llmsum.models import Article, ArticleDraft, FigureDraft, StrikeDraft, StrikesDraft
from llmsum.prose.earlier import earlier_strikes
from tests.fake_server import FakeServer, completion

TEXT = (
    "Northland jets struck depots of the Red Hand militia near Varo on Monday, killing 7 fighters.\n\n"
    "The raid came after a rocket attack on Northland troops earlier this month killed two contractors near Tarsi. "
    "Two soldiers were also wounded when the rockets hit the Tarsi base.\n\n"
    "Northland has accused the militia of repeated attacks on its bases in recent weeks.\n\n"
    "It also comes two days after another Northland drone strike killed a Red Hand commander in Kessa.\n\n"
    "A car burns after an air strike in Varo last week (AFP photo)"
)
ARTICLE = Article(id="earlier.txt", published="2031-05-06", text=TEXT)


def passages(text: str = TEXT) -> list[str]:
    return [text[lo:hi] for lo, hi in earlier_strikes(text)]


def test_finds_each_earlier_attack_with_the_sentence_that_goes_on_about_it() -> None:
    found = passages()
    assert found == [
        "The raid came after a rocket attack on Northland troops earlier this month killed two contractors near Tarsi. "
        "Two soldiers were also wounded when the rockets hit the Tarsi base.",
        "It also comes two days after another Northland drone strike killed a Red Hand commander in Kessa.",
    ]


def test_plural_generic_leading_and_caption_mentions_are_not_earlier_attacks() -> None:
    # "repeated attacks ... in recent weeks" names no one attack; the first sentence is the article's own
    # strike even with "last week"; a photo caption is never a report
    assert not any("repeated" in p or "AFP photo" in p for p in passages())
    lead = "An air strike hit Varo last week, a week after a raid on Tarsi.\n\nThe militia vowed revenge."
    assert passages(lead) == []
    definite = "Northland struck Varo on Monday.\n\nThe attack on Tarsi last week killed two."
    assert passages(definite) == []  # "the attack" is the one already told of


def _settings(**overrides) -> Settings:
    base = {"model": "fake", "base_url": "http://127.0.0.1:9", "api_key": "k", "profile": "json"}
    return Settings(**{**base, **overrides})


def test_each_passage_gets_its_own_call_after_the_strikes_call_with_the_same_rules() -> None:
    steps = plan(ARTICLE, _settings())
    assert [s.task for s in steps] == ["strikes", "earlier", "earlier", "speakers"]
    assert [TEXT[slice(*s.passage)] for s in steps if s.task == "earlier"] == passages()
    assert [s.task for s in plan(ARTICLE, _settings(find_earlier=False))] == ["strikes", "speakers"]
    strikes = render_messages(ARTICLE, StrikesDraft, "strikes")
    earlier = render_messages(ARTICLE, StrikesDraft, "earlier", passage=steps[2].passage)
    # the same system message as the strikes call (a server's prompt cache reuses it), then the passage only
    assert earlier[0] == strikes[0]
    assert "another Northland drone strike" in earlier[1]["content"]
    assert "Varo on Monday" not in earlier[1]["content"]


def fake_earlier(**changes) -> StrikeDraft:
    base = StrikeDraft(
        attacker="Northland",
        target_groups=["Northland troops"],
        locations=[{"name": "Tarsi"}],
        date_text="earlier this month",
        killed=FigureDraft(text="killed two contractors", min=2, max=2),
        wounded=FigureDraft(text="Two soldiers were also wounded", min=2, max=2),
        background=True,
    )
    lo, hi = earlier_strikes(TEXT)[0]
    return StrikeDraft.model_validate({**base.model_dump(), "passage": (lo, hi), **changes})


def fake_main() -> StrikeDraft:
    return StrikeDraft(
        attacker="Northland",
        target_groups=["Red Hand"],
        locations=[{"name": "Varo"}],
        date_text="on Monday",
        killed=FigureDraft(text="killing 7 fighters", min=7, max=7),
    )


def test_an_earlier_attack_is_grounded_in_its_passage_only() -> None:
    draft = ArticleDraft(strikes=[fake_main(), fake_earlier(facilities_struck=7)])
    strikes, _, problems = ground(ARTICLE, draft)
    earlier = strikes[1]
    assert earlier.background and earlier.wounded.min == 2 and earlier.killed.min == 2
    lo, hi = earlier_strikes(TEXT)[0]
    assert earlier.evidence and all(lo <= s.start and s.end <= hi for s in earlier.evidence)
    assert all(TEXT[s.start : s.end] == s.text for s in earlier.evidence)
    # "7" is the reported strike's toll, outside the passage: no count of facilities for the earlier one
    assert earlier.facilities_struck is None
    # the passage names Northland as the side hit, not as who attacked: the attacker is not kept
    assert earlier.attacker is None
    assert any(getattr(p, "field", None) == "attacker" and "passage does not say" in p.message for p in problems)


def test_an_earlier_attack_keeps_the_attacker_its_passage_gives_it_and_never_repeats_the_reported_one() -> None:
    lo, hi = earlier_strikes(TEXT)[1]
    named = fake_earlier(
        target_groups=["Red Hand"],
        locations=[{"name": "Kessa"}],
        date_text=None,
        killed=FigureDraft(text="killed a Red Hand commander", min=1, max=1),
        wounded=FigureDraft(),
        passage=(lo, hi),
    )
    again = fake_earlier(date_text="on Monday", passage=(0, TEXT.index("\n")), locations=[{"name": "Varo"}])
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_main(), named, again]))
    assert [s.attacker for s in strikes] == ["Northland", "Northland"]
    assert strikes[1].locations[0].name == "Kessa"
    assert any(p.kind == "duplicate_strike" and "reported strike's day" in p.message for p in problems)


def test_a_failed_earlier_call_keeps_the_article_and_is_asked_again_next_run(tmp_path) -> None:
    main = {"strikes": [fake_main().model_dump(exclude={"passage"})]}
    verdicts = {"Northland": {"stance": "other", "quote": None, "affiliation": None}}
    text = "Northland jets struck Red Hand depots near Varo on Monday, killing 7 fighters.\n\n" + (
        "It came two days after a rocket attack on Tarsi earlier this month killed a contractor."
    )
    article = Article(id="one.txt", published="2031-05-06", text=text)
    error = ("json", 500, {"error": {"message": "boom"}}, {})
    with FakeServer() as server:
        server.script.extend([("json", 200, completion(json.dumps(main)), {}), error, error])
        server.default = ("json", 200, completion(json.dumps(verdicts)), {})
        settings = _settings(base_url=server.url, max_transient_retries=1)
        (result,) = llmsum.extract([article], settings=settings, cache_dir=tmp_path)
        assert not result.failed and result.strikes[0].killed.min == 7
        assert "earlier_failed" in [p.kind for p in result.problems]
        asked = len(server.requests)
        llmsum.extract([article], settings=settings, cache_dir=tmp_path)
    assert len(server.requests) > asked  # a half-failed answer is not cached


def test_words_that_are_not_the_attacks_own_name_no_earlier_attack() -> None:
    lead = "Northland struck Varo on Monday.\n\n"
    for sentence in (
        "Protests erupted a day after the strike on Varo.",  # "a day after the strike": the reported one
        "The UN said a day after the raid that it would send a mission.",
    ):
        assert passages(lead + sentence) == [], sentence
    toll = lead + "It came after a rocket attack on Tarsi earlier this month. The UN also condemned the raid."
    assert passages(toll) == ["It came after a rocket attack on Tarsi earlier this month."]


def test_an_attack_by_someone_unnamed_gives_it_to_nobody() -> None:
    text = TEXT.replace("another Northland drone strike", "a drone strike by gunmen on a Northland post")
    lo, hi = earlier_strikes(text)[1]
    article = Article(id="by.txt", published="2031-05-06", text=text)
    draft = fake_earlier(target_groups=["Red Hand"], date_text=None, killed=FigureDraft(), wounded=FigureDraft())
    draft = draft.model_copy(update={"passage": (lo, hi), "locations": []})
    strikes, _, _ = ground(article, ArticleDraft(strikes=[fake_main(), draft]))
    assert strikes[1].attacker is None


def test_answers_with_earlier_attacks_come_back_from_the_cache_and_a_model_cannot_set_a_passage(tmp_path) -> None:
    """Four strikes listed by the model (its cap) and three earlier attacks: a second run asks nothing."""
    text = "Northland jets struck Red Hand depots near Varo on Monday, killing 7 fighters.\n\n" + "\n\n".join(
        f"It came after a rocket attack on {place} earlier this month that killed two guards."
        for place in ("Tarsi", "Kessa", "Dalo")
    )
    article = Article(id="many.txt", published="2031-05-06", text=text)
    listed = [{**fake_main().model_dump(exclude={"passage"}), "passage": [0, 5]}] * 4
    earlier = {"strikes": [{"attacker": None, "locations": [{"name": "Tarsi"}], "background": True}]}
    with FakeServer() as server:
        server.script.append(("json", 200, completion(json.dumps({"strikes": listed})), {}))
        server.default = ("json", 200, completion(json.dumps(earlier)), {})
        settings = _settings(base_url=server.url, judge_speakers=False, calls_per_article=2)
        server.script.extend([("json", 200, completion(json.dumps(earlier)), {})] * 3)
        server.script.append(("json", 200, completion(json.dumps({"reactions": []})), {}))
        (first,) = llmsum.extract([article], settings=settings, cache_dir=tmp_path)
        asked = len(server.requests)
        (again,) = llmsum.extract([article], settings=settings, cache_dir=tmp_path)
    assert asked == 5 and len(server.requests) == asked
    assert not first.failed and first.strikes == again.strikes and len(again.strikes) > 1
    # the model's "passage" was not taken: its strike was grounded in the whole article, not in "North"
    assert first.strikes[0].killed.min == 7


def test_a_toll_in_an_earlier_attacks_passage_is_not_the_reported_strikes() -> None:
    """The passage names the reported strike's attacker, so its toll would otherwise join that strike's."""
    first, second = earlier_strikes(TEXT)
    commander = fake_earlier(
        locations=[{"name": "Kessa"}], killed=FigureDraft(text="killed a Red Hand commander"), passage=second
    )
    strikes, _, _ = ground(ARTICLE, ArticleDraft(strikes=[fake_main(), fake_earlier(passage=first), commander]))
    assert (strikes[0].killed.min, strikes[0].killed.max) == (7, 7)
    assert (strikes[0].wounded.min, strikes[0].wounded.max) == (None, None)
    without, _, _ = ground(ARTICLE, ArticleDraft(strikes=[fake_main()]))
    assert (without[0].killed.min, without[0].killed.max) == (1, 7)  # what the passages' tolls did before


def test_an_earlier_attack_days_before_the_reported_strike_is_dated_from_it() -> None:
    """ "It also comes two days after another drone strike ...": the reported strike's day (Monday, from
    the date line) less two; "a day after the minister said ..." counts from the minister, not a strike."""
    second = earlier_strikes(TEXT)[1]
    kessa = fake_earlier(
        target_groups=["Red Hand"],
        locations=[{"name": "Kessa"}],
        date_text="two days after",
        killed=FigureDraft(text="killed a Red Hand commander"),
        wounded=FigureDraft(),
        passage=second,
    )
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_main(), kessa]))
    assert strikes[0].event_date == "2031-05-05"  # Monday before the date line
    assert strikes[1].event_date == "2031-05-03"
    assert any(p.kind == "date_from_context" and "2031-05-03" in p.message for p in problems)
    said = kessa.model_copy(update={"date_text": "two days after another Northland drone strike"})
    assert ground(ARTICLE, ArticleDraft(strikes=[fake_main(), said]))[0][1].event_date == "2031-05-03"
