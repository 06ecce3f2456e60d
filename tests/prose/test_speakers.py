"""Finding who speaks in an article (invented texts, not the seeds), and the speakers call that
asks the model to judge each of them (against the hand-made fake server, not a recording)."""

from __future__ import annotations

import json

import llmsum
from llmsum.ground import ground
from llmsum.llm.settings import Settings
from llmsum.models import Article, ArticleDraft, OfficialReaction, Problem, ReactionDraft, StrikeDraft
from llmsum.prose.speakers import find_speakers
from tests.fake_server import FakeServer, completion

TEXT = (
    "Northland jets struck depots of the Red Hand militia near Varo on Monday.\n\n"
    '"This crime will not go unanswered," said Red Hand spokesman Omar Dal.\n\n'
    "Southland's foreign ministry condemned the raid. Southland President Ines Varga, who also "
    "condemned the attack, called for calm.\n\n"
    "The Blue Brigade, also backed by Southland, denounced the strikes. Dal later told reporters the "
    "militia would respond.\n\n"
    "According to Kessa sources, three fighters died. A correspondent of Reuters said the depots burned. "
    'Northland defence minister Lea Storm said the strike was "measured".'
)


def names(text: str) -> list[str]:
    return [c.name for c in find_speakers(text)]


def test_finds_speakers_in_the_usual_attribution_patterns() -> None:
    found = names(TEXT)
    # after a quote, before the verb, through ", who also ...," and through an appositive
    for expected in ("Omar Dal", "Southland's foreign ministry", "Ines Varga", "Blue Brigade", "Lea Storm"):
        assert expected in found, (expected, found)
    assert found.index("Omar Dal") < found.index("Lea Storm")  # order of first attribution


def test_a_name_in_apposition_to_a_title_is_the_speaker() -> None:
    """ "The head of the Blue Bloc, Tarek Amin, condemned": the name between the commas speaks; an
    appositive that is no name after no title ("The Blue Brigade, also backed by Southland,") is skipped."""
    text = (
        "The head of Southland's Blue Bloc, Tarek Amin, condemned the strike. A spokesperson for the Red Hand, "
        "Omar Dal, said the group would respond. The Blue Brigade, also backed by Southland, denounced it."
    )
    found = names(text)
    assert "Tarek Amin" in found and "Omar Dal" in found and "Blue Brigade" in found, found
    assert "Blue Bloc" not in found and "Red Hand" not in found, found


def test_titles_become_roles_and_surnames_join_the_full_name() -> None:
    by_name = {c.name: c for c in find_speakers(TEXT)}
    assert by_name["Ines Varga"].role == "Southland President"
    assert by_name["Omar Dal"].role == "Red Hand spokesman"  # '..., said Red Hand spokesman Omar Dal'
    assert by_name["Lea Storm"].role is None  # 'defence minister' is lowercase: not part of the name
    assert "Dal" not in by_name  # "Dal later told reporters" is Omar Dal again


def test_news_outlets_and_descriptions_are_not_speakers() -> None:
    found = names(TEXT)
    assert not any("Reuters" in n for n in found)
    assert "Kessa" not in found  # "according to Kessa sources" describes, it names no one


def test_a_group_is_not_merged_into_a_longer_group_name() -> None:
    text = "Kataib Hezbollah said it would retaliate. Hezbollah, the Lebanese group, condemned the strike."
    assert names(text) == ["Kataib Hezbollah", "Hezbollah"]


def test_the_model_judges_each_found_speaker(tmp_path) -> None:
    article = Article(id="a.txt", published="2031-05-06", text=TEXT)
    strike = {"attacker": "Northland", "target_groups": ["Red Hand"], "locations": [{"name": "Varo"}]}
    strikes = json.dumps({"strikes": [strike]})
    verdicts = {c.name: {"quote": None, "stance": "no_reaction", "affiliation": None} for c in find_speakers(TEXT)}
    verdicts["Omar Dal"] = {
        "quote": "This crime will not go unanswered",
        "stance": "threaten",
        "affiliation": "Red Hand",
    }
    with FakeServer() as server:
        server.script.extend(
            [("json", 200, completion(strikes), {}), ("json", 200, completion(json.dumps(verdicts)), {})]
        )
        settings = Settings(model="fake", base_url=server.url, api_key="x", profile="json", calls_per_article=2)
        (result,) = llmsum.extract([article], settings=settings, cache=False)
    second = server.requests[1]["messages"]
    assert "Speakers to judge" in second[-1]["content"] and "- Omar Dal" in second[-1]["content"]
    # the speaker with a reaction is kept, with its quote grounded in the text; of those the model judged to
    # take no position, only the one the article says condemned is kept, and that change is reported
    assert [(r.speaker, r.stance.value) for r in result.reactions] == [
        ("Omar Dal", "threaten"),
        ("Southland's foreign ministry", "condemn"),
    ]
    assert any("no_reaction; the article says 'condemned'" in p.message for p in result.problems)
    assert result.reactions[0].quote == "This crime will not go unanswered"
    assert result.reactions[0].role == "Red Hand spokesman"  # the title as written, found with the name


def test_without_speakers_the_model_lists_the_reactions_itself() -> None:
    article = Article(id="b.txt", published="2031-05-06", text="Northland struck depots near Varo on Monday.")
    with FakeServer() as server:
        server.script.extend(
            [
                ("json", 200, completion(json.dumps({"strikes": []})), {}),
                ("json", 200, completion(json.dumps({"reactions": []})), {}),
            ]
        )
        settings = Settings(model="fake", base_url=server.url, api_key="x", profile="json", calls_per_article=2)
        llmsum.extract([article], settings=settings, cache=False)
    assert "listing every reaction" in server.requests[1]["messages"][-1]["content"]


def test_speech_in_participles_is_found_and_reporters_are_not_speakers() -> None:
    text = (
        "Defence ministry spokesperson Major General Omar Dal issued a statement accusing Northland of the strike. "
        "The state news agency said the depot burned, and Northland TV showed the damage, security sources said."
    )
    names = [c.name for c in find_speakers(text)]
    assert "Omar Dal" in names
    assert not [n for n in names if "agency" in n.lower() or n.endswith("TV") or "sources" in n.lower()]


def test_an_office_named_in_capitals_is_one_name() -> None:
    text = (
        "The group's Supreme Political Council said in a statement that the strikes were a crime. "
        "Supreme Leader Ayatollah Ali Khamenei said Tehran would respond."
    )
    found = {c.name: c.role for c in find_speakers(text)}
    assert found.get("Supreme Political Council", "missing") is None
    assert found.get("Ali Khamenei") == "Supreme Leader Ayatollah"


def test_agencies_and_departments_that_are_not_outlets_are_speakers() -> None:
    text = (
        "The State Department said the strikes were justified. The International Atomic Energy Agency "
        "said it was alarmed."
    )
    assert [c.name for c in find_speakers(text)] == ["State Department", "International Atomic Energy Agency"]


def test_a_reaction_named_as_a_noun_or_a_passive_and_a_group_named_in_apposition_speak() -> None:
    """'drew condemnation from Southland and Eastland', 'was denounced by the Blue Bloc': the speakers follow
    the phrase; 'The group, called the Red Hand, stated': a description named between commas. After a name
    ('the Green League, known as the League of Farmers, said') the name stays the speaker."""
    text = (
        "Northland's raid on Varo drew condemnation from Southland and Eastland and was denounced by the Blue "
        "Bloc. The group, called the Red Hand, stated that it would answer. The Green League, known as the "
        "League of Farmers, said it mourned the dead."
    )
    found = names(text)
    assert found[:4] == ["Southland", "Eastland", "Blue Bloc", "Red Hand"], found
    assert "Green League" in found and "League of Farmers" not in found, found
    assert not any(n.lower().startswith("the group") for n in found), found


def _reactions_of(
    text: str, drafts: list[ReactionDraft], attacker: str | None = "Northland"
) -> tuple[list[OfficialReaction], list[Problem]]:
    """Hand-made reaction drafts grounded in an invented text about a strike on the Red Hand near Varo."""
    strike = StrikeDraft(attacker=attacker, target_groups=["Red Hand"], locations=[{"name": "Varo"}])
    article = Article(id="r.txt", published="2031-05-06", text=text)
    _, reactions, problems = ground(article, ArticleDraft(strikes=[strike], reactions=drafts))
    return reactions, problems


def test_a_speaker_judged_to_take_no_position_is_kept_only_for_the_articles_words() -> None:
    """Hand-made verdicts: "no_reaction" for a speaker whose quotation beside the name vows revenge is
    overruled by those words; for one whose words take no position, only the drop is reported."""
    text = (
        "Northland jets struck depots of the Red Hand militia near Varo on Monday.\n\n"
        '"We will make them pay a heavy price," said Red Hand spokesman Omar Dal.\n\n'
        '"Roads around Varo are closed," said Kessa governor Ines Varga.'
    )
    judged = [ReactionDraft(speaker=name, stance="other", no_position=True) for name in ("Omar Dal", "Ines Varga")]
    reactions, problems = _reactions_of(text, judged)
    assert [(r.speaker, r.stance.value) for r in reactions] == [("Omar Dal", "threaten")]
    assert reactions[0].quote == "We will make them pay a heavy price"
    about_varga = [p for p in problems if getattr(p, "speaker", None) == "Ines Varga"]
    assert [p.kind for p in about_varga] == ["not_a_reaction"]


def test_a_speaker_judged_to_take_no_position_who_denies_a_part_in_the_strike_is_kept() -> None:
    """A denial is a position (stance other): "Southland has denied any involvement", "said it played no
    role in the strike". A speaker judged to take none whose words deny nothing is still dropped."""
    text = (
        "A drone strike hit Red Hand depots near Varo on Monday. Southland has denied any involvement. "
        "The Eastland Foreign Ministry said Eastland played no role in the strike. "
        "Kessa governor Ines Varga said roads around Varo were closed. "
        "Tarsi mayor Omar Dal said the militia denied it. The Kessa Council said it denied any part in it."
    )
    judged = [
        ReactionDraft(speaker=name, stance="other", no_position=True)
        for name in ("Southland", "Eastland Foreign Ministry", "Ines Varga", "Omar Dal", "Kessa Council")
    ]
    reactions, problems = _reactions_of(text, judged, attacker=None)
    assert [(r.speaker, r.stance.value) for r in reactions] == [
        ("Southland", "other"),
        ("Eastland Foreign Ministry", "other"),
        ("Kessa Council", "other"),  # "said it denied": its own denial
    ]
    said = [s.text for r in reactions for s in r.evidence if s.field == "stance"]
    assert said == ["denied", "played no role", "denied"]  # the words that decided, kept as evidence
    assert [p.kind for p in problems if getattr(p, "speaker", None) == "Ines Varga"] == ["not_a_reaction"]
    # a denial the speaker reports of someone else is not their own
    assert [p.kind for p in problems if getattr(p, "speaker", None) == "Omar Dal"] == ["not_a_reaction"]


def test_a_bare_name_written_of_two_countries_bodies_is_named_where_they_speak() -> None:
    """ "Iraqi Security Council members" and "The U.S. Security Council condemned ...": the model's bare
    "Security Council" is the one that speaks; a name the alias data knows ("Hezbollah", beside "Iraq's
    Kataib Hezbollah") keeps its name, its evidence moved to where it speaks."""
    text = (
        "Northland jets struck Red Hand depots near Varo on Monday. On Monday Iraqi Security Council members met "
        "late. The U.S. Security Council condemned Northland's strike. Iraq's Kataib Hezbollah "
        "is not part of Hezbollah in Lebanon. Lebanon's Hezbollah condemned the strike."
    )
    drafts = [
        ReactionDraft(speaker="Security Council", stance="condemn"),
        ReactionDraft(speaker="Hezbollah", stance="condemn"),
    ]
    reactions, _ = _reactions_of(text, drafts)
    council, hezbollah = reactions
    assert council.speaker == "U.S. Security Council"
    named = next(s for s in council.evidence if s.field == "speaker")
    assert text[named.start : named.end] == "U.S. Security Council"
    assert hezbollah.speaker == "Hezbollah"
    named = next(s for s in hezbollah.evidence if s.field == "speaker")
    assert named.start == text.index("Hezbollah condemned")
    # the name starts at the first word that makes it a country's: "On Monday" is no part of it
    swapped = (
        "Northland jets struck Red Hand depots near Varo on Monday. The U.S. Security Council met late. "
        "On Monday Spain's Security Council condemned Northland's strike."
    )
    drafts = [ReactionDraft(speaker="Security Council", stance="condemn")]
    (council,), _ = _reactions_of(swapped, drafts)
    assert council.speaker == "Spain's Security Council"
