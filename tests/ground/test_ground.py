"""Grounding: claims are found in the article or dropped and reported.

The drafts here are hand-made fakes of a model's answer (named ``fake_*``), built to prove that
invented quotes, invented numbers and swapped attributions are caught.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import llmsum
from llmsum.ground import check_draft, ground
from llmsum.models import Article, ArticleDraft, ArticleExtraction, ArticleRef, FigureDraft, ReactionDraft, StrikeDraft
from llmsum.prose.dates import resolve_date
from llmsum.prose.names import alias
from tests.conftest import ROOT

TEXT = (
    "The Pentagon said Sunday that it had struck five sites of the Hezbollah Brigades, three in Iraq and two in "
    "Syria.\n\n"
    "Local officials said at least 25 fighters were killed and 55 others were wounded in the raids near al-Qaim.\n\n"
    '"This is a flagrant violation of our sovereignty," said Iraqi Prime Minister Adil Abdul Mahdi.\n\n'
    "Foreign ministry spokesman Abbas Mousavi said the strikes were \u201can obvious case of terrorism\u201d.\n\n"
    "US soldiers at a base, November 1, 2011 (AFP photo)"
)
ARTICLE = Article(id="fake.txt", published="2019-12-30", text=TEXT)


def fake_strike(**changes) -> StrikeDraft:
    base = StrikeDraft(
        attacker="United States",
        target_groups=["Hezbollah Brigades"],
        locations=[{"name": "al-Qaim", "country": "Iraq"}],
        date_text="Sunday",
        facilities_struck=5,
        killed=FigureDraft(text="at least 25 fighters were killed", min=25, max=None),
        wounded=FigureDraft(text="55 others were wounded", min=55, max=55),
    )
    return StrikeDraft.model_validate({**base.model_dump(), **changes})


def fake_reaction(**changes) -> ReactionDraft:
    base = ReactionDraft(
        speaker="Adil Abdul Mahdi",
        role="Iraqi Prime Minister",
        stance="condemn",
        quote="This is a flagrant violation of our sovereignty",
    )
    return ReactionDraft.model_validate({**base.model_dump(), **changes})


# reactions are about a strike: tests of reactions give the article one (its place is "Varo")
VARO_STRIKE = StrikeDraft(attacker="Northland", locations=[{"name": "Varo"}])


def kinds(problems) -> list[str]:
    return [p.kind for p in problems]


def test_grounded_claims_keep_verbatim_spans() -> None:
    strikes, reactions, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike()], reactions=[fake_reaction()]))
    assert problems == []
    strike = strikes[0]
    # the text says "The Pentagon", not "United States": another name of the same actor (alias data)
    (attacker,) = [s for s in strike.evidence if s.field == "attacker"]
    assert (attacker.text, attacker.match) == ("Pentagon", "alias")
    assert strike.unverified == []
    assert strike.event_date == "2019-12-29"  # "Sunday" in an article dated Monday 2019-12-30
    assert (strike.killed.min, strike.killed.max) == (25, None)
    assert (strike.wounded.min, strike.wounded.max) == (55, 55)
    assert strike.facilities_struck == 5
    for span in strike.evidence + reactions[0].evidence:
        assert TEXT[span.start : span.end] == span.text
    fields = {s.field for s in strike.evidence}
    assert {"target_groups", "locations", "date_text", "killed", "wounded", "facilities_struck"} <= fields


def test_quote_with_other_quote_marks_is_grounded_to_the_verbatim_text() -> None:
    fake = fake_reaction(
        speaker="Abbas Mousavi",
        role="Foreign ministry spokesman",
        stance="condemn",
        quote='"An obvious case of terrorism"',
    )
    _, reactions, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike()], reactions=[fake]))
    assert problems == []
    span = next(s for s in reactions[0].evidence if s.field == "quote")
    assert span.match == "normalized"
    assert reactions[0].quote == TEXT[span.start : span.end]
    assert "obvious case of terrorism" in reactions[0].quote


def test_invented_quote_is_dropped_and_reported() -> None:
    fake = fake_reaction(quote="We will respond with overwhelming force")
    _, reactions, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike()], reactions=[fake]))
    assert "ungrounded" in kinds(problems)
    assert "overwhelming force" in problems[0].message
    # the invented words are gone; what the article quotes beside the speaker's name replaces them
    assert reactions[0].quote == "This is a flagrant violation of our sovereignty"
    assert "quote_from_text" in kinds(problems)
    assert check_draft(ArticleDraft(strikes=[fake_strike()], reactions=[fake]), ARTICLE)  # and it would be re-asked


def test_invented_number_is_dropped_and_reported() -> None:
    fake = fake_strike(killed=FigureDraft(text="40 people were killed", min=40, max=40), facilities_struck=9)
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake]))
    # the invented 40 is dropped; the article's own toll for this strike takes its place
    assert (strikes[0].killed.min, strikes[0].killed.max) == (25, None)
    assert "40" not in (strikes[0].killed.text or "")
    assert strikes[0].facilities_struck is None
    dropped = [p.message for p in problems if p.kind == "ungrounded"]
    assert any("killed" in m for m in dropped) and any("facilities_struck" in m for m in dropped)


def test_model_numbers_that_contradict_the_quoted_words_are_corrected() -> None:
    fake = fake_strike(killed=FigureDraft(text="at least 25 fighters were killed", min=25, max=25))
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake]))
    assert (strikes[0].killed.min, strikes[0].killed.max) == (25, None)
    assert "figure_corrected" in kinds(problems)


def test_swapped_quotes_go_back_to_the_speaker_the_article_puts_them_beside() -> None:
    swapped = [
        fake_reaction(
            speaker="Abbas Mousavi",
            role="Foreign ministry spokesman",
            quote="This is a flagrant violation of our sovereignty",
        ),
        fake_reaction(speaker="Adil Abdul Mahdi", role="Iraqi Prime Minister", quote="an obvious case of terrorism"),
    ]
    _, reactions, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike()], reactions=swapped))
    quotes = {r.speaker: r.quote for r in reactions}
    assert quotes == {
        "Abbas Mousavi": "an obvious case of terrorism",
        "Adil Abdul Mahdi": "This is a flagrant violation of our sovereignty",
    }
    for r in reactions:  # the evidence is the quotation beside the name, not the neighbour's
        quoted = [e for e in r.evidence if e.field == "quote"]
        assert [TEXT[e.start : e.end] for e in quoted] == [r.quote]
    corrected = {p.speaker: p.message for p in problems if p.kind == "quote_from_text"}
    assert "beside 'Adil Abdul Mahdi' in the article, not 'Abbas Mousavi'" in corrected["Abbas Mousavi"]
    assert "beside 'Abbas Mousavi' in the article, not 'Adil Abdul Mahdi'" in corrected["Adil Abdul Mahdi"]


def test_a_quotation_that_runs_on_paragraphs_later_stays_with_its_speaker() -> None:
    """Nobody else is named beside it: the model's quotation is kept (flagged), not traded for another."""
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        'Red Hand spokesman Omar Dal said the raid was "a crime against our people".\n\n'
        "The group's fighters were moved overnight.\n\nRoads to Varo were closed.\n\n"
        '"We will answer at a time of our choosing," the statement went on.'
    )
    article = Article(id="runs.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[fake_reaction(speaker="Omar Dal", role=None, stance="threaten", quote="We will answer")],
    )
    _, (dal,), problems = ground(article, draft)
    assert dal.quote == "We will answer"
    assert not any(p.kind == "quote_from_text" for p in problems)


def test_a_quote_not_beside_a_speaker_who_has_none_of_their_own_is_flagged() -> None:
    borrowed = [fake_reaction(speaker="Pentagon", role=None, quote="an obvious case of terrorism")]
    _, reactions, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike()], reactions=borrowed))
    flagged = [p for p in problems if p.kind == "possible_misattribution"]
    assert [p.speaker for p in flagged] == ["Pentagon"]
    assert [r.quote for r in reactions if r.speaker == "Pentagon"] == ["an obvious case of terrorism"]


def test_invented_names_and_places_are_dropped() -> None:
    fake = fake_strike(target_groups=["Hezbollah Brigades", "Zeta Front"], locations=[{"name": "Narnia"}])
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake]))
    assert strikes[0].target_groups == ["Hezbollah Brigades"]
    assert strikes[0].locations == []
    assert len([p for p in problems if p.kind == "ungrounded"]) == 2


def test_photo_caption_is_not_evidence_for_the_date() -> None:
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike(date_text="November 1, 2011")]))
    assert any("caption" in p.message for p in problems)
    # the caption's date is refused; the day named beside the strike in the text is used instead
    assert strikes[0].event_date == "2019-12-29"
    assert "date_from_context" in kinds(problems)
    span = next(s for s in strikes[0].evidence if s.field == "date_text")
    assert TEXT[span.start : span.end] == "Sunday"


def test_no_day_written_takes_the_datelines_day_and_no_date_anywhere_stays_null() -> None:
    text = "Aircraft struck a depot of the Red Hand near Varo."
    draft = StrikeDraft(attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Varo"}], date_text=None)
    dated = Article(id="n.txt", published="2024-01-02", text=text)
    strikes, _, problems = ground(dated, ArticleDraft(strikes=[draft]))
    assert (strikes[0].event_date, strikes[0].date_text) == ("2024-01-02", None)
    assert "date_from_dateline" in kinds(problems)
    undated = Article(id="u.txt", text=text)
    strikes, _, _ = ground(undated, ArticleDraft(strikes=[draft]))
    assert strikes[0].event_date is None and strikes[0].date_text is None


@pytest.mark.parametrize(
    ("other_attack", "expected"),
    [
        # the day beside another attack, in another country, is not the strike's day: the dateline's is
        ("It came a day after the bombing inside Portugal on Tuesday.", "2031-05-08"),
        ("It was the worst since the attack on April 2.", "2031-05-08"),  # weeks before the dateline
        ("It came a day after strikes on Tuesday hit the Red Hand.", "2031-05-06"),  # after, same strike
        # a sentence that names nothing of the strike (attacker, target, place) dates another attack
        ("Anger will be linked to May 6's bombing at the memorial.", "2031-05-08"),
    ],
)
def test_a_day_named_beside_another_attack_does_not_date_the_strike(other_attack: str, expected: str) -> None:
    text = f"Northland aircraft hit a Red Hand depot near Varo, killing four. {other_attack}"
    article = Article(id="c.txt", published="2031-05-08", text=text)
    place = {"name": "Varo", "country": "Spain"}
    draft = StrikeDraft(attacker="Northland", target_groups=["Red Hand"], locations=[place])
    strikes, _, _ = ground(article, ArticleDraft(strikes=[draft]))
    assert strikes[0].event_date == expected


@pytest.mark.parametrize("informant", ["Varo police", "a security source", "the health ministry"])
def test_who_reported_or_counted_a_strike_is_not_its_attacker(informant: str) -> None:
    """Small models name the sentence's subject: "a Varo police source said an unidentified drone hit ..."
    gives no attacker, and the drop is reported."""
    text = (
        f"{informant.capitalize()} said an unidentified drone hit a Red Hand depot near Varo on Tuesday, "
        "killing two. Varo police sealed off the area."
    )
    article = Article(id="p.txt", published="2031-05-08", text=text)
    draft = StrikeDraft(attacker=informant, target_groups=["Red Hand"], locations=[{"name": "Varo"}])
    strikes, _, problems = ground(article, ArticleDraft(strikes=[draft]))
    assert strikes[0].attacker is None
    assert any(p.field == "attacker" and "reported or counted" in p.message for p in problems)
    named = draft.model_copy(update={"attacker": "Northland"})
    strikes, _, _ = ground(
        article.model_copy(update={"text": text.replace("an unidentified", "a Northland")}),
        ArticleDraft(strikes=[named]),
    )
    assert strikes[0].attacker == "Northland"


def test_a_side_the_article_gives_the_attack_to_is_the_attacker_not_the_target() -> None:
    """A small model reading a protest at a strike names the protester as attacker and the striker as
    target. The article's "Portugal's strikes" puts the sides back, and says so; a text that gives the
    attack to nobody leaves the model's reading alone."""
    text = (
        "Spain recalled its ambassador from Lisbon on Tuesday in protest at Portugal's missile strikes on Varo, "
        "which killed four people."
    )
    article = Article(id="w.txt", published="2031-05-08", text=text)
    draft = StrikeDraft(attacker="Spain", target_groups=["Portugal"], locations=[{"name": "Varo"}])
    strikes, _, problems = ground(article, ArticleDraft(strikes=[draft]))
    assert (strikes[0].attacker, strikes[0].target_groups) == ("Portugal", [])
    assert "attacker_from_text" in kinds(problems)
    span = next(s for s in strikes[0].evidence if s.field == "attacker")
    assert text[span.start : span.end] == "Portugal's missile strikes"
    plain = article.model_copy(update={"text": text.replace("Portugal's missile strikes", "missile strikes")})
    strikes, _, problems = ground(plain, ArticleDraft(strikes=[draft]))
    assert strikes[0].attacker == "Spain" and "attacker_from_text" not in kinds(problems)


def test_one_facility_named_as_struck_counts_one_unless_the_model_counted() -> None:
    text = "A Northland drone strike at a base near Varo on Tuesday killed three soldiers."
    article = Article(id="f.txt", published="2031-05-08", text=text)
    draft = StrikeDraft(attacker="Northland", locations=[{"name": "Varo"}])
    strikes, _, problems = ground(article, ArticleDraft(strikes=[draft]))
    assert strikes[0].facilities_struck == 1 and "facilities_from_text" in kinds(problems)
    span = next(s for s in strikes[0].evidence if s.field == "facilities_struck")
    assert text[span.start : span.end] == "strike at a base"
    counted = ArticleDraft(strikes=[draft.model_copy(update={"facilities_struck": 3})])
    text3 = text.replace("at a base", "at a base and two depots, three sites in all,")
    strikes, _, _ = ground(article.model_copy(update={"text": text3}), counted)
    assert strikes[0].facilities_struck == 3


def test_strikes_mentioned_in_general_are_not_a_reported_strike() -> None:
    """An article about sanctions that mentions "recent strikes on Red Hand targets": no day, no place
    below a country, no figure. It is not made into an event; a strike with any of them is kept."""
    text = (
        "Northland imposed new sanctions on the Red Hand on Tuesday, after recent Northland strikes on Red Hand "
        "targets in Yemen. Officials said the measures target the group's finances."
    )
    article = Article(id="s.txt", published="2031-05-06", text=text)
    generic = StrikeDraft(attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Yemen"}])
    strikes, _, problems = ground(article, ArticleDraft(strikes=[generic]))
    assert strikes == [] and "generic_strike" in kinds(problems)
    dated = generic.model_copy(update={"date_text": "on Tuesday"})
    text_dated = text.replace("after recent Northland strikes", "after Northland strikes on Tuesday")
    strikes, _, _ = ground(article.model_copy(update={"text": text_dated}), ArticleDraft(strikes=[dated]))
    assert len(strikes) == 1 and strikes[0].event_date == "2031-05-06"


def test_a_strike_listed_twice_is_kept_once() -> None:
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike(), fake_strike()]))
    assert len(strikes) == 1 and "duplicate_strike" in kinds(problems)


@pytest.mark.parametrize(
    ("wording", "published", "expected"),
    [
        ("on Sunday", "2019-12-30", "2019-12-29"),
        ("pre-dawn Wednesday", "2024-01-24", "2024-01-24"),
        ("On Tuesday", "2023-12-26", "2023-12-26"),
        ("yesterday", "2024-03-02", "2024-03-01"),
        ("on December 29", "2020-01-02", "2019-12-29"),
        ("on Wednesday", None, None),
        ("earlier this month", "2024-01-24", None),
    ],
)
def test_dates_resolve_against_the_dateline(wording: str, published: str | None, expected: str | None) -> None:
    assert resolve_date(wording, published)[0] == expected


def test_undated_article_keeps_wording_and_no_guess() -> None:
    article = ARTICLE.model_copy(update={"published": None})
    strikes, _, problems = ground(article, ArticleDraft(strikes=[fake_strike()]))
    assert strikes[0].event_date is None and strikes[0].date_text == "Sunday"
    assert "date_unresolved" in kinds(problems)


EXAMPLES = sorted((ROOT / "examples" / "seeds" / "extractions").glob("*.json"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_claim_is_verbatim_at_its_span(path: Path) -> None:
    extraction = llmsum.ArticleExtraction.model_validate_json(path.read_text(encoding="utf-8"))
    text = llmsum.load_articles(ROOT / "seeds" / extraction.article.id)[0].text
    for record in [*extraction.strikes, *extraction.reactions]:
        for span in record.evidence:
            assert text[span.start : span.end] == span.text
    for reaction in extraction.reactions:
        if reaction.quote:
            assert reaction.quote in text
    for strike in extraction.strikes:
        for name in ("killed", "wounded"):
            figure = getattr(strike, name)
            if figure.min is not None or figure.max is not None:
                span = next(s for s in strike.evidence if s.field == name)
                assert text[span.start : span.end] == span.text
    assert json.loads(path.read_text())["article"]["id"] == path.stem


def test_journalists_are_not_official_reactions() -> None:
    article = ARTICLE.model_copy(
        update={"text": TEXT + "\n\nSpeaking from Baghdad, correspondent Ann Lee said the government was divided."}
    )
    fake = fake_reaction(speaker="Ann Lee", role="Al Jazeera correspondent", quote=None, summary="Divided.")
    _, reactions, problems = ground(article, ArticleDraft(reactions=[fake]))
    assert reactions == [] and "not_a_reaction" in kinds(problems)


def test_a_strike_with_nothing_in_the_article_is_dropped() -> None:
    invented = StrikeDraft(
        attacker="United States",
        target_groups=["Zeta Front"],
        locations=[{"name": "Narnia"}],
        killed=FigureDraft(text="500 killed", min=500, max=500),
    )
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[invented]))
    assert strikes == [] and "ungrounded_strike" in kinds(problems)


def test_reaction_keeps_pointing_at_its_strike_after_a_duplicate_is_dropped() -> None:
    second = fake_strike(locations=[{"name": "Syria"}], killed=FigureDraft(), wounded=FigureDraft(), date_text=None)
    reaction = fake_reaction().model_copy(update={"about": 2})
    strikes, reactions, _ = ground(
        ARTICLE, ArticleDraft(strikes=[fake_strike(), fake_strike(), second], reactions=[reaction])
    )
    assert len(strikes) == 2
    assert reactions[0].about == 1 and strikes[1].locations[0].name == "Syria"


def test_an_upper_figure_not_in_the_article_is_dropped() -> None:
    fake = fake_strike(killed=FigureDraft(text=None, min=25, max=70))
    strikes, _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake]))
    assert (strikes[0].killed.min, strikes[0].killed.max) == (25, None)
    assert any(p.field == "killed.max" for p in problems)


@pytest.mark.parametrize("short", ["US", "IS", "Ur"])
def test_short_names_need_whole_words(short: str) -> None:
    from llmsum.prose.align import find

    assert find(short, "He lives in Houston; this rural area is calm.") is None


def test_figures_written_in_words_ranges_and_parts_are_grounded() -> None:
    text = (
        "Aircraft hit targets in two countries on Monday, three in Iraq and two in Syria. Twenty-five fighters "
        "were killed and dozens were wounded, a militia said."
    )
    article = Article(id="w.txt", published="2024-01-01", text=text)
    draft = StrikeDraft(
        attacker="Aircraft",
        target_groups=[],
        locations=[{"name": "Iraq"}],
        date_text="on Monday",
        facilities_struck=5,
        killed=FigureDraft(text="Twenty-five fighters were killed", min=25, max=25),
        wounded=FigureDraft(text="dozens were wounded", min=24, max=None),
    )
    strikes, _, problems = ground(article, ArticleDraft(strikes=[draft]))
    strike = strikes[0]
    assert strike.facilities_struck == 5
    sum_span = next(s for s in strike.evidence if s.field == "facilities_struck")
    assert sum_span.match == "sum" and sum_span.text == "three in Iraq and two"
    assert (strike.killed.min, strike.killed.max) == (25, 25)
    # "dozens": words, not a number; the model's 24 is corrected away and the words kept for coding
    assert (strike.wounded.min, strike.wounded.max, strike.wounded.text) == (None, None, "dozens were wounded")
    assert [p.field for p in problems if p.kind == "figure_corrected"] == ["wounded"]
    assert not [p for p in problems if p.kind == "ungrounded"]
    ref = ArticleRef(id="w.txt", published="2024-01-01")
    event = llmsum.reconcile([ArticleExtraction(article=ref, strikes=strikes)]).events[0]
    assert (event.wounded.min, event.wounded.conservative) == (None, 12)  # ACLED codes "dozens" as 12
    assert "no number given" in (event.wounded.headline or "")


def test_narration_is_never_published_as_a_quote() -> None:
    text = (
        'Northland struck Varo on Monday. Southland\'s minister Ada Kern said the raid "crossed a red line", '
        "adding that talks were over. Ada Kern later met the envoy."
    )
    article = Article(id="q.txt", published="2031-05-06", text=text)
    narration = ReactionDraft(speaker="Ada Kern", quote="Ada Kern later met the envoy", stance="condemn")
    _, reactions, problems = ground(article, ArticleDraft(strikes=[VARO_STRIKE], reactions=[narration]))
    # not inside quotation marks: kept as what she did, and her quoted words become the quote
    assert reactions[0].summary == "Ada Kern later met the envoy"
    assert reactions[0].quote == "crossed a red line"
    assert {"not_a_quote", "quote_from_text"} <= set(kinds(problems))
    # a quote the model padded with the narration around it is cut to the quoted words
    padded = narration.model_copy(update={"quote": 'said the raid "crossed a red line", adding'})
    _, reactions, _ = ground(article, ArticleDraft(strikes=[VARO_STRIKE], reactions=[padded]))
    assert reactions[0].quote == "crossed a red line"


def test_a_quote_goes_to_the_speaker_it_is_attributed_to() -> None:
    text = (
        "Northland struck Varo on Monday. Southland condemned the strike, while Northland's minister "
        "Lea Storm said it was \u201ca necessary step we won\u2019t regret\u201d."
    )
    article = Article(id="n.txt", published="2031-05-06", text=text)
    south = ReactionDraft(speaker="Southland", stance="condemn")
    storm = ReactionDraft(speaker="Lea Storm", stance="justify", quote="a necessary step we won\u2019t regret")
    _, reactions, _ = ground(article, ArticleDraft(strikes=[VARO_STRIKE], reactions=[south, storm]))
    by_speaker = {r.speaker: r.quote for r in reactions}
    assert by_speaker == {"Southland": None, "Lea Storm": "a necessary step we won\u2019t regret"}


def test_values_no_article_writes_are_marked_unverified_wherever_they_are_shown() -> None:
    """An invented attacker, a country the text never names and an affiliation it never gives are kept
    as the model's words only with a mark: in the record, the brief's JSON, Markdown and HTML."""
    draft = ArticleDraft(
        strikes=[fake_strike(attacker="Martians", locations=[{"name": "al-Qaim", "country": "Atlantis"}])],
        reactions=[fake_reaction(affiliation="Galactic Senate")],
    )
    strikes, reactions, problems = ground(ARTICLE, draft)
    assert strikes[0].unverified == ["locations[0].country", "attacker"]
    assert reactions[0].unverified == ["affiliation"]
    assert {(p.kind, p.field) for p in problems} >= {("unverified", "attacker"), ("unverified", "affiliation")}
    extraction = llmsum.ArticleExtraction(article={"id": "fake.txt"}, strikes=strikes, reactions=reactions)
    brief = llmsum.reconcile([extraction])
    (event,) = brief.events
    assert event.unverified == ["attacker", "locations[0].country"]
    assert event.reactions[0].unverified == ["affiliation"]
    assert json.loads(brief.model_dump_json())["events"][0]["unverified"] == ["attacker", "locations[0].country"]
    assert "Martians (unverified: no article names this attacker) strike" in brief.to_markdown()
    assert 'Martians <span class="unverified"' in brief.to_html()
    from llmsum.io.export import acled_rows, plover_records

    assault = plover_records(brief)[0]
    assert assault.actor[0].actor_text == "Martians" and assault.unverified == ["actor", "locations[0].country"]
    (row,) = acled_rows(brief)
    assert row.notes.startswith("The attacker is the model's reading") and row.unverified.startswith("actor1")


def test_an_actor_written_under_another_of_its_names_is_verified() -> None:
    (strike,), _, problems = ground(ARTICLE, ArticleDraft(strikes=[fake_strike(attacker="United States")]))
    assert strike.unverified == [] and "unverified" not in kinds(problems)
    # "US" is written in the caption; "Pentagon" comes first, and it is the US in the alias data
    assert [(s.text, s.match) for s in strike.evidence if s.field == "attacker"] == [("Pentagon", "alias")]


def test_the_attribution_verb_outranks_the_models_stance_and_says_why() -> None:
    text = (
        "US jets struck a depot of the Red Hand militia near Varo on Monday, the Pentagon said.\n\n"
        'The Red Hand, which is backed by Southland, vowed revenge: "This will not go unanswered."\n\n'
        'The Pentagon said the strike was "a measured response".'
    )
    article = Article(id="v.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[fake_strike(target_groups=["Red Hand militia"], locations=[{"name": "Varo"}], killed={}, wounded={})],
        reactions=[
            fake_reaction(speaker="Red Hand", role=None, stance="condemn", quote="This will not go unanswered"),
            fake_reaction(speaker="Pentagon", role=None, stance="condemn", quote="a measured response"),
        ],
    )
    _, (militia, pentagon), problems = ground(article, draft)
    assert militia.stance == "threaten"  # "vowed revenge"
    assert [s.text for s in militia.evidence if s.field == "stance"] == ["vowed"]
    assert pentagon.stance == "justify"  # the side that struck does not condemn its own strike
    reasons = [p.message for p in problems if p.kind == "stance_from_text"]
    assert len(reasons) == 2 and "'vowed'" in reasons[0] and "carried out the strike" in reasons[1]


def test_a_source_that_only_gives_figures_is_not_a_reaction() -> None:
    text = (
        "Northland jets struck a Red Hand depot near Varo on Monday. Three fighters were killed, a Red Hand "
        "official said.\n\nSouthland condemned the raid."
    )
    article = Article(id="f.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Red Hand official", role=None, stance="condemn", quote=None),
            fake_reaction(speaker="Southland", role=None, stance="condemn", quote=None),
        ],
    )
    _, reactions, problems = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Southland"]
    assert any(p.kind == "not_a_reaction" and "casualty figures" in p.message for p in problems)
    # people killed or hurt told without a number, even quoted, are facts of the strike too
    vague = (
        "Northland jets struck a Red Hand depot near Varo on Monday. The Varo Health Ministry said in a "
        'statement that "all those in the building were killed or injured."\n\nSouthland condemned the raid.'
    )
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(
                speaker="Varo Health Ministry",
                role=None,
                stance="condemn",
                quote="all those in the building were killed or injured.",
            ),
            fake_reaction(speaker="Southland", role=None, stance="condemn", quote=None),
        ],
    )
    _, reactions, _ = ground(Article(id="v.txt", published="2031-05-06", text=vague), draft)
    assert [r.speaker for r in reactions] == ["Southland"]
    # mourning the dead and blaming someone is a position, not a toll
    mourned = (
        "Northland jets struck a Red Hand depot near Varo on Monday. Southland President Ana Ruiz said she "
        "mourned the soldiers killed in the attack and blamed Northland for it."
    )
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[fake_reaction(speaker="Ana Ruiz", role="Southland President", stance="condemn", quote=None)],
    )
    _, reactions, _ = ground(Article(id="m.txt", published="2031-05-06", text=mourned), draft)
    assert [r.speaker for r in reactions] == ["Ana Ruiz"]


def test_outlets_and_anonymous_sources_are_not_reactions() -> None:
    text = (
        "A drone struck a car in Varo on Monday, Kessa News reported. Two people were killed, a police source "
        'said. The Red Hand condemned "a cowardly crime".'
    )
    article = Article(id="o.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Kessa News", role=None, stance="other", quote=None),
            fake_reaction(speaker="police source", role=None, stance="other", quote=None),
            fake_reaction(speaker="Red Hand", role=None, stance="condemn", quote="a cowardly crime"),
        ],
    )
    _, reactions, _ = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Red Hand"]
    from llmsum.prose.speakers import find_speakers

    assert "Kessa News" not in [c.name for c in find_speakers(text)]


def test_the_side_that_was_struck_does_not_justify_the_strike() -> None:
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        'Red Hand spokesman Omar Dal said the attack "will not go unanswered".\n\n'
        'The Red Hand\'s political council said the raid was "a crime".'
    )
    article = Article(id="t.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Varo"}], killed={}, wounded={}
            )
        ],
        reactions=[
            fake_reaction(
                speaker="Omar Dal", role="Red Hand spokesman", stance="justify", quote="will not go unanswered"
            ),
            fake_reaction(
                speaker="political council", role="Red Hand's political council", stance="justify", quote="a crime"
            ),
        ],
    )
    _, (dal, council), _ = ground(article, draft)
    assert (dal.stance, council.stance) == ("threaten", "condemn")


def test_someone_named_only_as_hit_by_the_strike_is_not_a_reaction() -> None:
    text = (
        "A police source confirmed the killing of the commander known as Abu Omar in a drone strike on Varo. "
        "Abu Omar and his driver were targeted in their car. The Red Hand condemned the strike."
    )
    article = Article(id="v.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Abu Omar", role=None, stance="condemn", quote=None),
            fake_reaction(speaker="Red Hand", role=None, stance="condemn", quote=None),
        ],
    )
    _, reactions, _ = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Red Hand"]


def test_a_facility_count_must_count_facilities() -> None:
    text = "Two commanders were killed at the group's headquarters in Varo on Monday when jets struck three depots."
    article = Article(id="c.txt", published="2031-05-06", text=text)
    wrong = fake_strike(facilities_struck=2, locations=[{"name": "Varo"}], killed={}, wounded={})
    right = fake_strike(facilities_struck=3, locations=[{"name": "Varo"}], killed={}, wounded={})
    (w,), _, problems = ground(article, ArticleDraft(strikes=[wrong]))
    (r,), _, _ = ground(article, ArticleDraft(strikes=[right]))
    assert w.facilities_struck is None and "ungrounded" in kinds(problems)
    assert r.facilities_struck == 3


def test_wording_that_gives_no_day_does_not_make_a_mention_a_reported_strike() -> None:
    text = (
        "Northland sanctioned the Red Hand's airline on Monday, saying the group had used it for attacks. The "
        "move came on the heels of recent Northland strikes on Red Hand targets in Yemen."
    )
    for published, wording in ((None, "on Monday"), ("2031-05-06", "on the heels of recent Northland strikes")):
        article = Article(id="m.txt", published=published, text=text)
        draft = fake_strike(
            date_text=wording,
            target_groups=["Red Hand"],
            locations=[{"name": "Yemen"}],
            killed={},
            wounded={},
            facilities_struck=None,
        )
        strikes, _, problems = ground(article, ArticleDraft(strikes=[draft]))
        assert strikes == [] and "generic_strike" in kinds(problems), wording


def test_words_that_promise_a_response_are_a_threat_unless_the_striker_says_in_response_to() -> None:
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        'Southland\'s leader said the aggression "will be punished".\n\n'
        'Northland\'s defence ministry said the strike was "in response to repeated attacks".'
    )
    article = Article(id="r.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Varo"}], killed={}, wounded={}
            )
        ],
        reactions=[
            fake_reaction(speaker="Southland", role="leader", stance="call_for_restraint", quote="will be punished"),
            fake_reaction(
                speaker="Northland", role="defence ministry", stance="justify", quote="in response to repeated attacks"
            ),
        ],
    )
    _, (third, striker), _ = ground(article, draft)
    assert (third.stance, striker.stance) == ("threaten", "justify")


def test_statements_in_an_article_that_reports_no_strike_are_not_reactions() -> None:
    text = 'Northland sanctioned the Red Hand\'s airline. "This is a necessary step," minister Lea Storm said.'
    article = Article(id="s.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        reactions=[fake_reaction(speaker="Lea Storm", role="minister", quote="This is a necessary step")]
    )
    strikes, reactions, problems = ground(article, draft)
    assert strikes == [] and reactions == [] and "not_a_reaction" in kinds(problems)


def test_review_cases_a_speaker_who_speaks_a_call_for_restraint_and_ranges_the_text_writes() -> None:
    """Planted from a review: a group that says its commander was killed still speaks; a call to avoid
    "any military response" is no threat; a range is kept only where both ends are written; a blank
    speaker is no reaction."""
    text = (
        "Northland jets struck a Red Hand camp near Varo on Monday, killing between 20 and 30 fighters.\n\n"
        "The Red Hand said its commander was killed in the strike and vowed revenge.\n\n"
        "The United Nations urged all sides to avoid any military response."
    )
    article = Article(id="r2.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Northland",
                target_groups=["Red Hand"],
                locations=[{"name": "Varo"}],
                killed={"text": None, "min": 30, "max": 20},
                wounded={"text": None, "min": None, "max": 40},
            )
        ],
        reactions=[
            fake_reaction(speaker="Red Hand", role=None, stance="threaten", quote=None),
            fake_reaction(
                speaker="United Nations",
                role=None,
                stance="call_for_restraint",
                quote=None,
                summary="urged all sides to avoid any military response",
            ),
            fake_reaction(speaker=" ", role="military spokesman", stance="other", quote=None),
        ],
    )
    (strike,), reactions, _ = ground(article, draft)
    assert [(r.speaker, r.stance.value) for r in reactions] == [
        ("Red Hand", "threaten"),
        ("United Nations", "call_for_restraint"),
    ]
    assert (strike.killed.min, strike.killed.max) == (20, 30)
    assert strike.wounded.max is None  # "40" is not written


def test_words_that_call_the_strike_wrong_outrank_a_support_justify_or_restraint_reading() -> None:
    """A speaker of another side whose own words call the strike a violation condemns it, even with a
    neutral verb; mixed words (a violation, but proportionate) and a real call for calm stand."""
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        '"There is no excuse for this," Southland\'s prime minister Ilse Varga said on Tuesday.\n\n'
        "The Red Hand (RH) said the \u201ctreacherous\u201d raid killed two of its fighters.\n\n"
        'Eastland\'s envoy Pia Lund said the raid was "a violation, but a proportionate one".\n\n'
        'The United Nations urged calm, saying "this aggression must not spread".'
    )
    article = Article(id="w.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Varo"}], killed={}, wounded={}
            )
        ],
        reactions=[
            fake_reaction(speaker="Ilse Varga", role="prime minister", stance="support", quote="There is no excuse"),
            fake_reaction(speaker="RH", role=None, stance="call_for_restraint", quote=None),
            fake_reaction(speaker="Pia Lund", role="envoy", stance="justify", quote=None),
            fake_reaction(speaker="United Nations", role=None, stance="call_for_restraint", quote=None),
        ],
    )
    _, reactions, problems = ground(article, draft)
    assert [r.stance.value for r in reactions] == ["condemn", "condemn", "justify", "call_for_restraint"]
    varga, rh = reactions[0], reactions[1]
    assert [s.text for s in varga.evidence if s.field == "stance"] == ["no excuse"]
    assert [s.text for s in rh.evidence if s.field == "stance"] == ["treacherous"]
    reasons = [p.message for p in problems if p.kind == "stance_from_text"]
    assert len(reasons) == 2 and "'treacherous'" in reasons[1] and "killed two of its fighters" in reasons[1]


def test_a_striker_named_among_the_targets_by_mistake_keeps_its_justification() -> None:
    """The side struck does not justify the strike, but only its words can say it condemns: a
    spokesman describing the operation his side carried out still justifies it."""
    text = (
        "Northland missiles hit a building in Varo on Monday, Southland said.\n\n"
        '"In a precise operation, our forces hit the headquarters of the plotters," Northland spokesman '
        "Tomas Reed said."
    )
    article = Article(id="j.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Southland", target_groups=["Northland"], locations=[{"name": "Varo"}], killed={}, wounded={}
            )
        ],
        reactions=[fake_reaction(speaker="Tomas Reed", role="Northland spokesman", stance="justify", quote=None)],
    )
    _, (reed,), _ = ground(article, draft)
    assert reed.stance == "justify"


@pytest.mark.parametrize(
    "words", ["all Northland interests have become legitimate targets", "we will make them regret this crime"]
)
def test_more_words_that_promise_a_response(words: str) -> None:
    text = f'Northland jets struck Red Hand positions near Varo on Monday.\n\nThe Red Hand said "{words}".'
    article = Article(id="p.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[
            fake_strike(
                attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Varo"}], killed={}, wounded={}
            )
        ],
        reactions=[fake_reaction(speaker="Red Hand", role=None, stance="call_for_restraint", quote=words)],
    )
    _, (hand,), _ = ground(article, draft)
    assert hand.stance == "threaten"


def test_one_reaction_per_statement_and_a_bare_country_beside_its_own_official_is_dropped() -> None:
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        'Southland condemned "this flagrant aggression against our people", its foreign ministry said.\n\n'
        'Egypt\'s foreign minister Pia Lund said the raid was "a dangerous escalation".\n\n'
        "Egypt denounced the raid."
    )
    article = Article(id="d.txt", published="2031-05-06", text=text)
    words = "this flagrant aggression against our people"
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Southland", role=None, stance="condemn", quote=words),
            fake_reaction(speaker="Foreign Ministry", role=None, stance="condemn", quote=words),
            fake_reaction(speaker="Pia Lund", role="Egyptian foreign minister", stance="condemn", quote=None),
            fake_reaction(speaker="Pia Lund", role=None, stance="condemn", quote="a dangerous escalation"),
            fake_reaction(speaker="Egypt", role=None, stance="condemn", quote=None),
        ],
    )
    _, reactions, problems = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Southland", "Pia Lund"]
    reasons = [p.message for p in problems if p.kind == "not_a_reaction"]
    assert len(reasons) == 3 and "'Pia Lund', who speaks for it" in reasons[-1]


def test_a_bare_country_that_takes_another_position_than_its_official_is_its_own_reaction() -> None:
    """ "Egypt vowed to respond" beside a minister who condemned: two statements, both kept; a bare "other"
    beside the minister adds nothing of its own and is dropped."""
    minister = fake_reaction(
        speaker="Pia Lund", role="Egyptian foreign minister", stance="condemn", quote="a dangerous escalation"
    )
    for sentence, stance, kept in (
        ("Egypt vowed to respond to the raid.", "threaten", ["Pia Lund", "Egypt"]),
        ("Egypt said it was following events.", "other", ["Pia Lund"]),
    ):
        text = (
            "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
            f'Egypt\'s foreign minister Pia Lund said the raid was "a dangerous escalation".\n\n{sentence}'
        )
        article = Article(id="v.txt", published="2031-05-06", text=text)
        egypt = fake_reaction(speaker="Egypt", role=None, stance=stance, quote=None)
        _, reactions, _ = ground(article, ArticleDraft(strikes=[VARO_STRIKE], reactions=[minister, egypt]))
        assert [r.speaker for r in reactions] == kept, stance


def test_one_quotation_under_two_names_stays_with_the_name_the_text_puts_it_beside() -> None:
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        "Southland's envoy Omar Dal told state TV that five people were killed in the attack.\n\n"
        'Southland foreign minister Pia Lund said, "We strongly condemn this heinous attack."'
    )
    article = Article(id="q.txt", published="2031-05-06", text=text)
    words = "We strongly condemn this heinous attack."
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Omar Dal", role=None, stance="condemn", quote=words),
            fake_reaction(speaker="Pia Lund", role=None, stance="condemn", quote=words),
        ],
    )
    _, reactions, problems = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Pia Lund"]
    assert any("'Omar Dal' repeats the statement of 'Pia Lund'" in p.message for p in problems)


@pytest.mark.parametrize(
    ("second", "stance"),
    [
        ("All Northland bases are legitimate targets.", "threaten"),  # a vow, in the quotation's next sentence
        ("We call for restraint, but all Northland bases are legitimate targets.", "call_for_restraint"),
        ("Our fighters held their positions.", "other"),  # neither calm nor a vow: the label has no support
        ("We ask both sides for an immediate ceasefire.", "call_for_restraint"),
    ],
)
def test_a_call_for_restraint_needs_words_of_restraint(second: str, stance: str) -> None:
    text = (
        "Northland jets struck Red Hand positions near Varo on Monday.\n\n"
        f"In a statement, the Red Hand said, \u201cIf Northland keeps this up, there will be more. {second}\u201d"
    )
    article = Article(id="v.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[fake_reaction(speaker="Red Hand", role=None, stance="call_for_restraint", quote=None)],
    )
    _, (hand,), problems = ground(article, draft)
    assert hand.stance == stance
    if stance == "threaten":
        assert [s.text for s in hand.evidence if s.field == "stance"] == ["legitimate targets"]
        assert any("no word of restraint" in p.message for p in problems if p.kind == "stance_from_text")
    if stance == "other":
        assert any("nothing they say asks for calm" in p.message for p in problems if p.kind == "stance_from_text")


def test_the_striker_giving_its_reason_justifies_rather_than_threatens() -> None:
    text = (
        "Northland missiles hit Red Hand positions near Varo on Monday.\n\n"
        "The Northland Guard said the strikes were carried out in response to an attack on its border post."
    )
    article = Article(id="g.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE], reactions=[fake_reaction(speaker="Northland Guard", stance="threaten", quote=None)]
    )
    _, (guard,), problems = ground(article, draft)
    assert guard.stance == "justify"
    assert [s.text for s in guard.evidence if s.field == "stance"] == ["in response to"]
    assert any("gives its reason" in p.message for p in problems if p.kind == "stance_from_text")


def test_sources_victims_and_a_bare_group_beside_its_spokesman_are_not_reactions() -> None:
    """A quoted toll is a figure; a victim named after a comma ("the killing of the commander, known
    as X") is still a victim; "a Varo official" is no surname "official"; a known group named bare
    ("Houthis") next to its own spokesman is the spokesman's statement."""
    text = (
        "A police source confirmed the killing of a commander of the Red Hand, known as Abu Omar, in a drone "
        "strike on Varo on Monday.\n\n"
        '"The death toll has risen to 9," said Lena Holt, head of a monitoring group.\n\n'
        "Houthi spokesman Omar Dal said the Houthis vowed revenge.\n\n"
        "Two guards were killed, a Varo official said. Another official said the road was closed."
    )
    article = Article(id="s2.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Abu Omar", role=None, stance="threaten", quote=None),
            fake_reaction(speaker="Lena Holt", role=None, stance="condemn", quote="The death toll has risen to 9"),
            fake_reaction(speaker="Houthis", role=None, stance="threaten", quote=None),
            fake_reaction(speaker="Omar Dal", role="Houthi spokesman", stance="threaten", quote=None),
            fake_reaction(speaker="Varo official", role=None, stance="condemn", quote=None),
        ],
    )
    _, reactions, problems = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Omar Dal"]
    assert sum(p.kind == "not_a_reaction" for p in problems) == 4, [p.message for p in problems]


CLAIMED = (
    "Two soldiers were killed and 9 wounded on Friday in a drone attack on Camp Verde, the army command said.\n\n"
    "The Northern Shield Front claimed responsibility for the drone attack in a statement on Saturday."
)


@pytest.mark.parametrize(
    ("model_attacker", "expected"),
    [
        ("Army command", "Northern Shield Front"),  # the announcer of a strike on its own soldiers, not a name
        ("rebel fighters", "Northern Shield Front"),  # a description, where the text names the group
        ("Northern Shield", "Northern Shield"),  # the same actor: the model's wording stays
    ],
)
def test_the_group_that_claimed_the_attack_is_its_attacker(model_attacker: str, expected: str) -> None:
    article = Article(id="claim.txt", published="2031-05-03", text=CLAIMED)
    draft = ArticleDraft(
        strikes=[
            StrikeDraft(
                attacker=model_attacker,
                target_groups=["soldiers"],
                locations=[{"name": "Camp Verde"}],
                date_text="on Friday",
                killed=FigureDraft(text="Two soldiers were killed", min=2, max=2),
            )
        ]
    )
    strikes, _, problems = ground(article, draft)
    assert strikes[0].attacker == expected
    changed = [p for p in problems if p.kind == "attacker_from_claim"]
    assert bool(changed) == (expected != model_attacker)
    if changed:
        span = next(s for s in strikes[0].evidence if s.field == "attacker")
        assert CLAIMED[span.start : span.end] == "Northern Shield Front"
        assert "claimed responsibility" in changed[0].message


@pytest.mark.parametrize(
    "claim",
    [
        "The Northern Shield Front claimed responsibility for two rocket attacks on the base last week.",
        "No group has claimed responsibility for the rocket attacks on the base.",
        "An armed group claimed responsibility for the rocket attacks on the base.",
    ],
)
def test_a_named_attacker_the_text_bears_out_is_not_replaced_by_a_claim(claim: str) -> None:
    # a report of the strike that answered an earlier claimed attack, a denied claim, an unnamed claimant
    text = f"Republic of Tarsia warplanes struck three depots of the Ridge Brigades on Sunday.\n\n{claim}"
    article = Article(id="answer.txt", published="2031-05-03", text=text)
    draft = ArticleDraft(
        strikes=[
            StrikeDraft(
                attacker="Republic of Tarsia",
                target_groups=["Ridge Brigades"],
                date_text="on Sunday",
                facilities_struck=3,
            )
        ]
    )
    strikes, _, problems = ground(article, draft)
    assert strikes[0].attacker == "Republic of Tarsia"
    assert not [p for p in problems if p.kind == "attacker_from_claim"]


def test_a_health_ministry_that_calls_the_strike_aggression_is_still_a_source() -> None:
    text = "The Northland aggression on Varo killed 3 people on Monday, the health ministry said.\n\n"
    article = Article(id="s3.txt", published="2031-05-06", text=text)
    draft = ArticleDraft(
        strikes=[VARO_STRIKE], reactions=[fake_reaction(speaker="health ministry", role=None, quote=None)]
    )
    _, reactions, problems = ground(article, draft)
    assert reactions == []
    assert "only gives casualty figures" in next(p.message for p in problems if p.kind == "not_a_reaction")


def test_two_speakers_with_the_same_summary_or_a_partner_affiliation_are_both_kept() -> None:
    """A model's stock summary ("condemned the strike") is no proof of one statement, and a militia
    "backed" by a country does not speak for that country."""
    text = (
        "Iraq condemned the strike on Varo on Monday.\n\n"
        "Said Karam, a leader of an Iraqi-backed militia, condemned the strike too.\n\n"
        "Tarsia also condemned the strike."
    )
    article = Article(id="s4.txt", published="2031-05-06", text=text)
    summary = "condemned the strike on Varo"
    draft = ArticleDraft(
        strikes=[VARO_STRIKE],
        reactions=[
            fake_reaction(speaker="Iraq", role=None, quote=None, summary=summary),
            fake_reaction(speaker="Said Karam", role="leader", affiliation="Iraqi-backed militia", quote=None),
            fake_reaction(speaker="Tarsia", role=None, quote=None, summary=summary),
        ],
    )
    _, reactions, _ = ground(article, draft)
    assert [r.speaker for r in reactions] == ["Iraq", "Said Karam", "Tarsia"]


@pytest.mark.parametrize(
    ("words", "stance"),
    [("the strike was a flagrant violation", "condemn"), ("the strike was not illegal", "support")],
)
def test_words_that_call_the_strike_wrong_override_support_unless_denied(words: str, stance: str) -> None:
    text = f"Northland warplanes struck Varo on Monday. Tarsian Foreign Minister Ana Roth said {words}."
    draft = ArticleDraft(
        strikes=[StrikeDraft(attacker="Northland", locations=[{"name": "Varo"}], date_text="on Monday")],
        reactions=[fake_reaction(speaker="Ana Roth", role="Tarsian Foreign Minister", stance="support", quote=None)],
    )
    _, reactions, _ = ground(Article(id="deny.txt", published="2031-05-06", text=text), draft)
    assert reactions[0].stance == stance


def test_the_group_a_strike_hit_is_named_from_the_text_but_never_its_own_side_or_a_foe_in_its_name() -> None:
    """A model's description ("militia sites") gets the known group the attacker's strike sentence names;
    US troops named beside a US strike ("attacks on US troops") are the attacker's own, and "the coalition
    against the Islamic State" names the coalition's foe, not what it hit. Soldiers of a side named as
    the ones hit are that side's forces, one group whatever the outlet calls them."""
    text = (
        "The US-led coalition against the Islamic State carried out an air strike on militia sites near Varo "
        "on Monday in response to attacks on US troops. The US strike hit a depot of Kataib Hezbollah."
    )
    draft = StrikeDraft(attacker="United States", target_groups=["militia sites"], locations=[{"name": "Varo"}])
    strikes, _, _ = ground(Article(id="g.txt", published="2031-05-06", text=text), ArticleDraft(strikes=[draft]))
    assert strikes[0].target_groups == ["militia sites", "Kataib Hezbollah"]
    hit = "A drone attack by the Red Hand killed three U.S. soldiers at a base near Varo on Monday."
    draft = StrikeDraft(attacker="Red Hand", target_groups=["base"], locations=[{"name": "Varo"}])
    strikes, _, _ = ground(Article(id="h.txt", published="2031-05-06", text=hit), ArticleDraft(strikes=[draft]))
    assert strikes[0].target_groups == ["base", "U.S. soldiers"]
    assert alias("U.S. soldiers", "groups") == alias("American troops", "groups") == "US forces"
    # "retaliated against" names what was hit; a longer name's words never give a shorter name inside them
    retaliated = "The US retaliated against Kataib Hezbollah with air strikes near Varo on Monday."
    draft = StrikeDraft(attacker="United States", target_groups=["militia sites"], locations=[{"name": "Varo"}])
    article = Article(id="r.txt", published="2031-05-06", text=retaliated)
    strikes, _, _ = ground(article, ArticleDraft(strikes=[draft]))
    assert strikes[0].target_groups == ["Kataib Hezbollah"]  # "militia sites" is not in this text


def test_a_region_of_the_country_given_is_added_from_the_strikes_own_words() -> None:
    """The model gave countries; the sentence on the strike names a part of one ("eastern Syria"), which is
    added with its evidence. A part named after a cue for another attack ("came after ... in northern
    Iraq") is that attack's."""
    text = (
        "Northland jets struck Red Hand depots in eastern Syria on Monday. The strikes came after a rocket "
        "attack in northern Iraq."
    )
    draft = StrikeDraft(
        attacker="Northland",
        target_groups=["Red Hand"],
        locations=[{"name": "Syria"}, {"name": "Iraq"}],
        date_text="on Monday",
    )
    strikes, _, problems = ground(Article(id="p.txt", published="2031-05-06", text=text), ArticleDraft(strikes=[draft]))
    assert [loc.name for loc in strikes[0].locations] == ["Syria", "Iraq", "eastern Syria"]
    added = next(s for s in strikes[0].evidence if s.field == "locations" and s.text == "eastern Syria")
    assert text[added.start : added.end] == "eastern Syria"
    assert "place_from_text" in kinds(problems)
    # a part of a country the strike is not in, or another side's strikes there: nothing to add
    syria = StrikeDraft(
        attacker="Northland", target_groups=["Red Hand"], locations=[{"name": "Syria"}], date_text="on Monday"
    )
    other = "Northland jets struck Red Hand depots in Syria on Monday, in northern Iraq's neighbour."
    strikes, _, _ = ground(Article(id="c.txt", published="2031-05-06", text=other), ArticleDraft(strikes=[syria]))
    assert [loc.name for loc in strikes[0].locations] == ["Syria"]
    turkey = (
        "Northland jets struck Red Hand depots in Syria on Monday. Turkey has carried out strikes in northern Syria."
    )
    strikes, _, _ = ground(Article(id="t.txt", published="2031-05-06", text=turkey), ArticleDraft(strikes=[syria]))
    assert [loc.name for loc in strikes[0].locations] == ["Syria"]

    # the attacker only as the side hit ("attacks on Northland forces") is no sentence on its strike; another
    # side's attack told after the region is no obstacle
    def regions(text: str) -> list[str]:
        strikes, _, _ = ground(Article(id="r.txt", published="2031-05-06", text=text), ArticleDraft(strikes=[syria]))
        return [loc.name for loc in strikes[0].locations]

    hit = (
        "Northland jets struck Red Hand depots in Syria on Monday. Drone attacks on Northland forces in eastern "
        "Syria are frequent."
    )
    assert regions(hit) == ["Syria"]
    answer = (
        "Northland jets struck Red Hand depots in Syria on Monday. The strikes in eastern Syria were a response to "
        "a drone attack by Iran-backed militias."
    )
    assert regions(answer) == ["Syria", "eastern Syria"]


def test_a_strike_the_article_gives_to_two_sides_together_has_both_as_its_attacker() -> None:
    """ "UK-US military strikes", "American and British airstrikes": the model named one side; the attacker
    is both, so that outlets naming one or both make one event. Two sides named apart, or the sides hit
    named together, change nothing."""

    def attacker(text: str, model: str, targets: tuple[str, ...] = ("Houthis",)) -> str | None:
        draft = StrikeDraft(
            attacker=model, target_groups=list(targets), locations=[{"name": "Sanaa"}], date_text="on Monday"
        )
        article = Article(id="j.txt", published="2031-05-06", text=text)
        return ground(article, ArticleDraft(strikes=[draft]))[0][0].attacker

    joint = "Joint UK-US military strikes hit Houthis near Sanaa on Monday."
    assert attacker(joint, "United Kingdom") == "United Kingdom and United States"
    adjective = "American and British airstrikes hit Houthis in Sanaa on Monday."
    assert attacker(adjective, "US") == "United States and United Kingdom"
    apart = "US jets hit Houthis near Sanaa on Monday. Britain and Iran held talks."
    assert attacker(apart, "US") == "US"
    bases = "Iranian missiles hit US and Israeli bases near Sanaa on Monday."
    assert attacker(bases, "Iran", ("US forces",)) == "Iran"  # the sides hit, named together
    traded = "US jets hit Houthis near Sanaa on Monday. Iran and Israel have traded strikes for months."
    assert attacker(traded, "US") == "US"  # two sides striking each other: no joint strike
    # a joint strike told later, away from the reported one, is another strike
    later = (
        "US jets hit Houthis near Sanaa on Monday. Officials spoke.\n\nMore followed.\n\nTalks stalled.\n\n"
        "American and British airstrikes on Houthi targets in Yemen have continued since January."
    )
    assert attacker(later, "US") == "US"  # out of the lead, naming the target: a campaign, not this strike
