"""Planted cases for the prose readers: each row is a sentence a news article could hold and what
the reader must make of it. The table pins each reader down case by case, in the manner of
langextract's alignment cases."""

from __future__ import annotations

import pytest

from llmsum.models import MatchKind
from llmsum.prose import align, attribution
from llmsum.prose.dates import resolve_date
from llmsum.prose.names import actor_variants, alias, key, mentions, similarity

TEXT = (
    "BAGHDAD (Reuters) - U.S. warplanes struck five Kata’ib Hezbollah sites on Sunday, killing at least 25 "
    "fighters, Iraqi security sources said. “This is a flagrant violation,” the prime minister’s office said."
)


@pytest.mark.parametrize(
    ("needle", "method", "found"),
    [
        ("struck five", MatchKind.exact, "struck five"),
        ("Kata'ib Hezbollah", MatchKind.normalized, "Kata’ib Hezbollah"),  # curly apostrophe in the article
        ("BAGHDAD (REUTERS)", MatchKind.normalized, "BAGHDAD (Reuters)"),  # case
        ('"This is a flagrant violation,"', MatchKind.normalized, "This is a flagrant violation"),  # marks dropped
        ("this is a flagrant violaton", MatchKind.fuzzy, "This is a flagrant violation"),  # one letter lost
        ("Houston", None, None),
        ("US", None, None),  # not inside "sources" or "struck"; "U.S." is not "US" for an acronym
        ("rime minister", MatchKind.fuzzy, "prime minister"),  # a fuzzy hit is widened to whole words
    ],
)
def test_align_finds_the_models_words_or_nothing(needle: str, method: MatchKind | None, found: str | None) -> None:
    hit = align.find(needle, TEXT)
    if method is None:
        assert hit is None
        return
    assert hit is not None and hit.method == method
    assert TEXT[hit.start : hit.end] == found  # the span is always a verbatim slice


@pytest.mark.parametrize(
    ("wording", "published", "expected"),
    [
        ("on Sunday", "2019-12-30", "2019-12-29"),  # a Monday article
        ("late Monday", "2019-12-30", "2019-12-30"),  # the dateline's own weekday is that day
        ("last Monday", "2019-12-30", "2019-12-23"),
        ("yesterday", "2024-01-05", "2024-01-04"),
        ("overnight", "2024-01-05", "2024-01-04"),
        ("on December 29", "2020-01-02", "2019-12-29"),  # a month after the dateline is last year's
        ("January 28", "2024-01-30", "2024-01-28"),
        ("28 January 2024", None, "2024-01-28"),
        ("February 15", None, None),  # no year and no dateline: not guessed
        ("on Sunday", None, None),
        ("recently", "2024-01-05", None),
    ],
)
def test_dates_resolve_against_the_dateline_or_stay_null(
    wording: str, published: str | None, expected: str | None
) -> None:
    assert resolve_date(wording, published)[0] == expected


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Kataib Hezbollah", "Kataeb Hezbollah", True),
        ("Kata'ib Hizbollah", "Ketaeb Hezbollah", True),
        ("Al-Qa'im", "Qaim", True),
        ("the Hezbollah Brigades", "Hezbollah Brigades", True),
        ("Iraqi government", "Iranian government", False),
        ("Hezbollah", "Kataib Hezbollah", False),
    ],
)
def test_name_variants_of_one_entity_score_high_and_different_entities_low(a: str, b: str, same: bool) -> None:
    assert (similarity(a, b) >= 88) is same


def test_aliases_come_from_data_and_fold_spelling() -> None:
    assert alias("Ketaeb Hizbollah", "groups") == alias("Kata’ib Hezbollah", "groups") == "Kataib Hezbollah"
    assert key("Al-Qa'im (western Anbar)") == "qaim"
    # a group named with what it is ("rebels", "terrorist group") is the group
    assert alias("Houthi rebels", "groups") == alias("the Houthi movement", "groups") == "Houthis"
    assert alias("Daesh terrorist group", "groups") == alias("ISIS", "groups") == "Islamic State"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("two US soldiers were wounded", True),
        ("the strike hurt us all", False),  # the pronoun is not the United States
        ("U.S. forces said", True),
        ("the Pentagon said", True),  # an alias of the actor, from the data
        ("the Houthis said", False),
        ("it will inflame anti-US sentiment", False),  # a stance towards the actor, not the actor
        ("pro-American militias", False),
    ],
)
def test_an_actor_is_mentioned_by_any_of_its_names_and_short_ones_only_in_capitals(phrase: str, expected: bool) -> None:
    assert mentions(phrase, actor_variants("United States")) is expected


@pytest.mark.parametrize(
    ("sentence", "fact", "source"),
    [
        (
            "Iraqi security sources and militias said at least 25 fighters were killed.",
            "25",
            "Iraqi security sources and militias",
        ),
        ("One person was killed in the raid, the Hashed said.", "One person", "the Hashed"),
        ("At least 51 were wounded, he said.", "51", None),  # a pronoun names nobody
        ("At least 51 were wounded in the attack.", "51", None),
    ],
)
def test_a_facts_source_is_read_from_its_own_sentence(sentence: str, fact: str, source: str | None) -> None:
    start = sentence.index(fact)
    assert attribution.source_of(sentence, start, start + len(fact)) == source


@pytest.mark.parametrize(
    ("sentence", "speech", "strike"),
    [
        ("The ministry condemned the raid.", True, True),
        ("Officials warned of more airstrikes.", True, True),
        ("An air strike hit the depot.", False, True),
        ("He hit back at critics, saying nothing changed.", True, True),  # "hit" is both: the lexicon says so
        ("The committee met on Monday.", False, False),
    ],
)
def test_one_lexicon_answers_is_this_speech_is_this_a_strike(sentence: str, speech: bool, strike: bool) -> None:
    assert bool(attribution.SPEECH_VERB.search(sentence)) is speech
    assert bool(attribution.STRIKE_WORD.search(sentence)) is strike


@pytest.mark.parametrize(
    ("sentence", "name", "stance"),
    [
        ("Iran condemned the US strikes.", "Iran", "condemn"),
        ("The militia, which is backed by Iran, vowed revenge.", "The militia", "threaten"),
        ("Iraq on Monday called for restraint.", "Iraq", "call_for_restraint"),
        ('The strikes were "a measured response", defended Defense Secretary Lloyd Austin.', "Lloyd Austin", "justify"),
        ("The Gulf states welcomed the operation.", "The Gulf states", "support"),
        ("Iran said the strikes were a crime.", "Iran", None),  # "said" states no position by itself
        ("Kataib Hezbollah said the US condemned it.", "Kataib Hezbollah", None),  # the verb is the US's
        ("Mousavi condemned the US strikes against Kataib Hezbollah.", "Kataib Hezbollah", None),  # the target
        ("Iraq condemns 'irresponsible' US air strikes.", "US", None),
        # a name in apposition to the title before it speaks through the comma that closes it
        ("The head of the Blue Bloc, Tarek Amin, condemned the strike.", "Tarek Amin", "condemn"),
        ("Fighters hit a depot in Varo, Kessa, condemned by Southland as a crime.", "Kessa", None),
        ("The envoy, Tarek Amin, condemned as a crime by Southland, resigned.", "Tarek Amin", None),
        (
            "The strike killed a commander of the group, Abu Taqwa, warned Defense Secretary Lea Storm.",
            "Abu Taqwa",
            None,
        ),
        ("The drone strike hit a senior commander, Abu Taqwa, said a US official.", "Abu Taqwa", None),
        ("The group's founder, Abu Taqwa, accused of attacks on the base, was killed.", "Abu Taqwa", None),
        ("The group lost its deputy, Abu Taqwa, said a US official.", "Abu Taqwa", None),
        ("The group's former leader, Abu Taqwa, condemned to death in 2010, was among the dead.", "Abu Taqwa", None),
        ("The Iran-backed bloc's leader, Hadi Amin, denounced the raid.", "Hadi Amin", "condemn"),
        ("The head of the Red Hand, Omar Dal, vowed revenge.", "Omar Dal", "threaten"),
    ],
)
def test_the_verb_attributing_speech_states_a_stance_or_none(sentence: str, name: str, stance: str | None) -> None:
    start = sentence.index(name)
    cue = attribution.stance_cue(sentence, start, start + len(name))
    assert (cue[0] if cue else None) == stance


@pytest.mark.parametrize(
    ("sentence", "claimant"),
    [
        ("The Northern Shield Front claimed responsibility for the drone attack.", "Northern Shield Front"),
        ("A group called the Red Hand has claimed responsibility for attacking the base.", "Red Hand"),
        ("The \u201cIslamic Front\u201d in Varo claimed the attack on Sunday.", "Islamic Front in Varo"),
        ("Tarsia has claimed the strikes.", "Tarsia"),
        ("No group has claimed responsibility for the attack.", None),
        ("The Red Hand has not claimed responsibility.", None),
        ("An armed group claimed responsibility for the attack.", None),
        ("While they claimed responsibility, officials were still checking.", None),
        ("Both the Red Hand and the Blue Hand claimed the attack.", None),
        ("The Red Hand claimed responsibility for that attack.", None),
    ],
)
def test_claimants(sentence: str, claimant: str | None) -> None:
    found = attribution.claimants(sentence)
    assert [name for name, _, _ in found] == ([claimant] if claimant else [])
    for name, start, end in found:
        assert name.split()[0] in sentence[start:end]


@pytest.mark.parametrize(
    ("sentence", "owners"),
    [
        ("Jordan protested at Israel's strikes on its border region.", {"Israel": ["Israel's strikes"]}),
        ("It condemned the Israeli air strike on the consulate.", {"Israel": ["Israeli air strike"]}),
        ("The US air strikes went on overnight.", {"United States": ["US air strikes"]}),
        ("Egypt condemned Israeli strikes on Rafah.", {"Israel": ["Israeli strikes"]}),  # a verb is no modifier
        ("After Britain's strikes, the talks stopped.", {"United Kingdom": ["Britain's strikes"]}),
        ("The Yemen strikes went on.", {}),  # strikes in Yemen, not by it
        ("Washington warned Tehran that any attacks would be answered.", {}),  # warned, not striking
        ("Jordan will act against Israel over the strikes.", {}),
        ("The Red Hand's attacks went on.", {}),  # only known actors: a group is the claimants' business
    ],
)
def test_strike_owners(sentence: str, owners: dict[str, list[str]]) -> None:
    found = attribution.strike_owners(sentence)
    assert {name: [sentence[a:b] for a, b in spans] for name, spans in found.items()} == owners


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Three soldiers died in a drone strike at a base in Varo.", "strike at a base"),
        ("The raid destroyed Northland's consulate in the capital.", "raid destroyed Northland's consulate"),
        ("A drone targeted a headquarters of the Red Hand.", "targeted a headquarters"),
        ("Jets hit the bases of the Red Hand.", None),  # plural
        ("Airstrikes hit facilities of the Red Hand; the strike hit a warehouse.", None),  # one among several
        ("The minister visited the base on Monday.", None),  # no strike
        ("Envoys struck a deal at the embassy.", None),  # "at" links two phrases: no facility was hit
        ("The jets did not hit the consulate.", None),  # denied
    ],
)
def test_one_facility_struck(text: str, words: str | None) -> None:
    found = attribution.one_facility(text)
    assert (text[found[0] : found[1]] if found else None) == words
