"""Hand-built extractions of strikes by attackers other than the United States.

The texts are written for these tests (they describe no real article); each extraction is what a
perfect extractor would make of its text, with evidence spans found in it. They prove that coding and
exports treat an Israeli air strike, an Iranian missile strike and a militia's drone attack the way
they treat a US strike, each with its own actor.
"""

from __future__ import annotations

from llmsum.models import (
    ArticleExtraction,
    ArticleRef,
    Figure,
    Location,
    OfficialReaction,
    Span,
    Stance,
    StrikeReport,
)

ISRAELI_AIR_STRIKE = (
    "Israeli warplanes struck a building in the Mezzeh district of Damascus on Monday, killing seven people, "
    "a war monitor said. Syria's foreign ministry condemned the raid. Iran's foreign minister said Tehran "
    'would respond: "This crime will not go unanswered."'
)
IRANIAN_MISSILE_STRIKE = (
    "Iran's Revolutionary Guards fired ballistic missiles at targets near Erbil late on Sunday, killing four "
    "civilians and wounding six, local officials said. Iraq's government condemned the attack as "
    '"a violation of sovereignty". The United Nations called on all sides to exercise restraint.'
)
MILITIA_DRONE_ATTACK = (
    "A drone attack by the Islamic Resistance in Iraq on a base in northeast Jordan on Sunday killed three "
    "soldiers and wounded dozens, officials said. The group said the attack was retaliation for the war in Gaza."
)


def _span(text: str, words: str, field: str) -> Span:
    start = text.index(words)
    return Span(text=words, start=start, end=start + len(words), field=field)


def _strike(
    text: str,
    attacker: str,
    date_text: str,
    event_date: str,
    places: list[Location],
    killed: tuple[int, str],
    wounded: tuple[int, str] | None = None,
    groups: list[str] | None = None,
) -> StrikeReport:
    attacker_words = next(w for w in (attacker, "Israeli", "Iran's", "Revolutionary Guards") if w in text)
    evidence = [_span(text, attacker_words, "attacker"), _span(text, date_text, "date_text")]
    evidence += [_span(text, p.name, "locations") for p in places if p.name in text]
    evidence.append(_span(text, killed[1], "killed"))
    if wounded:
        evidence.append(_span(text, wounded[1], "wounded"))
    return StrikeReport(
        event_date=event_date,
        date_text=date_text,
        attacker=attacker,
        target_groups=groups or [],
        locations=places,
        killed=Figure(min=killed[0], max=killed[0], text=killed[1]),
        wounded=Figure(min=wounded[0], max=None, text=wounded[1]) if wounded else Figure(),
        evidence=evidence,
    )


def _reaction(text: str, speaker: str, stance: Stance, quote: str | None = None) -> OfficialReaction:
    evidence = [_span(text, quote, "quote")] if quote else []
    return OfficialReaction(speaker=speaker, stance=stance, quote=quote, about=0, evidence=evidence)


def handmade() -> tuple[list[ArticleExtraction], dict[str, str]]:
    """(extractions, texts) of the three hand-made articles."""
    israeli = ArticleExtraction(
        article=ArticleRef(id="handmade-israel.txt", published="2024-03-05", source="Example Wire"),
        strikes=[
            _strike(
                ISRAELI_AIR_STRIKE,
                "Israel",
                "on Monday",
                "2024-03-04",
                [Location(name="Mezzeh district", country="Syria")],
                (7, "killing seven people"),
            )
        ],
        reactions=[
            _reaction(ISRAELI_AIR_STRIKE, "Syrian foreign ministry", Stance.condemn),
            _reaction(
                ISRAELI_AIR_STRIKE, "Iranian foreign minister", Stance.threaten, "This crime will not go unanswered."
            ),
        ],
    )
    iranian = ArticleExtraction(
        article=ArticleRef(id="handmade-iran.txt", published="2024-01-16", source="Example Daily"),
        strikes=[
            _strike(
                IRANIAN_MISSILE_STRIKE,
                "Iran",
                "late on Sunday",
                "2024-01-14",
                [Location(name="near Erbil", country="Iraq")],
                (4, "killing four civilians"),
                (6, "wounding six"),
            )
        ],
        reactions=[
            _reaction(IRANIAN_MISSILE_STRIKE, "Iraqi government", Stance.condemn, "a violation of sovereignty"),
            _reaction(IRANIAN_MISSILE_STRIKE, "United Nations", Stance.call_for_restraint),
        ],
    )
    militia = ArticleExtraction(
        article=ArticleRef(id="handmade-militia.txt", published="2024-01-29"),
        strikes=[
            _strike(
                MILITIA_DRONE_ATTACK,
                "Islamic Resistance in Iraq",
                "on Sunday",
                "2024-01-28",
                [Location(name="a base in northeast Jordan", country="Jordan")],
                (3, "killed three soldiers"),
                (24, "wounded dozens"),
                groups=["US forces"],
            )
        ],
        reactions=[_reaction(MILITIA_DRONE_ATTACK, "Islamic Resistance in Iraq", Stance.justify)],
    )
    texts = {
        "handmade-israel.txt": ISRAELI_AIR_STRIKE,
        "handmade-iran.txt": IRANIAN_MISSILE_STRIKE,
        "handmade-militia.txt": MILITIA_DRONE_ATTACK,
    }
    return [israeli, iranian, militia], texts
