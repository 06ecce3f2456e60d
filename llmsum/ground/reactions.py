"""Reactions: a speaker named in the article, a quote inside its quotation marks, next to them.

Narration the model copies is kept as the summary, never as a quote; a quote far from its speaker is
flagged; a speaker with no quote gets the quotation the article puts beside their name.
"""

from __future__ import annotations

import re

from llmsum.ground.ledger import QUOTE_THRESHOLD, Ledger
from llmsum.models import MatchKind, OfficialReaction, Problem, ProblemKind, ReactionDraft, Span, Stance, StrikeReport
from llmsum.prose import align, sentences
from llmsum.prose.attribution import (
    CONDEMNATION_WORD,
    DENIAL_WORD,
    FIGURE_SOURCE,
    JUSTIFICATION_WORD,
    NEGATION,
    NEWS_OUTLET,
    POSITION_WORD,
    PRONOUN_SAID,
    REPORTER,
    RESTRAINT_WORD,
    SPEECH_VERB,
    THREAT_WORD,
    attribution_verb,
    stance_cue,
)
from llmsum.prose.casualties import HARM, find_tolls
from llmsum.prose.names import (
    actor_variants,
    alias,
    countries,
    demonym_country,
    key,
    known_actor,
    mentions,
    variants,
)
from llmsum.prose.speakers import Candidate, find_speakers, same_speaker


def reaction(
    g: Ledger, draft: ReactionDraft, speakers: list[str], n_strikes: int, strike: StrikeReport | None = None
) -> OfficialReaction | None:
    unverified: list[str] = []
    if not draft.speaker.strip():
        g.drop("speaker", draft.speaker, "no speaker named; reaction dropped")
        return None
    who = g.span(draft.speaker, "speaker")
    if who is None and draft.role:
        who = g.span(draft.role, "speaker")
        if who is not None:
            g.unverified("speaker", draft.speaker)
            unverified.append("speaker")
    if who is None:
        g.drop("speaker", draft.speaker, "speaker not named in the article; reaction dropped")
        return None
    # reactions are statements by officials and organisations; the people reporting the news are not
    if REPORTER.search(f"{draft.speaker} {draft.role or ''}") or NEWS_OUTLET.search(draft.speaker):
        g.problems.append(
            Problem(
                kind=ProblemKind.not_a_reaction,
                message=f"{draft.speaker!r} reports the news; not an official reaction",
                field="speaker",
            )
        )
        return None
    spans = [who]
    quote, summary = None, draft.summary
    if draft.quote:
        hit = g.span(draft.quote, "quote", threshold=QUOTE_THRESHOLD)
        if hit is None:
            g.drop("quote", draft.quote, f"not in the article (speaker {draft.speaker})")
        elif (inside := _inside_quotation_marks(g, hit)) is None:
            # the article's narration, not their words: kept as what they said, never as a quote
            g.flag(
                "not_a_quote",
                f"{hit.text[:80]!r} is not inside quotation marks; kept as the summary of {draft.speaker!r}",
                draft.speaker,
            )
            summary = summary or hit.text
            spans.append(hit.model_copy(update={"field": "summary"}))
        else:
            attributed = _attributed(g, draft, inside, speakers)
            owner = None if attributed else _owner(g, inside, draft, speakers)
            own = _quote_beside(g, draft.speaker, draft.role) if owner else None
            if owner and own is not None:
                # a small model copies a neighbour's quotation; the one beside this speaker's name is theirs
                quote = own.text
                spans.append(own)
                g.flag(
                    "quote_from_text",
                    f"quote {inside.text[:80]!r} is beside {owner!r} in the article, not {draft.speaker!r}; "
                    f"the quotation beside {draft.speaker!r} taken instead",
                    draft.speaker,
                )
            else:
                quote = inside.text
                spans.append(inside)
                if not attributed:
                    g.flag(
                        "possible_misattribution",
                        f"quote {inside.text[:80]!r} is not next to {draft.speaker!r} in the article",
                        draft.speaker,
                    )
    if quote is None and (said := _quote_beside(g, draft.speaker, draft.role)) is not None:
        # the model gave no quote (or narration): take the words the article quotes beside the name
        quote = said.text
        spans.append(said)
        g.flag("quote_from_text", f"quote of {draft.speaker!r} taken from the quotation beside the name", draft.speaker)
    if draft.affiliation and (where := g.span_or_alias(draft.affiliation, "affiliation")) is not None:
        spans.append(where)
    elif draft.affiliation:
        g.unverified("affiliation", draft.affiliation)
        unverified.append("affiliation")
    if quote is None and _struck_only(g, draft.speaker):
        g.note(
            ProblemKind.not_a_reaction,
            f"{draft.speaker!r} is named only as someone the strike hit, never as speaking",
            field="speaker",
        )
        return None
    if (quote is None or find_tolls(quote) or HARM.search(quote)) and _gives_figures_only(g, draft.speaker):
        # "'The toll has risen to 16,' said the monitor's head": a quoted toll is still a figure
        g.note(
            ProblemKind.not_a_reaction,
            f"{draft.speaker!r} only gives casualty figures in the article: a source, not a reaction",
            field="speaker",
        )
        return None
    about = draft.about if draft.about is not None and 0 <= draft.about < n_strikes else None
    stance, said = _stance(g, draft, strike, quote, spans)
    if draft.no_position and stance == Stance.other and said is None:
        g.note(
            ProblemKind.not_a_reaction,
            f"{draft.speaker!r}: the model judged they take no position, and no word of theirs in the article "
            "takes one",
            field="speaker",
            speaker=draft.speaker,
        )
        return None
    if said is not None:
        spans.append(said)
    speaker = _named_where_said(g, draft, spans)
    return OfficialReaction(
        speaker=speaker,
        role=draft.role,
        affiliation=draft.affiliation,
        stance=stance,
        quote=quote,
        summary=summary,
        about=about,
        evidence=spans,
        unverified=unverified,
    )


def distinct(g: Ledger, found: list[OfficialReaction]) -> list[OfficialReaction]:
    """One reaction per statement and speaker. Small models list a speaker twice, or one statement
    under two names ("Syria" and "Foreign Ministry" with the same words); and a bare country or group
    beside one of its own officials is that official's statement read as the country's ("Iran" next
    to "Iranian foreign ministry spokesman X"), unless it takes another position than the official's.
    The first is kept, unless the text puts the words next to the second's name and not the first's;
    each drop is reported."""
    misattributed = {getattr(p, "speaker", None) for p in g.problems if p.kind == ProblemKind.possible_misattribution}
    kept: list[OfficialReaction] = []
    for r in found:
        twin = next((k for k in kept if _same_statement(k, r)), None)
        if twin is not None and twin.speaker in misattributed and r.speaker not in misattributed:
            kept[kept.index(twin)], twin, r = r, r, twin  # the words are the second speaker's
        if twin is not None:
            g.note(
                ProblemKind.not_a_reaction,
                f"{r.speaker!r} repeats the statement of {twin.speaker!r} (same speaker or same words); kept once",
                field="speaker",
                speaker=r.speaker,
            )
            continue
        kept.append(r)
    out = []
    for r in kept:
        # a bare name that takes another position than its official's is another statement ("Iran vowed to
        # respond" beside a minister who only condemned): kept, as is the official's
        other_position = r.stance != Stance.other
        official = next((k for k in kept if _speaks_for(k, r) and not (other_position and k.stance != r.stance)), None)
        if official is not None:
            g.note(
                ProblemKind.not_a_reaction,
                f"{r.speaker!r} is named bare beside {official.speaker!r}, who speaks for it in this article: "
                f"kept as {official.speaker!r}'s statement",
                field="speaker",
                speaker=r.speaker,
            )
            continue
        out.append(r)
    return out


def _same_statement(a: OfficialReaction, b: OfficialReaction) -> bool:
    if align.fold(a.speaker) == align.fold(b.speaker):
        return True
    # the same quotation under two names; a model's summary ("condemned the strikes") is no evidence
    return a.quote is not None and len(a.quote.split()) >= 3 and a.quote == b.quote


def _speaks_for(official: OfficialReaction, bare: OfficialReaction) -> bool:
    """Whether ``official`` (a named person or body) speaks for ``bare``, a country or a known group
    named with no role: "US Defense Secretary X" for "Washington", "Iraqi Prime Minister X" for
    "Iraq", "Houthi spokesman X" for "Houthis"."""
    if bare.role or official is bare or _bare(official):
        return False
    who = _who(official)
    if _PARTNER.search(who):
        return False  # "Iranian-backed militia", "a US ally": another actor, who speaks for itself
    if alias(bare.speaker, "groups") is not None:
        return mentions(who, variants(bare.speaker, "groups") - {""})
    canonical = alias(bare.speaker, "actors") or bare.speaker
    if key(canonical) not in countries():
        return False
    if mentions(who, actor_variants(canonical)):
        return True
    stem = key(canonical)  # a demonym most often starts with the country's name: Iraq-i, Syria-n, Jordan-ian
    return (
        " " not in stem
        and len(stem) >= 4
        and any(w.startswith(stem) and len(w) - len(stem) <= 3 for w in key(who).split())
    )


_PARTNER = re.compile(r"-backed\b|\bbacked\b|\baligned\b|\bmilitias?\b|\ball(?:y|ies|ied)\b|\bprox(?:y|ies)\b", re.I)


def _who(r: OfficialReaction | ReactionDraft) -> str:
    """Name, title and affiliation in one phrase, possessives dropped ("Iran's foreign ministry"), for
    telling whose side a speaker is on."""
    return re.sub(r"['’]s\b", "", " ".join(filter(None, [r.speaker, r.role, r.affiliation])))


def _bare(r: OfficialReaction) -> bool:
    """A country (or another of its names: "Washington", "US") or a known group, with no role."""
    return not r.role and (
        key(alias(r.speaker, "actors") or r.speaker) in countries() or alias(r.speaker, "groups") is not None
    )


def _stance(
    g: Ledger, draft: ReactionDraft, strike: StrikeReport | None, quote: str | None, spans: list[Span]
) -> tuple[Stance, Span | None]:
    """The model's stance, unless the text says otherwise: the verb that attributes the speaker's words
    ("X condemned", "X vowed", "X defended") states a stance by itself and outranks the model's reading;
    a speaker of the side that struck does not condemn its own strike, and one who gives its reason
    ("in response to ...") justifies it rather than threatens; words of another side that
    promise a response ("will not go unanswered") are a threat; and a speaker of another side whose
    words call the strike wrong ("a flagrant violation", "no excuse") condemns it, whatever support,
    justification or call for restraint the model read. Each change is reported with the words that
    decided it."""
    attacker = strike.attacker if strike is not None else None
    for start, end in _mention_spans(g, draft.speaker):
        cue = stance_cue(g.text, start, end)
        if cue is None:
            continue
        stance, v_start, v_end = cue
        if stance != draft.stance:
            lo, hi = sentences.sentence_bounds(g.text, start)
            _stance_changed(
                g,
                draft,
                f"{draft.speaker!r}: the model said {_judged(draft)}; the article says "
                f"{g.text[v_start:v_end]!r}: {' '.join(g.text[lo:hi].split())[:200]!r}",
            )
        return Stance(stance), g.found(v_start, v_end, "stance", MatchKind.context)
    who = _who(draft)
    own_side = mentions(who, actor_variants(attacker))
    reason = (
        _first(g, JUSTIFICATION_WORD, _said(g, draft, spans)) if own_side and draft.stance == Stance.threaten else None
    )
    if attacker and reason is not None:
        why = f"{draft.speaker!r} speaks for {attacker!r}, which carried out the strike, and gives its reason"
        return _decided(g, draft, reason, Stance.justify, f"{why} ({reason[0].text!r}): justify, not threaten.")
    if attacker and own_side and draft.stance == Stance.condemn:
        _stance_changed(
            g,
            draft,
            f"{draft.speaker!r} speaks for {attacker!r}, which carried out the strike: justify, not condemn",
        )
        return Stance.justify, None
    said = re.sub(r"\bin response to\b", "", " ".join(filter(None, [quote, draft.summary])), flags=re.I)
    if attacker and not own_side and draft.stance != Stance.threaten and THREAT_WORD.search(said):
        _stance_changed(
            g,
            draft,
            f"the words of {draft.speaker!r} promise a response ({THREAT_WORD.search(said).group(0)!r}): threaten, "
            f"not {_judged(draft)}",
        )
        return Stance.threaten, None
    # a call for restraint has words of restraint: without one, the model's label has no support in the text
    unsupported_restraint = False
    if draft.stance == Stance.call_for_restraint:
        spoken = _said(g, draft, spans)
        unsupported_restraint = _first(g, RESTRAINT_WORD, spoken) is None
        vow = _first(g, THREAT_WORD, spoken)
        if vow is not None and unsupported_restraint:
            # a vow is a threat, whichever side makes it ("there will be escalations; … legitimate targets")
            why = f"{draft.speaker!r}: the model said call_for_restraint, with no word of restraint; the words"
            return _decided(g, draft, vow, Stance.threaten, f"{why} {vow[0].text!r} promise a response: threaten.")
    readable = draft.stance in _READ_FROM_WORDS or draft.no_position
    found = _condemnation(g, draft, spans) if attacker and not own_side and readable else None
    if found is not None:
        why = f"{draft.speaker!r}: the model said {_judged(draft)}; the article's words call the strike"
        return _decided(g, draft, found, Stance.condemn, f"{why} {found[0].text!r}: condemn.")
    if draft.no_position and (denial := _denial(g, draft, spans)) is not None:
        # a denial is a position: "Iran has denied any involvement", "said it played no role in the strike"
        why = f"{draft.speaker!r}: the model said no_reaction; the article's words deny a part in it"
        return _decided(g, draft, denial, Stance.other, f"{why} ({denial[0].text!r}): other.")
    if unsupported_restraint:
        _stance_changed(
            g, draft, f"{draft.speaker!r}: the model said call_for_restraint; nothing they say asks for calm: other"
        )
        return Stance.other, None
    return draft.stance, None


def _judged(draft: ReactionDraft) -> str:
    """The model's verdict as it gave it: no_reaction reaches grounding as ``other`` with ``no_position``."""
    return "no_reaction" if draft.no_position else draft.stance.value


def _decided(
    g: Ledger, draft: ReactionDraft, found: tuple[Span, tuple[int, int]], stance: Stance, why: str
) -> tuple[Stance, Span]:
    """A stance read from a word of the speaker's sentences: reported with that sentence, the word kept
    as the stance's evidence."""
    word, (lo, hi) = found
    _stance_changed(g, draft, f"{why} {' '.join(g.text[lo:hi].split())[:200]!r}")
    return stance, word


# Stances the model gives that a speaker's own words can contradict: nobody of a side that did not
# strike justifies or backs a strike while calling it a crime, nor calls for restraint in those words.
_READ_FROM_WORDS = frozenset({Stance.justify, Stance.support, Stance.call_for_restraint})


def _condemnation(g: Ledger, draft: ReactionDraft, spans: list[Span]) -> tuple[Span, tuple[int, int]] | None:
    """The first word that calls the strike wrong in the sentences where the speaker speaks or is
    quoted, with its sentence; None when those sentences also defend or back the strike (or, for a
    call for restraint, ask for it): then the words are mixed and the model's reading stands."""
    said = _said(g, draft, spans)
    blockers = [JUSTIFICATION_WORD] + ([RESTRAINT_WORD] if draft.stance == Stance.call_for_restraint else [])
    if any(b.search(g.text[lo:hi]) for b in blockers for lo, hi in said):
        return None
    return _first(g, CONDEMNATION_WORD, said)


def _said(g: Ledger, draft: ReactionDraft, spans: list[Span]) -> list[tuple[int, int]]:
    """The sentences of the speaker's quote and of every verb that attributes words to them."""
    bounds = {sentences.sentence_bounds(g.text, s.start) for s in spans if s.field in ("quote", "summary")}
    for start, end in _mention_spans(g, draft.speaker):
        if attribution_verb(g.text, start, end) is not None:
            bounds.add(_through_quotation(g.text, *sentences.sentence_bounds(g.text, start)))
    return sorted(bounds)


def _through_quotation(text: str, lo: int, hi: int) -> tuple[int, int]:
    """A sentence that opens a quotation it does not close runs on to the sentence that closes it:
    'X said, "If ... escalations. All ... are legitimate targets."' is one statement."""
    if text.count("“", lo, hi) > text.count("”", lo, hi) and (close := text.find("”", hi, hi + 600)) != -1:
        return lo, sentences.sentence_bounds(text, close)[1]
    return lo, hi


_OWN_SUBJECT = re.compile(r"\s*(?:that\s+)?(?:it|they|we|he|she|its|their|our|his|her)\b", re.I)


def _own_side(draft: ReactionDraft, before_name: str, subject: str) -> bool:
    """Whether the subject of what a speaker said is the speaker's own side: a pronoun ("it", "its
    forces"), a word of their name, or the country written with their name or given as their affiliation."""
    if _OWN_SUBJECT.match(subject):
        return True
    capitals = re.findall(r"[A-Z][\w'’\-]+|(?:[A-Z]\.){2,}", subject)
    if {w.lower() for w in capitals} & {w.lower() for w in draft.speaker.split()}:
        return True
    mine, _ = _owners([re.sub(r"['’]s$", "", w) for w in before_name.split()[-_MAX_QUALIFIERS:]])
    mine |= {key(a) for a in (known_actor(draft.affiliation or ""),) if a}
    theirs, _ = _owners(capitals)
    return bool(mine & theirs)


def _denial(g: Ledger, draft: ReactionDraft, spans: list[Span]) -> tuple[Span, tuple[int, int]] | None:
    """A denial in the speaker's own words: after their name, with no other speaker between ("Iran has
    denied any involvement", "the Council said the United States played no role"), not one they report
    of someone else ("X said Iran denied it")."""
    for lo, hi in _said(g, draft, spans):
        sentence = g.text[lo:hi]
        mine = [start - lo for start, _ in _mention_spans(g, draft.speaker) if lo <= start < hi]
        others = [c.name for c in find_speakers(sentence) if not same_speaker(c.name, draft.speaker)]
        for m in DENIAL_WORD.finditer(sentence):
            named = [at for at in mine if at < m.start()]
            if not named or _DENIED.search(sentence, max(0, m.start() - 30), m.start()):
                continue
            between = sentence[max(named) : m.start()]
            if any(name in between for name in others):
                continue
            # "X said the militia denied any involvement": a denial X reports of someone else; "X said it
            # denied", "the U.S. Council said the United States played no role" are X's own
            said = SPEECH_VERB.search(between)
            if said and not _own_side(draft, sentence[: max(named)], between[said.end() :]):
                continue
            return g.found(lo + m.start(), lo + m.end(), "stance", MatchKind.context), (lo, hi)
    return None


def _first(g: Ledger, words: re.Pattern[str], said: list[tuple[int, int]]) -> tuple[Span, tuple[int, int]] | None:
    """The first of ``words`` in those sentences that is not denied ("was not illegal", "no
    aggression"), as a span, with its sentence."""
    for lo, hi in said:
        for m in words.finditer(g.text, lo, hi):
            if not _DENIED.search(g.text, max(lo, m.start() - 30), m.start()):
                return g.found(m.start(), m.end(), "stance", MatchKind.context), (lo, hi)
    return None


# a negation within the three words before a cue word: "not illegal", "was never a violation", "no aggression"
_DENIED = re.compile(rf"{NEGATION}(?:\s+[\w'’\-]+){{0,2}}\s+$", re.I)


def _gives_figures_only(g: Ledger, speaker: str) -> bool:
    """Whether every sentence naming the speaker tells who was killed or hurt and none states a position (by its
    verb, or by words that condemn or threaten):
    "One person was killed ..., the Hashed said" makes the Hashed a source of figures (as a hospital or
    a monitor is), not a party reacting to the strike."""
    sentences_of = {sentences.sentence_bounds(g.text, start) for start, _ in _mention_spans(g, speaker)}
    if not sentences_of:
        return False
    for lo, hi in sentences_of:
        sentence = g.text[lo:hi]
        # a toll, or people killed or hurt told without a number ("all those present have been killed or
        # injured"): facts of the strike
        toll = bool(find_tolls(sentence))
        if not (toll or HARM.search(sentence)) or any(c is not None for c in _cues_in(sentence, speaker)):
            return False
        if not toll and POSITION_WORD.search(sentence):
            return False  # "she mourned the soldiers killed in the attack and blamed the militia": a position
        if not FIGURE_SOURCE.search(speaker) and (CONDEMNATION_WORD.search(sentence) or THREAT_WORD.search(sentence)):
            return False  # "the treacherous raid killed two of ours, the group said": a position with the toll
    return True


_HIT_BEFORE = re.compile(r"\b(?:killing|death|deaths|assassination|martyrdom|funeral)\s+of\b[^.;]{0,80}$", re.I)
_HIT_AFTER = re.compile(
    r"^[^.;]{0,60}?\b(?:was|were|had been|have been)\s+(?:killed|targeted|assassinated|martyred|hit)\b", re.I
)


def _struck_only(g: Ledger, speaker: str) -> bool:
    """Whether every mention of the name is as someone the strike hit ("the killing of the commander,
    known as Abu X", "X and his companion were targeted") and none as the one speaking: the dead and
    the targeted do not react."""
    spans = _mention_spans(g, speaker)
    if not spans:
        return False
    for start, end in spans:
        lo, hi = sentences.sentence_bounds(g.text, start)
        after = g.text[end:hi]
        if (verb := SPEECH_VERB.search(after)) is not None:
            after = after[: verb.start()]  # "Hezbollah said its commander was killed": Hezbollah speaks
        if attribution_verb(g.text, start, end) is not None:
            return False  # "after the killing of X, Y said": Y speaks
        if not (_HIT_BEFORE.search(g.text[lo:start]) or _HIT_AFTER.search(after)):
            return False
    return True


def _cues_in(sentence: str, speaker: str) -> list[tuple[str, int, int] | None]:
    return [stance_cue(sentence, m.start(), m.end()) for m in re.finditer(re.escape(speaker), sentence)]


def _stance_changed(g: Ledger, draft: ReactionDraft, why: str) -> None:
    """Every stance llmsum changes is reported, with the words or the side that decided it."""
    g.note(ProblemKind.stance_from_text, why, field="stance", speaker=draft.speaker)


# capitalised words written just before a name, on its line: "U.S." or "Iran's Supreme" before "National
# Security Council"
_QUALIFIER_BEFORE = re.compile(r"(?:(?:[A-Z]\.){2,}|[A-Z][\w’'\-]*)[ \t]+$")
_MAX_QUALIFIERS = 5
_BACKED = re.compile(r"-(?:backed|led|allied|aligned|affiliated|funded|supported|sponsored)$", re.I)


def _owners(words: list[str]) -> tuple[frozenset[str], int]:
    """The countries or actors that words written before a name make it belong to ("U.S.", "Iran's",
    "Iraqi", "Saudi Arabia's"), and the index of the first word that names one. "Iran-backed" and
    "US-led" say who backs or leads a body, not whose it is."""
    found: set[str] = set()
    first = len(words)
    i = 0
    while i < len(words):
        if words[i].lower() in ("the", "a", "an"):  # "The U.S. Council": the name starts after it
            i += 1
            continue
        for n in (3, 2, 1):
            phrase = " ".join(words[i : i + n])
            if len(words[i : i + n]) < n or _BACKED.search(words[i + n - 1]):
                continue
            if (actor := known_actor(phrase) or demonym_country(phrase)) is not None:
                found.add(key(actor))
                first = min(first, i)
                i += n - 1
                break
        i += 1
    return frozenset(found), first


def _named_where_said(g: Ledger, draft: ReactionDraft, spans: list[Span]) -> str:
    """The speaker's name as written where they speak, when the bare name the model gave is written of
    bodies of two countries ("Iran's Supreme National Security Council"; "The U.S. National Security
    Council said ..."): the name and its evidence then point there. A name the alias data knows is one
    body already ("Hezbollah"): only its evidence moves. Otherwise the model's name stands."""
    speaker = draft.speaker
    qualified: dict[int, tuple[int, int, frozenset[str]]] = {}
    for start, end in _mention_spans(g, speaker):
        lo = start
        for _ in range(_MAX_QUALIFIERS):  # a title-case headline would run on
            if (m := _QUALIFIER_BEFORE.search(g.text, max(0, lo - 40), lo)) is None:
                break
            lo = m.start()
        tokens = list(re.finditer(r"\S+", g.text[lo:start]))
        owners, first = _owners([re.sub(r"['’]s$", "", t.group(0)) for t in tokens])
        if owners:  # "On Monday Iran's Supreme ...": the name starts at its first owner word
            lo += tokens[first].start()
        qualified[start] = (lo, end, owners)
    owned = [owners for _, _, owners in qualified.values() if owners]
    if not any(not a & b for i, a in enumerate(owned) for b in owned[i + 1 :]):
        return speaker
    said = [sentences.sentence_bounds(g.text, sp.start) for sp in spans if sp.field in ("quote", "summary", "stance")]
    mine = key(known_actor(draft.affiliation or "") or demonym_country(draft.affiliation or "") or "")
    candidates = [
        (start, lo, hi, owners)
        for start, (lo, hi, owners) in qualified.items()
        if owners and any(s_lo <= start < s_hi for s_lo, s_hi in said)
    ]
    # where they speak ("the U.S. Council said"), and of their own country, first
    candidates.sort(key=lambda c: (attribution_verb(g.text, c[0], c[2]) is None, mine not in c[3], c[0]))
    if not candidates:
        return speaker
    start, lo, hi, _ = candidates[0]
    known = alias(speaker, "groups") is not None or alias(speaker, "actors") is not None
    lo = start if known else lo
    name = speaker if known else g.text[lo:hi]
    spans[:] = [sp for sp in spans if sp.field != "speaker"]
    spans.insert(0, g.found(lo, hi, "speaker", MatchKind.exact))
    where = " ".join(g.text[slice(*sentences.sentence_bounds(g.text, lo))].split())[:100]
    g.note(
        ProblemKind.speaker_from_text,
        f"speaker {speaker!r} is written of bodies of more than one country; named as where they speak: "
        f"{g.text[lo:hi]!r} in {where!r}",
        field="speaker",
        speaker=speaker,
    )
    return name


def _mention_spans(g: Ledger, speaker: str) -> list[tuple[int, int]]:
    """Where the speaker's name, or its last word for a person's full name, is written in full words."""
    keys = [speaker]
    parts = [p for p in speaker.split() if len(p) > 3]
    if (
        len(parts) > 1
        and parts[-1][0].isupper()
        and alias(speaker, "groups") is None
        and alias(speaker, "actors") is None
    ):
        # a person's surname; a group's last word may be another group's name, and a lowercase word
        # ("a Syrian official") is no name at all
        keys.append(parts[-1])
    found: list[tuple[int, int]] = []
    for k in keys:
        for m in re.finditer(rf"(?<![\w]){re.escape(k)}(?![\w])", g.text):
            found.append((m.start(), m.end()))
    return sorted(set(found))


def _mentions(g: Ledger, speaker: str, role: str | None) -> list[int]:
    keys = {speaker}
    parts = [p for p in re.split(r"\s+", speaker) if len(p) > 3]
    if len(parts) > 1:
        keys.add(parts[-1])
    if role:
        keys.add(role)
    found: list[int] = []
    hay, index = align.folded(g.text)
    for name in keys:
        k = align.fold(name)
        if len(k) < 3:
            continue
        for m in re.finditer(re.escape(k), hay):
            found.append(index[m.start()])
    return found


def _quote_beside(g: Ledger, speaker: str, role: str | None) -> Span | None:
    """The first quotation in a sentence where the speaker is the one speaking, or in the next
    sentence when it goes on with "he said" / "it called". None when the article only
    paraphrases them."""
    segments = sentences.quoted_segments(g.text)
    for at in sorted(_mentions(g, speaker, role)):
        lo, hi = sentences.sentence_bounds(g.text, at)
        sentence = g.text[lo:hi]
        if not any(same_speaker(c.name, speaker) for c in find_speakers(sentence)):
            continue  # named, but someone else speaks ("... against sites of Kataib Hezbollah")
        windows = [(lo, hi)]
        if hi < len(g.text):
            nxt = sentences.sentence_bounds(g.text, hi)
            if PRONOUN_SAID.search(g.text[nxt[0] : nxt[1]]):
                windows.append(nxt)
        for n, (w_lo, w_hi) in enumerate(windows):
            inside = [(a, b) for a, b in segments if w_lo <= a and b <= w_hi and len(g.text[a:b].split()) >= 2]
            window_speakers = find_speakers(g.text[w_lo:w_hi])
            if n == 0:  # a quote belongs to the attribution nearest to it
                inside = [(a, b) for a, b in inside if _nearest_speaker(window_speakers, w_lo, a, b, speaker)]
            elif window_speakers:
                continue  # "he said" may be someone else once another name is in the sentence
            if inside:
                a, b = inside[0]
                text = g.text[a:b].strip(" ,;:")
                a = g.text.index(text, a)
                return Span(text=text, start=a, end=a + len(text), field="quote", match=MatchKind.beside, score=100.0)
    return None


def _owner(g: Ledger, quote: Span, draft: ReactionDraft, speakers: list[str]) -> str | None:
    """Another listed speaker the article puts ``quote`` beside, if any: only then is the quotation
    somebody else's (a quotation that merely runs on a paragraph later stays the speaker's own)."""
    for other in speakers:
        if same_speaker(other, draft.speaker):
            continue
        theirs = _quote_beside(g, other, None)
        if theirs is not None and theirs.start < quote.end and quote.start < theirs.end:
            return other
    return None


def _nearest_speaker(candidates: list[Candidate], offset: int, a: int, b: int, speaker: str) -> bool:
    """Whether ``speaker`` is the attribution closest to the quotation text[a:b]."""

    def distance(c: Candidate) -> int:
        at = offset + c.start
        return a - at if at < a else max(0, at - b)

    return bool(candidates) and same_speaker(min(candidates, key=distance).name, speaker)


def _inside_quotation_marks(g: Ledger, hit: Span) -> Span | None:
    """The part of ``hit`` that the article puts in quotation marks, or None if no part is.

    Models given the attribution sentence sometimes copy the narration around a quote with it."""
    best: tuple[int, int] | None = None
    for start, end in sentences.quoted_segments(g.text):
        lo, hi = max(start, hit.start), min(end, hit.end)
        if hi - lo > 0 and (best is None or hi - lo > best[1] - best[0]):
            best = (lo, hi)
    if best is None:
        return None
    lo, hi = best
    while lo < hi and g.text[lo] in " \t\n":
        lo += 1
    while hi > lo and g.text[hi - 1] in " \t\n,;:":
        hi -= 1
    if (lo, hi) == (hit.start, hit.end):
        return hit
    if len(g.text[lo:hi].split()) < 2:
        return None
    return hit.model_copy(update={"start": lo, "end": hi, "text": g.text[lo:hi], "match": MatchKind.quoted})


def _attributed(g: Ledger, draft: ReactionDraft, quote: Span, speakers: list[str]) -> bool:
    """The quote must sit in the same sentence as its speaker, or up to two sentences after,
    and no other speaker of this article may be named closer before it."""
    q = sentences.sentence_index(g.text, quote.start)
    q_end = sentences.sentence_index(g.text, max(quote.start, quote.end - 1))
    own = [sentences.sentence_index(g.text, p) for p in _mentions(g, draft.speaker, draft.role)]
    near = [s for s in own if q - 2 <= s <= q_end]
    if not near:
        return False
    if any(s >= q for s in near):
        return True
    closest_own = max(near)
    for other in speakers:
        if align.fold(other) == align.fold(draft.speaker):
            continue
        for p in _mentions(g, other, None):
            s = sentences.sentence_index(g.text, p)
            if closest_own < s <= q and p < quote.start:
                return False
    return True
