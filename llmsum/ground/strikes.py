"""Strikes: each draft strike grounded field by field (groups, places, attacker, date, figures).

A strike none of whose targets, places, date or figures is in the article is an invented strike
and is dropped whole; for the article's one main strike, the groups the text says were hit are
added from the alias data when the model only described the target.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from llmsum.ground.figures import KILLED_WORDS, WOUNDED_WORDS, facility_count, figure, scope
from llmsum.ground.ledger import Ledger
from llmsum.models import Location, MatchKind, Problem, ProblemKind, Span, StrikeDraft, StrikeReport
from llmsum.prose import sentences
from llmsum.prose.attribution import (
    BACK_REFERENCE,
    INFORMANT,
    STRIKE_ACTS,
    STRIKE_MODIFIERS,
    STRIKE_NOUNS,
    STRIKE_WORD,
    STRIKE_WORDS,
    claimants,
    strike_owners,
)
from llmsum.prose.casualties import LEAD_SENTENCES, strikes_by, told_apart
from llmsum.prose.dates import resolve_date
from llmsum.prose.earlier import ONE_ATTACK
from llmsum.prose.names import (
    actor_parts,
    actor_variants,
    alias,
    alias_table,
    countries,
    country_keys,
    demonym_country,
    is_country_level,
    is_description,
    key,
    known_actor,
    mentions,
    variants,
)
from llmsum.prose.numbers import NUMBER_WORDS, word_value
from llmsum.prose.places import locate
from llmsum.prose.targets import is_known_group, known_groups_hit

_DAY = (
    r"(?P<date>(?:(?:on|late on|early on|late|early|pre-dawn)\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|yesterday|overnight|last night|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}\b|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)"
)
_STRIKE_THEN_DATE = re.compile(rf"\b{STRIKE_WORDS}\b[^.\n]{{0,60}}?\b{_DAY}", re.I)
_DATE_THEN_STRIKE = re.compile(rf"\b{_DAY}\b[^.\n]{{0,40}}?\b{STRIKE_WORDS}\b", re.I)
# words that set an attack before the one reported ("since the attack on October 7", "the anniversary of"); not
# "after" or "following": "escalation after US strikes on Wednesday" is often the strike itself
_EARLIER = re.compile(r"\b(?:since|recalling|anniversary of)\b[^.\n,;]{0,40}$", re.I)
# where the words set an attack ("inside Iran"); not "Iran-backed groups", which says who was hit
_WHERE = re.compile(r"\b(?:in|inside|into|across|over)\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2})")
# the news a report gives is of the last days: a day weeks before its date line is another attack's
_NEWS_DAYS = 7


def grounded_names(g: Ledger, values: list[str], field_name: str) -> tuple[list[str], list[Span]]:
    kept, spans = [], []
    for value in values:
        hit = g.span(value, field_name)
        if hit is None:
            g.drop(field_name, value, "name not found in the article")
            continue
        kept.append(value)
        spans.append(hit)
    return kept, spans


def strike(g: Ledger, draft: StrikeDraft) -> StrikeReport:
    spans: list[Span] = []
    unverified: list[str] = []
    groups, s = grounded_names(g, draft.target_groups, "target_groups")
    spans += s
    locations: list[Location] = []
    for loc in draft.locations:
        hit = g.span(loc.name, "locations")
        if hit is None:
            g.drop("locations", loc.name, "place not found in the article")
            continue
        spans.append(hit)
        n = len(locations)
        for part in ("admin1", "country"):  # the model adds these from what it knows: say so when the text does not
            value = getattr(loc, part)
            if value and (where := g.span_or_alias(value, f"locations.{part}")) is not None:
                spans.append(where)
            elif value:
                g.unverified(f"locations[{n}].{part}", value)
                unverified.append(f"locations[{n}].{part}")
        locations.append(Location(name=loc.name, admin1=loc.admin1, country=loc.country))
    if draft.attacker and (told := INFORMANT.search(draft.attacker)) and told.group(0).islower():
        g.drop("attacker", draft.attacker, "names who reported or counted the strike, not who carried it out")
        draft = draft.model_copy(update={"attacker": None})
    if attacker := g.span_or_alias(draft.attacker, "attacker"):
        spans.append(attacker)
    elif draft.attacker:
        g.unverified("attacker", draft.attacker)
        unverified.append("attacker")
    event_date, date_text = None, draft.date_text
    if draft.date_text:
        hit = g.span(draft.date_text, "date_text")
        if hit is None:
            g.drop("date_text", draft.date_text, "wording not found in the article")
            date_text = None
        elif sentences.is_caption(g.text, hit.start):
            g.drop("date_text", draft.date_text, "taken from a photo caption, not the report")
            date_text = None
        else:
            spans.append(hit)
            event_date, how = resolve_date(hit.text, g.article.published)
            if event_date is None:
                g.problems.append(Problem(kind=ProblemKind.date_unresolved, message=f"{hit.text!r}: {how}"))
    if event_date is None and date_text is None and not draft.background:
        found = _date_from_context(g, draft.attacker, groups, locations)
        if found is not None:
            event_date, span = found
            date_text = span.text
            spans.append(span)
        elif g.article.published:
            # a report that names no day for its strike reports it as news: the dateline's day (reconcile
            # allows a day either side, so a strike of the night before still meets its other reports)
            event_date = g.article.published
            g.note(
                ProblemKind.date_from_dateline,
                f"no day is written for the strike; dated by the article's date line, {event_date}",
                field="event_date",
            )
    killed, s = figure(g, draft.killed, "killed", KILLED_WORDS)
    spans += s
    wounded, s = figure(g, draft.wounded, "wounded", WOUNDED_WORDS)
    spans += s
    facilities, s = facility_count(g, draft.facilities_struck)
    spans += s
    attributed = draft.attributed_to
    if attributed and (hit := g.span(attributed, "attributed_to")):
        spans.append(hit)
    elif attributed:
        g.unverified("attributed_to", attributed)
        unverified.append("attributed_to")
    return StrikeReport(
        event_date=event_date,
        date_text=date_text,
        attacker=draft.attacker,
        target_groups=groups,
        locations=locations,
        facilities_struck=facilities,
        killed=killed,
        wounded=wounded,
        attributed_to=attributed,
        background=draft.background,
        evidence=spans,
        unverified=unverified,
    )


# "an attack by the Red Hand": the name right after "by", in capitals ("by gunmen on a Northland base" names none)
_BY = re.compile(r"\s+(?:carried out\s+|claimed\s+)?by\s+((?:the\s+)?(?:[A-Z][\w.’'-]*\s*){1,4})")


def earlier_strike(g: Ledger, draft: StrikeDraft, passage: tuple[int, int]) -> StrikeReport:
    """An earlier attack read from its passage alone (``llmsum.prose.earlier``) is grounded in that
    passage alone: every other line of the article is blanked (offsets kept), so a place, figure or count
    of the reported strike cannot pass for the earlier one's. Its attacker stands only where the passage
    gives it the attack ("a suspected Northland drone attack", "an attack by the Red Hand"); a model asked
    about "a rocket attack on the base" names whoever the passage names, often the side that was hit."""
    lo, hi = passage
    text = g.text
    attacker = draft.attacker
    if attacker and not _gives_attack(text[lo:hi], attacker):
        g.drop("attacker", attacker, "the passage does not say who carried out this earlier attack")
        attacker = None
    blanked = re.sub(r"[^\n]", " ", text[:lo]) + text[lo:hi] + re.sub(r"[^\n]", " ", text[hi:])
    scoped = Ledger(g.article.model_copy(update={"text": blanked}))
    report = strike(scoped, draft.model_copy(update={"passage": None, "attacker": attacker}))
    g.problems += scoped.problems
    return report


def _gives_attack(passage: str, attacker: str) -> bool:
    """Whether ``passage`` names ``attacker`` in its one attack's own words ("another Northland raid") or
    right after them ("an attack by the Red Hand")."""
    names = [actor_variants(part) | variants(part, "groups") for part in actor_parts(attacker)]
    for m in ONE_ATTACK.finditer(passage):
        words = passage[m.start() : m.end()]
        by = _BY.match(passage, m.end())
        if by:
            words += " " + by.group(1)
        if any(mentions(words, n) for n in names):
            return True
    return False


def _date_from_context(
    g: Ledger, attacker: str | None, groups: list[str], locations: list[Location]
) -> tuple[str, Span] | None:
    """When the model gave no date wording, take the day named next to a strike word in the
    article itself ("strikes on Sunday", "On Tuesday, the US launched strikes"), in a sentence that
    names the strike's attacker, target or place, unless the words are about another attack: one
    before it ("since the attack on October 7") or one in a country the strike is not in ("the bomb
    attack inside Iran on Tuesday")."""
    if not g.article.published:
        return None
    here = {c for loc in locations for c in locate(loc.name, loc.country).countries}
    own = [actor_variants(part) for part in actor_parts(attacker)]
    own += [variants(name, "groups") for name in groups] + [variants(loc.name, "places") for loc in locations]
    for pattern in (_STRIKE_THEN_DATE, _DATE_THEN_STRIKE):
        for m in pattern.finditer(g.text):
            if sentences.is_caption(g.text, m.start()):
                continue
            sentence = g.text[slice(*sentences.sentence_bounds(g.text, m.start()))]
            if not any(mentions(sentence, names) for names in own):
                continue
            if _EARLIER.search(g.text[max(0, m.start() - 50) : m.start()]):
                continue
            elsewhere = {c for w in _WHERE.findall(g.text[m.start() : m.end()]) for c in country_keys(w)}
            if here and elsewhere and elsewhere.isdisjoint(here):
                continue
            start, end = m.span("date")
            event_date, _ = resolve_date(g.text[start:end], g.article.published)
            if event_date is None or _days_before(event_date, g.article.published) > _NEWS_DAYS:
                continue
            span = g.found(start, end, "date_text", MatchKind.context)
            g.problems.append(
                Problem(
                    kind=ProblemKind.date_from_context,
                    message=f"the model gave no date; the article says {g.text[m.start() : m.end()]!r}",
                )
            )
            return event_date, span
    return None


def _days_before(day: str, published: str) -> int:
    return (dt.date.fromisoformat(published) - dt.date.fromisoformat(day)).days


# "two days after", "a day after a suspected drone attack": after the attack the passage tells of, not
# "a day after the minister said ..."
_DAYS_AFTER = re.compile(rf"\b(?P<n>an?|{NUMBER_WORDS}|\d{{1,2}})\s+days?\s+after(?:\s+(?:an?|another)\s.*)?$", re.I)
# ... and said of the reported strike: "It comes two days after", "The raid came a day after"
_STRIKE_CAME = re.compile(
    rf"(?:\b(?:it|this)|{BACK_REFERENCE.pattern})\s+(?:[\w\-]+\s+){{0,4}}?(?:comes?|came|follows?|followed)\s+[^.]*$",
    re.I,
)


def date_before_main(g: Ledger, strike: StrikeReport, main: StrikeReport) -> None:
    """An earlier attack the reported strike came "two days after": dated from that strike's day, when the
    article gives it and the sentence says it of the reported strike ("It comes two days after ...")."""
    if strike.event_date is not None or not strike.date_text or main.event_date is None:
        return
    m = _DAYS_AFTER.search(strike.date_text.strip(" .,"))
    said = next((sp for sp in strike.evidence if sp.field == "date_text"), None)
    if m is None or said is None:
        return
    lo = sentences.sentence_bounds(g.text, said.start)[0]
    if not _STRIKE_CAME.search(g.text[lo : said.start]):
        return
    n = 1 if m["n"].lower() in ("a", "an") else word_value(m["n"])
    if not n:
        return
    strike.event_date = (dt.date.fromisoformat(main.event_date) - dt.timedelta(days=n)).isoformat()
    g.note(
        ProblemKind.date_from_context,
        f"earlier attack dated {strike.event_date}: {strike.date_text!r} the reported strike of {main.event_date}",
        field="event_date",
    )


# "eastern Syria", "northwestern Iraq", "Houthi-controlled areas of Yemen": a part of one country
_REGION = re.compile(
    r"\b(?P<region>(?:[Nn]orth|[Ss]outh)(?:east|west)?(?:ern)?\s+(?P<c1>[A-Z][\w'’\-]+)"
    r"|(?:[Ee]ast|[Ww]est)(?:ern)?\s+(?P<c2>[A-Z][\w'’\-]+)|[Cc]entral\s+(?P<c3>[A-Z][\w'’\-]+)"
    r"|[\w'’]+-(?:controlled|held|run)\s+(?:areas?|parts?|territory|territories|regions?)\s+of\s+"
    r"(?P<c4>[A-Z][\w'’\-]+))"
)


def add_region(g: Ledger, strike: StrikeReport, elsewhere: Sequence[tuple[int, int]] = ()) -> None:
    """Where the model gave only countries, the part of one of them that a sentence telling of the strike
    names ("the strikes in Houthi-controlled areas of Yemen", "attacked ... in western Iraq and eastern
    Syria") is added: outlets place one strike at different precision, and the part is what the article
    says."""
    if not strike.locations or not all(is_country_level(loc.name, loc.country) for loc in strike.locations):
        return
    theirs = {key(c) for loc in strike.locations for c in (loc.name, loc.country) if c}
    known = {key(loc.name) for loc in strike.locations}
    for m in _REGION.finditer(g.text):
        country = next(c for c in (m["c1"], m["c2"], m["c3"], m["c4"]) if c)
        lo, hi = sentences.sentence_bounds(g.text, m.start())
        sentence = g.text[lo:hi]
        if (
            key(country) not in theirs
            or key(m["region"]) in known
            or not STRIKE_WORD.search(g.text, lo, m.start())
            # "The strikes in X came after ...": what follows the cue is the other attack's
            or not _of_the_strike(g, strike, m.end(), elsewhere, lead=False)
        ):
            continue
        known.add(key(m["region"]))
        strike.locations.append(Location(name=m["region"], country=country))
        strike.evidence.append(g.found(m.start("region"), m.end("region"), "locations", MatchKind.context))
        g.note(
            ProblemKind.place_from_text,
            f"place {m['region']!r} added: the model gave only the country; the article's sentence on the strike "
            f"names the part: {' '.join(sentence.split())[:160]!r}",
            field="locations",
        )


def only_main(strikes: list[StrikeReport]) -> StrikeReport | None:
    """The article's one main strike. With several, a toll or group could belong to any of them:
    their values stay the model's."""
    main = [s for s in strikes if not s.background]
    return main[0] if len(main) == 1 else None


def add_group(g: Ledger, strike: StrikeReport) -> None:
    """When the model described the target ("Iraqi military sites") but the article names a known
    group as what the attacker hit, the main strike gets that group too, with its evidence."""
    if any(is_known_group(name) for name in strike.target_groups):
        return
    found = known_groups_hit(g.text, strike.attacker)
    if not found:
        return
    group = found[0]
    strike.target_groups.append(group.name)
    strike.evidence.append(
        Span(
            text=group.name,
            start=group.start,
            end=group.end,
            field="target_groups",
            match=MatchKind.context,
            score=100.0,
        )
    )
    g.problems.append(
        Problem(
            kind=ProblemKind.group_from_text,
            message=f"target group {group.name!r} added: the article names it where it says the strike hit",
            field="target_groups",
        )
    )


_ACTOR_WORDS = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*?(?:\s+[A-Z][\w’'\-]*)?)"
# "UK-US military strikes", "American and British airstrikes", "the armed forces of the United States and the
# United Kingdom delivered joint strikes": two sides named together as the one that struck
_JOINT = re.compile(
    rf"(?P<a>{_ACTOR_WORDS})(?:\s*[-–/]\s*|\s+and\s+(?:the\s+)?)(?P<b>{_ACTOR_WORDS})"
    rf"(?=(?:['’]s)?(?:\s+{STRIKE_MODIFIERS}){{0,2}}\s+{STRIKE_NOUNS}\b"
    rf"|(?:\s+(?:forces|militaries|jets|warplanes|aircraft))?\s+(?:also\s+|jointly\s+)?{STRIKE_ACTS}"
    rf"(?:\s+[\w\-]+){{0,3}}?\s+{STRIKE_NOUNS}\b)"
)


def _of_the_strike(
    g: Ledger, strike: StrikeReport, at: int, elsewhere: Sequence[tuple[int, int]], *, lead: bool
) -> bool:
    """Whether the words at ``at`` tell of the article's reported strike. With ``lead``: in the report's
    lead, or in a sentence that refers back to the strike ("the strikes ..."). Without: in a sentence that
    names a target of it, refers back to it, or names its attacker as the side that struck (not as the
    side hit: "drone attacks on US forces in eastern Syria"). Never where another side is the one
    striking before those words, nor where the sentence sets its attack apart ("came after ...",
    "separately", another year), nor in an earlier attack's passage or a caption."""
    if any(a <= at < b for a, b in elsewhere) or sentences.is_caption(g.text, at):
        return False
    lo, hi = sentences.sentence_bounds(g.text, at)
    this = scope(strike)
    sentence, before = g.text[lo:hi], g.text[lo:at]
    own = actor_variants(strike.attacker)
    others = ({v for v, _ in alias_table().get("actors", {}).items()} | countries()) - own
    if told_apart(before, this) or (strikes_by(before, others) and not mentions(before, own)):
        return False
    back = bool(BACK_REFERENCE.search(sentence))
    if lead:
        in_lead = sentences.sentence_index(g.text, at) < LEAD_SENTENCES and not told_apart(sentence, this)
        return in_lead or (back and not told_apart(sentence, this))
    targets = {v for name in strike.target_groups for v in variants(name, "groups")}
    return mentions(sentence, targets) or back or _as_striker(sentence, own)


def _as_striker(sentence: str, own: set[str]) -> bool:
    """The attacker named in a sentence, and not only as the side hit ("attacks on US forces")."""
    folded = f" {key(sentence)} "
    named = [v for v in own if mentions(sentence, {v})]
    return any(
        re.search(rf" {re.escape(v)} ", folded) and not re.search(rf" (?:on|against|targeting) {re.escape(v)} ", folded)
        for v in named
    )


def add_partner(g: Ledger, strike: StrikeReport, elsewhere: Sequence[tuple[int, int]] = ()) -> None:
    """When the article gives the strike to two sides together ("UK-US military strikes", "American and
    British airstrikes") and the model named one of them, the attacker is both: outlets name a joint
    strike by one side or both, and one event must hold them all."""
    mine = {known_actor(part) for part in actor_parts(strike.attacker)} - {None}
    if len(mine) != 1:
        return
    for m in _JOINT.finditer(g.text):
        a, b = (_side(m[x]) for x in ("a", "b"))
        if (
            a is None
            or b is None
            or a == b
            or not ({a, b} & mine)
            or not _of_the_strike(g, strike, m.start(), elsewhere, lead=True)
        ):
            continue
        other = b if a in mine else a
        if any(known_actor(t) == other for t in strike.target_groups):
            continue  # the side hit, named beside the attacker
        before = strike.attacker
        strike.attacker = f"{a} and {b}"
        strike.unverified = [f for f in strike.unverified if f != "attacker"]
        strike.evidence = [s for s in strike.evidence if s.field != "attacker"]
        strike.evidence.append(g.found(m.start(), m.end(), "attacker", MatchKind.context))
        g.note(
            ProblemKind.attacker_from_text,
            f"attacker {strike.attacker!r}, not {before!r} alone: the article gives the strike to both "
            f"({g.text[m.start() : m.end()]!r})",
            field="attacker",
        )
        return


def _side(words: str) -> str | None:
    """The actor two capitalised words name, or their last ("Joint UK"), a demonym read as its country
    under the name the alias data gives it ("British" is the United Kingdom)."""
    for name in dict.fromkeys([words, words.split()[-1]]):
        if found := known_actor(name):
            return found
        if country := demonym_country(name):
            return known_actor(country.title()) or country.title()
    return None


def add_claimant(g: Ledger, strike: StrikeReport) -> None:
    """When one group, by name, claimed the attack in the article, it is the main strike's attacker:
    small models name whoever announced the attack ("U.S. Central Command said ...") or whoever was
    accused of it. A group the strike hit is never its claimant ("the militia claimed the earlier
    rocket attack", in an article about the strike that answered it), and two claimants leave the
    model's attacker standing."""
    named = {key(name): (name, start, end) for name, start, end in claimants(g.text)}
    if len(named) != 1:
        return
    name, start, end = next(iter(named.values()))
    if any(_same(name, target) for target in strike.target_groups) or (
        strike.attacker and _same(name, strike.attacker)
    ):
        return
    known = strike.attacker is not None and any(known_actor(part) for part in actor_parts(strike.attacker))
    if strike.attacker and "attacker" not in strike.unverified and (known or not is_description(strike.attacker)):
        # a named attacker the text bears out stands ("the Islamic Front claimed two drone attacks on the
        # base" in a report of the strike that answered them), unless it is the side the strike hit
        hit = " ".join(filter(None, [*strike.target_groups, strike.killed.text, strike.wounded.text]))
        if not any(mentions(hit, actor_variants(part)) for part in actor_parts(strike.attacker)):
            return
    before = strike.attacker
    strike.attacker = name
    strike.unverified = [f for f in strike.unverified if f != "attacker"]
    strike.evidence = [s for s in strike.evidence if s.field != "attacker"]
    strike.evidence.append(g.found(start, end, "attacker", MatchKind.context))
    sentence = " ".join(g.text[slice(*sentences.sentence_bounds(g.text, start))].split())
    g.note(
        ProblemKind.attacker_from_claim,
        f"attacker {name!r}, not {before!r}: the article says it claimed the attack: {sentence[:200]!r}",
        field="attacker",
    )


def fix_swapped(g: Ledger, strike: StrikeReport) -> None:
    """When the model named as the side hit an actor the article gives the attack to ("Northland's
    strikes", "Northland missile strikes"), it swapped the sides (an article on one state's protest
    at another's strikes): that actor is the attacker, not a target. Never where the text gives
    attacks to the model's attacker too: then both sides struck."""
    owners = strike_owners(g.text)
    mine = {known_actor(part) for part in actor_parts(strike.attacker)}
    if mine & set(owners):
        return
    for target in list(strike.target_groups):
        actor = known_actor(target)
        if actor is None or actor in mine or actor not in owners:
            continue
        start, end = owners[actor][0]
        before = strike.attacker
        strike.attacker = actor
        strike.target_groups.remove(target)
        strike.unverified = [f for f in strike.unverified if f != "attacker"]
        strike.evidence = [
            s
            for s in strike.evidence
            if s.field != "attacker" and not (s.field == "target_groups" and s.text == target)
        ]
        strike.evidence.append(g.found(start, end, "attacker", MatchKind.context))
        g.note(
            ProblemKind.attacker_from_text,
            f"attacker {actor!r}, not {before!r}, and {target!r} is no target: the article gives the attack to "
            f"it ({g.text[start:end]!r})",
            field="attacker",
        )
        return


def _same(a: str, b: str) -> bool:
    """One actor under two wordings: one name inside the other, or one alias entry."""
    ka, kb = key(a), key(b)
    if ka and kb and (ka in kb or kb in ka):
        return True
    group = alias(a, "groups")
    return group is not None and group == alias(b, "groups")
