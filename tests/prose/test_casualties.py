"""Casualty tolls found in the text and tied to their strike (invented texts, not the seeds)."""

from __future__ import annotations

import llmsum
from llmsum import reconcile
from llmsum.ground import ground
from llmsum.models import Article, ArticleDraft, ArticleExtraction, ArticleRef, FigureDraft, LocationDraft, StrikeDraft
from llmsum.prose.casualties import StrikeScope, find_tolls, toll_range, tolls_for

NORTHLAND = StrikeScope("Northland", ["Red Hand", "Varo"])
TEXT = (
    "Northland jets struck Red Hand depots near Varo on Monday. The Red Hand said the strikes killed at least 7 "
    "of its fighters.\n\n"
    "On Tuesday a Red Hand spokesman said the death toll had risen to 11. Another 20 militiamen were wounded, "
    "he said.\n\n"
    "At least three Red Hand commanders were among the dead.\n\n"
    "Last week a Red Hand rocket attack killed two Northland soldiers near the border.\n\n"
    "Separately, Southland said an air strike by Westland on Tarsi killed 40 people.\n\n"
    "Some 300 people have died in street protests this year."
)


def kinds(text: str, strike: StrikeScope = NORTHLAND) -> list[tuple[str, int | None, int | None]]:
    return [(t.kind, t.min, t.max) for t in tolls_for(text, strike)]


def test_every_toll_of_the_strike_is_found_with_its_qualifier() -> None:
    assert kinds(TEXT) == [("killed", 7, None), ("killed", 11, 11), ("wounded", 20, 20)]


def test_tolls_of_other_events_are_not_the_strikes() -> None:
    values = {t.min for t in find_tolls(TEXT)}
    assert {2, 40, 300} <= values  # they are tolls ...
    assert not {2, 3, 40, 300} & {t.min for t in tolls_for(TEXT, NORTHLAND)}  # ... but not of this strike


def test_several_tolls_make_a_range() -> None:
    killed = [t for t in tolls_for(TEXT, NORTHLAND) if t.kind == "killed"]
    assert toll_range(killed) == (7, 11)
    only_at_least = "Northland struck Varo. At least 5 people were killed in the strike."
    assert toll_range(tolls_for(only_at_least, NORTHLAND)) == (5, None)
    # "one" and "at least 22" from two sources: 1..22, the highest figure given
    two_sources = (
        "Northland struck Varo. One fighter was killed, the Red Hand said. At least 22 were killed, a monitor said."
    )
    assert toll_range([t for t in tolls_for(two_sources, NORTHLAND) if t.kind == "killed"]) == (1, 22)


def test_tolls_written_after_their_word_and_by_reference() -> None:
    text = (
        "Northland struck a Red Hand base. The government said the attack resulted in the martyrdom of one "
        "soldier and the injury of 18 others. Initially, sources reported two dead in that raid."
    )
    assert kinds(text) == [("killed", 1, 1), ("wounded", 18, 18), ("killed", 2, 2)]


def test_tolls_in_compound_number_words_are_read_whole() -> None:
    text = "In the Northland strike on Varo one hundred and twenty people were killed and two thousand were wounded."
    assert kinds(text) == [("killed", 120, 120), ("wounded", 2000, 2000)]


def test_vague_tolls_are_left_to_the_model() -> None:
    assert kinds("Northland struck Varo, killing dozens and wounding a number of fighters.") == []


ARTICLE = Article(id="n.txt", published="2031-05-06", text=TEXT)


def _strike(**changes: object) -> StrikeDraft:
    base = StrikeDraft(
        attacker="Northland", target_groups=["Red Hand"], locations=[LocationDraft(name="Varo")], date_text="on Monday"
    )
    return base.model_copy(update=changes)


def _draft(killed: FigureDraft) -> ArticleDraft:
    return ArticleDraft(strikes=[_strike(killed=killed)])


def test_grounding_gives_the_strike_all_its_tolls_as_parts() -> None:
    strikes, _, problems = ground(ARTICLE, _draft(FigureDraft(text="killed at least 7", min=7, max=None)))
    killed = strikes[0].killed
    assert (killed.min, killed.max) == (7, 11)
    assert [(p.min, p.max) for p in killed.parts] == [(7, None), (11, 11)]
    assert [p.attributed_to for p in killed.parts] == ["The Red Hand", "a Red Hand spokesman"]
    for part in killed.parts:  # every part is a verbatim span of the article
        assert TEXT[part.start : part.end] == part.text
    assert "figure_from_text" in [p.kind for p in problems]
    assert (strikes[0].wounded.min, strikes[0].wounded.max) == (20, 20)


def test_one_articles_differing_tolls_are_a_conflict_in_the_brief() -> None:
    strikes, reactions, problems = ground(ARTICLE, _draft(FigureDraft(text="killed at least 7", min=7, max=None)))
    ref = ArticleRef(id=ARTICLE.id, published=ARTICLE.published)
    brief = reconcile([ArticleExtraction(article=ref, strikes=strikes, reactions=reactions, problems=problems)])
    (event,) = [e for e in brief.events if not e.background]
    assert [r.min for r in event.killed.reports] == [7, 11]
    assert "killed" in [c.field for c in event.conflicts]
    assert event.killed.headline == "at least 7 killed; reports range from 7 to 11"


def test_a_described_target_gets_the_known_group_the_text_names() -> None:
    text = (
        "Northland condemned the strikes on Iraqi military sites. American warplanes targeted the "
        "headquarters of the Kataeb Hezbollah near Varo on Monday, sources said."
    )
    article = Article(id="g.txt", published="2031-05-06", text=text)
    strike = StrikeDraft(attacker="United States", target_groups=["Iraqi military sites"], date_text="on Monday")
    strikes, _, problems = ground(article, ArticleDraft(strikes=[strike]))
    assert strikes[0].target_groups == ["Iraqi military sites", "Kataeb Hezbollah"]
    span = next(s for s in strikes[0].evidence if s.text == "Kataeb Hezbollah")
    assert text[span.start : span.end] == "Kataeb Hezbollah"
    assert "group_from_text" in [p.kind for p in problems]
    # a model answer that already names a known group is left as it is
    named = strike.model_copy(update={"target_groups": ["Kataib Hezbollah"]})
    strikes, _, _ = ground(article, ArticleDraft(strikes=[named]))
    assert strikes[0].target_groups == ["Kataib Hezbollah"]


def test_dates_units_and_the_next_sentence_are_not_read_as_tolls() -> None:
    cases = {
        "The strike killed 8 fighters. It also wounded 12 civilians.": [("killed", 8), ("wounded", 12)],
        "Over the past 3 days 40 people were killed in the strikes.": [("killed", 40)],
        "Within 48 hours 12 civilians died in the raids.": [("killed", 12)],
        "The attack on March 3 killed 12 people.": [("killed", 12)],
        "The blast injured 7 percent of the staff.": [],
    }
    for text, expected in cases.items():
        assert [(t.kind, t.min) for t in find_tolls(text)] == expected, text


def test_the_attackers_own_people_are_told_apart_from_a_pronoun() -> None:
    israel = StrikeScope("Israel", ["Gaza"])
    assert kinds("Israeli jets struck Gaza. Hezbollah rockets killed 3 Israeli soldiers, the army said.", israel) == []
    # "us" is a pronoun, not the United States
    assert kinds("A witness told us the strike killed 10 people.", StrikeScope("United States", [])) == [
        ("killed", 10, 10)
    ]


def test_a_toll_in_a_relative_clause_belongs_to_the_noun_it_hangs_on() -> None:
    text = (
        "The Baghdad air strike killed two commanders, police said. The air strike follows two large bombs in "
        "Kerman that killed over 100 people a day earlier."
    )
    scope = StrikeScope("United States", ["Baghdad"])
    assert [(t.min, t.max) for t in tolls_for(text, scope) if t.kind == "killed"] == [(2, 2)]


def test_a_toll_given_right_after_the_strike_and_attributed_is_the_strikes() -> None:
    """'fatalities' and 'deaths' are tolls too, and a sentence that only reports figures right after the
    strike's own sentence belongs to it; a sentence about another strike does not."""
    text = (
        "Northland jets struck a Red Hand camp near Varo on Monday. Red Hand officials said one person had been "
        "killed, while a war monitor reported at least 22 fatalities. Separately, an air strike by Westland on "
        "Tarsi caused 40 deaths, officials said."
    )
    scope = StrikeScope("Northland", ["Red Hand", "Varo"])
    assert [(t.min, t.max) for t in tolls_for(text, scope) if t.kind == "killed"] == [(1, 1), (22, None)]


def test_no_one_hurt_an_injury_count_and_a_toll_of_wounded_are_read_as_such() -> None:
    text = (
        "Northland struck a Red Hand depot near Varo. The casualty toll of the strike rose to six wounded "
        "fighters. The strike caused one death and four injuries. A Varo official said that no one was killed "
        "at the depot itself."
    )
    assert kinds(text) == [("wounded", 6, 6), ("killed", 1, 1), ("wounded", 4, 4), ("killed", 0, 0)]
    # "said that" opens what was said, not a clause hanging on another noun: the toll is the strike's
    assert [(t.kind, t.min) for t in tolls_for(text, NORTHLAND)][-1] == ("killed", 0)


def test_a_range_a_date_line_and_a_toll_told_by_another_side() -> None:
    text = (
        " date 2031-04-01 Multiple people were killed in a Northland air strike on Varo.\n\n"
        "Southland's envoy told state TV that five to seven people were killed in the attack."
    )
    # "01" of the date line is no count; the range is one figure; the envoy of another actor tells this
    # strike's toll ("the attack"), not another strike's
    assert kinds(text) == [("killed", 5, 7)]


def test_a_toll_said_of_what_a_clause_hangs_on_or_of_anothers_strike_is_not_this_strikes() -> None:
    text = (
        "Northland struck a Red Hand depot near Varo.\n\n"
        "Southland said the bombs in Tarsi that killed 90 people were unrelated.\n\n"
        "An envoy said the British strike killed 12."
    )
    assert kinds(text) == []


def test_a_person_named_before_n_others_is_counted_with_them() -> None:
    text = "Northland struck Varo. A Red Hand commander and five other fighters were also injured in the strike."
    assert kinds(text) == [("wounded", 6, 6)]
    # "25 others" after a toll of another kind is 25, not added to anything
    assert kinds("Northland struck Varo: three fighters were killed and 25 others were injured.") == [
        ("killed", 3, 3),
        ("wounded", 25, 25),
    ]


def test_tolls_that_add_to_one_given_before_are_summed_with_it() -> None:
    """ "two other militiamen were killed" and "four were also killed" tell of more victims than the toll
    before them: the strike's figure runs from the first toll to the sum."""
    text = (
        "A Northland drone strike on Varo killed two Red Hand commanders. Red Hand accounts said that two "
        "other fighters were killed in the strike. Four civilians were also killed in the attack, an official said."
    )
    strikes, _, problems = ground(Article(id="s.txt", published="2031-05-06", text=text), _draft(FigureDraft()))
    killed = strikes[0].killed
    assert [(p.min, p.max) for p in killed.parts] == [(2, 2), (4, 4), (8, 8)]  # a running sum: 2, +2, +4
    assert (killed.min, killed.max) == (2, 8)
    for part in killed.parts:  # each part is still the article's own words, a sum over all it adds up
        assert text[part.start : part.end] == part.text
    assert killed.parts[2].text.startswith("killed two Red Hand commanders")
    assert [s.match for s in strikes[0].evidence if s.field == "killed"] == ["toll", "sum", "sum"]
    assert sum("counted with" in p.message for p in problems) == 2
    # others set against a toll of their own sentence are not added unless it says "also"
    clashes = (
        "A Northland drone strike on Varo killed two Red Hand fighters, officials said, while two others were "
        "killed in clashes elsewhere."
    )
    strikes, _, _ = ground(Article(id="c.txt", published="2031-05-06", text=clashes), _draft(FigureDraft()))
    assert (strikes[0].killed.min, strikes[0].killed.max) == (2, 2)
    # "N others" beside a toll of the other kind in its sentence is that toll restated, not more victims
    again = (
        "A Northland drone strike on Varo killed one Red Hand fighter and wounded five. Officials said one "
        "fighter was killed and five others were wounded in the strike."
    )
    strikes, _, _ = ground(Article(id="r.txt", published="2031-05-06", text=again), _draft(FigureDraft()))
    assert (strikes[0].wounded.min, strikes[0].wounded.max) == (5, 5)
    # others of the same kind in the same sentence are more victims; a sum from an open toll stays open
    more = "A Northland drone strike on Varo killed at least five fighters. Two others were also killed, it said."
    strikes, _, _ = ground(Article(id="m.txt", published="2031-05-06", text=more), _draft(FigureDraft()))
    assert [(p.min, p.max) for p in strikes[0].killed.parts] == [(5, None), (7, None)]


def test_the_reported_strikes_toll_needs_no_name_but_another_attacks_does() -> None:
    """In an article with one reported strike, "X were killed in a drone attack on a base" is its toll,
    with no name of it and the victims' side named; an attack set apart ("separately", "last week") is not."""
    scope = StrikeScope("Red Hand", ["Camp Ard"])
    text = (
        "Three Northland soldiers were killed and 25 others were injured in a drone attack on a Northland base "
        "near the border, officials said. Separately, an air strike on a convoy killed 40 people. Last week a "
        "rocket attack killed nine."
    )
    assert [(t.kind, t.min) for t in tolls_for(text, scope, main=True)] == [("killed", 3), ("wounded", 25)]
    assert tolls_for(text, scope) == []  # not the article's one reported strike: a strike of its own
    another = text.replace("and 25 others were injured", "and another 25 were injured")
    assert [t.min for t in tolls_for(another, scope, main=True)] == [3, 25]  # "another 25" is a number
    # a place below a country, or a month, that the strike is not: another attack, even in the lead
    market = "Northland struck Varo. A suicide bombing at a market in Tarsi in March killed 40 people."
    assert tolls_for(market, StrikeScope("Northland", ["Varo"]), main=True) == []
    city = "Northland struck Varo. A suicide bombing at a market in Baghdad killed 40 people."
    assert tolls_for(city, StrikeScope("Northland", ["Varo"]), main=True) == []  # a city the gazetteer knows
    # where the words were said is not where the attack was
    said = "A drone attack on a base killed 12 soldiers, officials in Washington said."
    assert [t.min for t in tolls_for(said, StrikeScope("Red Hand", ["Camp Ard"]), main=True)] == [12]


def test_a_group_of_the_coalition_hit_names_the_strike() -> None:
    """A strike on the Popular Mobilization Forces: a sentence naming one of its member groups (alias
    data, ``member_of``) is about that strike."""
    text = "Northland jets hit Varo. Later the drone hit a car at the Harakat al-Nujaba headquarters, killing two."
    scope = StrikeScope("Northland", ["Popular Mobilization Forces"])
    assert [(t.kind, t.min) for t in tolls_for(text, scope)] == [("killed", 2)]
    assert tolls_for(text, StrikeScope("Northland", ["Red Hand"])) == []  # no member of the group hit
    apart = text.replace("Later the drone", "Separately, a drone")
    assert tolls_for(apart, scope) == []  # a member named in an attack set apart is not enough


def test_a_person_struck_by_another_verb_is_not_counted_with_the_others() -> None:
    assert kinds("Northland struck Varo. The attack killed a soldier and five others were wounded.") == [
        ("killed", 1, 1),
        ("wounded", 5, 5),
    ]


def test_another_side_blocks_a_toll_only_as_the_side_that_struck() -> None:
    text = "Red Hand drones hit Varo. A Northland base was attacked near Varo, killing two Northland guards."
    # "a Northland base was attacked": Northland is the side hit, not the side that struck
    assert kinds(text, StrikeScope("Red Hand", ["Varo"])) == [("killed", 2, 2)]
    hit = "A drone attack hit a U.S. base near Varo, killing two contractors."
    assert kinds(hit, StrikeScope("Red Hand", ["Varo"])) == [("killed", 2, 2)]  # the U.S. is the side hit
    struck = "A U.S. strike near Varo killed two, an envoy said."
    assert kinds(struck, StrikeScope("Red Hand", ["Varo"])) == []  # the U.S. struck: not the Red Hand's


def test_a_toll_after_a_comma_and_which_belongs_to_what_the_clause_hangs_on() -> None:
    text = (
        "Northland struck Varo. It said the strike answered a bombing by rebels in the city of Tarsi in early May, "
        "which killed 100."
    )
    assert kinds(text) == []
    # a clause that names the strike's own place is the strike's: "..., which killed three"
    own = "The attack targeted a Red Hand depot in the city of Varo early on Monday, which killed three."
    assert kinds(own) == [("killed", 3, 3)]
    later = own.replace("killed three.", "killed three, the deadliest raid since 2019.")
    assert kinds(later) == [("killed", 3, 3)]  # a cue after the toll does not set the clause apart


def test_vague_words_are_no_number_and_one_person_killed_is_at_least_one() -> None:
    text = (
        "Northland struck Red Hand sites near Varo on Monday, killing the head of the Red Hand. A number of "
        "others were wounded, the group said."
    )
    draft = ArticleDraft(
        strikes=[
            _strike(
                killed=FigureDraft(text="the head of the Red Hand", min=1, max=1),
                wounded=FigureDraft(text="A number of others were wounded", min=2, max=None),
            )
        ]
    )
    strikes, _, _ = ground(Article(id="v.txt", published="2031-05-06", text=text), draft)
    assert (strikes[0].killed.min, strikes[0].killed.max) == (1, None)
    hurt = "Northland struck Red Hand sites near Varo on Monday. A soldier was wounded; no deaths were reported."
    soldier = _strike(killed=FigureDraft(text="A soldier", min=1, max=1))
    wounded, _, _ = ground(Article(id="w.txt", published="2031-05-06", text=hurt), ArticleDraft(strikes=[soldier]))
    assert (wounded[0].killed.min, wounded[0].killed.max) == (None, None)  # a soldier was wounded, not killed
    assert (strikes[0].wounded.min, strikes[0].wounded.max) == (None, None)
    assert strikes[0].wounded.text == "A number of others were wounded"


def test_words_with_no_number_conflict_only_with_none_hurt() -> None:
    """ "a number of others wounded" against "no one was injured" is a disagreement (some against none);
    against "six wounded" it is not."""

    def brief(other: str) -> llmsum.Brief:
        extractions = []
        for i, text in enumerate(
            [
                f"Northland struck Varo on Monday. {other}",
                "Northland struck Varo on Monday. A number of others were wounded.",
            ]
        ):
            wounded = other if i == 0 else "A number of others were wounded"
            draft = ArticleDraft(strikes=[_strike(wounded=FigureDraft(text=wounded.rstrip(".")))])
            article = Article(id=f"{i}.txt", published="2031-05-06", text=text)
            strikes, reactions, problems = ground(article, draft)
            ref = ArticleRef(id=article.id, published=article.published)
            extractions.append(ArticleExtraction(article=ref, strikes=strikes, reactions=reactions, problems=problems))
        return reconcile(extractions)

    several = brief("Several were wounded.").events[0]
    # words ACLED's codebook lacks are read at their smallest: "several" 3, "a number of" 2, the lower coded
    assert several.wounded.conservative == 2
    none_hurt = brief("No one was injured.").events[0]
    assert "wounded" in {c.field for c in none_hurt.conflicts}
    assert "no number" in (none_hurt.wounded.headline or "")
    six = brief("Six people were wounded.").events[0]
    assert "wounded" not in {c.field for c in six.conflicts}
    assert (six.wounded.min, six.wounded.max) == (6, 6)
