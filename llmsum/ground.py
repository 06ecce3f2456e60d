"""Grounding: every quote, name, place and figure is located in the article or dropped.

Nothing ungrounded is kept silently: each dropped value becomes a ``Problem`` naming the field
and the reason, and each kept one carries an evidence span (verbatim slice + offsets + how it
matched).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import BaseModel

from llmsum import align
from llmsum.casualties import StrikeScope, Toll, find_tolls, toll_range, tolls_for
from llmsum.dates import resolve_date
from llmsum.models import (
    Article,
    ArticleDraft,
    Figure,
    FigureDraft,
    FigurePart,
    Location,
    OfficialReaction,
    Problem,
    ReactionDraft,
    Span,
    StrikeDraft,
    StrikeReport,
)
from llmsum.numbers import TARGET_WORDS, numbers_in, read_figure, sums_nearby
from llmsum.speakers import PRONOUN_SAID, Candidate, find_speakers, same_speaker
from llmsum.targets import is_known_group, known_groups_hit

QUOTE_THRESHOLD = 90.0
NAME_THRESHOLD = 88.0
_KILLED_WORDS = re.compile(r"kill|dead|death|died|martyr|lives|slain|fatalit|toll|bodies", re.I)
_WOUNDED_WORDS = re.compile(r"wound|injur|hurt|casualt", re.I)
# Reactions are statements by officials and organisations; the people reporting the news are not.
_JOURNALIST = re.compile(r"\b(?:reporter|correspondent|journalist|news agency|editor|analyst)\b", re.I)
_QUALIFIER_BEFORE = re.compile(
    r"\b(?:at least|more than|over|up to|as many as|nearly|almost|around|about|some)\s+$", re.I
)
_STRIKE_WORD = r"(?:air\s?strikes?|strikes?|raids?|bombing|bombardment|struck|attacked|targeted)"
_DAY = (
    r"(?P<date>(?:(?:on|late on|early on|late|early|pre-dawn)\s+)?(?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)|yesterday|overnight|last night|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}\b|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)"
)
_STRIKE_THEN_DATE = re.compile(rf"\b{_STRIKE_WORD}\b[^.\n]{{0,60}}?\b{_DAY}", re.I)
_DATE_THEN_STRIKE = re.compile(rf"\b{_DAY}\b[^.\n]{{0,40}}?\b{_STRIKE_WORD}\b", re.I)


@dataclass
class Grounder:
    article: Article
    problems: list[Problem] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def span(self, needle: str | None, field_name: str, threshold: float = NAME_THRESHOLD) -> Span | None:
        if not needle:
            return None
        hit = align.find(needle, self.text, threshold=threshold)
        if hit is None:
            return None
        return Span(
            text=self.text[hit.start : hit.end],
            start=hit.start,
            end=hit.end,
            field=field_name,
            match=hit.method,
            score=hit.score,
        )

    def unverified(self, field_name: str, value: object) -> None:
        """Kept but flagged: a paraphrase such as 'United States' for 'American jets' is often right,
        and the reader is told it is not a verbatim span."""
        self.problems.append(
            Problem(
                kind="unverified",
                message=f"{field_name} {value!r} is not written as such in the article; kept as the model's paraphrase",
                field=field_name,
            )
        )

    def flag(self, kind: str, message: str, speaker: str) -> None:
        """A problem with a reaction's quote, kept for the reader next to the reaction."""
        self.problems.append(Problem(kind=kind, message=message, field="quote", speaker=speaker))

    def drop(self, field_name: str, value: object, why: str) -> None:
        self.problems.append(
            Problem(kind="ungrounded", message=f"{field_name} {value!r} dropped: {why}", field=field_name)
        )

    # ------------------------------------------------------------------ figures

    def figure(self, draft: FigureDraft, field_name: str, words: re.Pattern[str]) -> tuple[Figure, list[Span]]:
        """A figure is kept only if its number is written in the article near casualty words."""
        wanted = draft.min if draft.min is not None else draft.max
        if wanted is None and not draft.text:
            return Figure(), []
        phrase = self.span(draft.text, field_name) if draft.text else None
        if phrase is not None:
            phrase = self._with_qualifier(phrase)
            parsed = read_figure(phrase.text, words)
            if parsed is not None and words.search(phrase.text):
                lo, hi = parsed
                if (lo, hi) != (draft.min, draft.max) and wanted is not None:
                    self.problems.append(
                        Problem(
                            kind="figure_corrected",
                            message=f"{field_name}: model said {draft.min}/{draft.max}, the text "
                            f"{phrase.text!r} reads {lo}/{hi}",
                            field=field_name,
                        )
                    )
                return Figure(min=lo, max=hi, text=phrase.text), [phrase]
        if wanted is not None:
            found = self._number_near(wanted, words, field_name)
            if found is not None:
                lo, hi = draft.min, draft.max
                if lo is not None and hi is not None and lo > hi:
                    lo, hi = hi, lo
                spans = [found]
                if hi is not None and hi != lo:  # the other end of a range must be written too
                    upper = self._number_near(hi, words, field_name)
                    if upper is None:
                        self.drop(f"{field_name}.max", hi, "this upper figure is not in the article")
                        hi = None
                    else:
                        spans.append(upper)
                return Figure(min=lo, max=hi, text=found.text), spans
        self.drop(field_name, draft.text or wanted, "the number is not written near casualty words in the article")
        return Figure(), []

    def _with_qualifier(self, span: Span) -> Span:
        """Models often copy "25 fighters died" from "at least 25 fighters died": the qualifier
        just before the copied words changes the figure, so it joins the span."""
        before = self.text[max(0, span.start - 30) : span.start]
        m = _QUALIFIER_BEFORE.search(before)
        if m is None:
            return span
        start = span.start - (len(before) - m.start())
        return span.model_copy(update={"start": start, "text": self.text[start : span.end]})

    def _number_near(self, value: int, words: re.Pattern[str], field_name: str) -> Span | None:
        for number in numbers_in(self.text):
            if number.value != value:
                continue
            lo, hi = align.sentence_bounds(self.text, number.start)
            window = self.text[max(lo, number.start - 50) : min(hi, number.end + 50)]
            if words.search(window):
                return Span(
                    text=self.text[number.start : number.end],
                    start=number.start,
                    end=number.end,
                    field=field_name,
                    match="number",
                    score=100.0,
                )
        return None

    def facilities(self, value: int | None) -> tuple[int | None, list[Span]]:
        if value is None:
            return None, []
        found = self._number_near(value, TARGET_WORDS, "facilities_struck")
        if found is not None:
            return value, [found]
        nums = numbers_in(self.text)
        for total, start, end in sums_nearby(nums, self.text):
            if total == value and TARGET_WORDS.search(self.text[slice(*align.sentence_bounds(self.text, start))]):
                return value, [
                    Span(
                        text=self.text[start:end],
                        start=start,
                        end=end,
                        field="facilities_struck",
                        match="sum",
                        score=100.0,
                    )
                ]
        self.drop("facilities_struck", value, "no such count of facilities or targets in the article")
        return None, []

    # ------------------------------------------------------------------ names

    def names(self, values: list[str], field_name: str) -> tuple[list[str], list[Span]]:
        kept, spans = [], []
        for value in values:
            hit = self.span(value, field_name)
            if hit is None:
                self.drop(field_name, value, "name not found in the article")
                continue
            kept.append(value)
            spans.append(hit)
        return kept, spans

    # ------------------------------------------------------------------ records

    def strike(self, draft: StrikeDraft) -> StrikeReport:
        spans: list[Span] = []
        groups, s = self.names(draft.target_groups, "target_groups")
        spans += s
        locations: list[Location] = []
        for loc in draft.locations:
            hit = self.span(loc.name, "locations")
            if hit is None:
                self.drop("locations", loc.name, "place not found in the article")
                continue
            locations.append(Location(name=loc.name, admin1=loc.admin1, country=loc.country))
            spans.append(hit)
        if attacker := self.span(draft.attacker, "attacker"):
            spans.append(attacker)
        elif draft.attacker:
            self.unverified("attacker", draft.attacker)
        event_date, date_text = None, draft.date_text
        if draft.date_text:
            hit = self.span(draft.date_text, "date_text")
            if hit is None:
                self.drop("date_text", draft.date_text, "wording not found in the article")
                date_text = None
            elif align.is_caption(self.text, hit.start):
                self.drop("date_text", draft.date_text, "taken from a photo caption, not the report")
                date_text = None
            else:
                spans.append(hit)
                event_date, how = resolve_date(hit.text, self.article.published)
                if event_date is None:
                    self.problems.append(Problem(kind="date_unresolved", message=f"{hit.text!r}: {how}"))
        if event_date is None and date_text is None and not draft.background:
            found = self._date_from_context()
            if found is not None:
                event_date, span = found
                date_text = span.text
                spans.append(span)
        killed, s = self.figure(draft.killed, "killed", _KILLED_WORDS)
        spans += s
        wounded, s = self.figure(draft.wounded, "wounded", _WOUNDED_WORDS)
        spans += s
        facilities, s = self.facilities(draft.facilities_struck)
        spans += s
        attributed = draft.attributed_to
        if attributed and (hit := self.span(attributed, "attributed_to")):
            spans.append(hit)
        elif attributed:
            self.unverified("attributed_to", attributed)
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
        )

    def _date_from_context(self) -> tuple[str, Span] | None:
        """When the model gave no date wording, take the day named next to a strike word in the
        article itself ("strikes on Sunday", "On Tuesday, the US launched strikes")."""
        if not self.article.published:
            return None
        for pattern in (_STRIKE_THEN_DATE, _DATE_THEN_STRIKE):
            for m in pattern.finditer(self.text):
                if align.is_caption(self.text, m.start()):
                    continue
                start, end = m.span("date")
                event_date, _ = resolve_date(self.text[start:end], self.article.published)
                if event_date is None:
                    continue
                span = Span(
                    text=self.text[start:end], start=start, end=end, field="date_text", match="context", score=100.0
                )
                self.problems.append(
                    Problem(
                        kind="date_from_context",
                        message=f"the model gave no date; the article says {self.text[m.start() : m.end()]!r}",
                    )
                )
                return event_date, span
        return None

    def reaction(self, draft: ReactionDraft, speakers: list[str], n_strikes: int) -> OfficialReaction | None:
        who = self.span(draft.speaker, "speaker")
        if who is None and draft.role:
            who = self.span(draft.role, "speaker")
            if who is not None:
                self.unverified("speaker", draft.speaker)
        if who is None:
            self.drop("speaker", draft.speaker, "speaker not named in the article; reaction dropped")
            return None
        if _JOURNALIST.search(f"{draft.speaker} {draft.role or ''}"):
            self.problems.append(
                Problem(
                    kind="not_a_reaction",
                    message=f"{draft.speaker!r} reports the news; not an official reaction",
                    field="speaker",
                )
            )
            return None
        spans = [who]
        quote, summary = None, draft.summary
        if draft.quote:
            hit = self.span(draft.quote, "quote", threshold=QUOTE_THRESHOLD)
            if hit is None:
                self.drop("quote", draft.quote, f"not in the article (speaker {draft.speaker})")
            elif (inside := self._inside_quotation_marks(hit)) is None:
                # the article's narration, not their words: kept as what they said, never as a quote
                self.flag(
                    "not_a_quote",
                    f"{hit.text[:80]!r} is not inside quotation marks; kept as the summary of {draft.speaker!r}",
                    draft.speaker,
                )
                summary = summary or hit.text
                spans.append(hit.model_copy(update={"field": "summary"}))
            else:
                hit = inside
                quote = hit.text
                spans.append(hit)
                if not self._attributed(draft, hit, speakers):
                    self.flag(
                        "possible_misattribution",
                        f"quote {hit.text[:80]!r} is not next to {draft.speaker!r} in the article",
                        draft.speaker,
                    )
        if quote is None and (said := self._quote_beside(draft.speaker, draft.role)) is not None:
            # the model gave no quote (or narration): take the words the article quotes beside the name
            quote = said.text
            spans.append(said)
            self.flag(
                "quote_from_text", f"quote of {draft.speaker!r} taken from the quotation beside the name", draft.speaker
            )
        about = draft.about if draft.about is not None and 0 <= draft.about < n_strikes else None
        return OfficialReaction(
            speaker=draft.speaker,
            role=draft.role,
            affiliation=draft.affiliation,
            stance=draft.stance,
            quote=quote,
            summary=summary,
            about=about,
            evidence=spans,
        )

    def _mentions(self, speaker: str, role: str | None) -> list[int]:
        keys = {speaker}
        parts = [p for p in re.split(r"\s+", speaker) if len(p) > 3]
        if len(parts) > 1:
            keys.add(parts[-1])
        if role:
            keys.add(role)
        found: list[int] = []
        hay, index = align.folded(self.text)
        for key in keys:
            k = align.fold(key)
            if len(k) < 3:
                continue
            for m in re.finditer(re.escape(k), hay):
                found.append(index[m.start()])
        return found

    def _quote_beside(self, speaker: str, role: str | None) -> Span | None:
        """The first quotation in a sentence where the speaker is the one speaking, or in the next
        sentence when it goes on with "he said" / "it called". None when the article only
        paraphrases them."""
        segments = align.quoted_segments(self.text)
        for at in sorted(self._mentions(speaker, role)):
            lo, hi = align.sentence_bounds(self.text, at)
            sentence = self.text[lo:hi]
            if not any(same_speaker(c.name, speaker) for c in find_speakers(sentence)):
                continue  # named, but someone else speaks ("... against sites of Kataib Hezbollah")
            windows = [(lo, hi)]
            if hi < len(self.text):
                nxt = align.sentence_bounds(self.text, hi)
                if PRONOUN_SAID.search(self.text[nxt[0] : nxt[1]]):
                    windows.append(nxt)
            for n, (w_lo, w_hi) in enumerate(windows):
                inside = [(a, b) for a, b in segments if w_lo <= a and b <= w_hi and len(self.text[a:b].split()) >= 2]
                window_speakers = find_speakers(self.text[w_lo:w_hi])
                if n == 0:  # a quote belongs to the attribution nearest to it
                    inside = [(a, b) for a, b in inside if self._nearest_speaker(window_speakers, w_lo, a, b, speaker)]
                elif window_speakers:
                    continue  # "he said" may be someone else once another name is in the sentence
                if inside:
                    a, b = inside[0]
                    text = self.text[a:b].strip(" ,;:")
                    a = self.text.index(text, a)
                    return Span(text=text, start=a, end=a + len(text), field="quote", match="beside", score=100.0)
        return None

    @staticmethod
    def _nearest_speaker(candidates: list[Candidate], offset: int, a: int, b: int, speaker: str) -> bool:
        """Whether ``speaker`` is the attribution closest to the quotation text[a:b]."""

        def distance(c: Candidate) -> int:
            at = offset + c.start
            return a - at if at < a else max(0, at - b)

        return bool(candidates) and same_speaker(min(candidates, key=distance).name, speaker)

    def _inside_quotation_marks(self, hit: Span) -> Span | None:
        """The part of ``hit`` that the article puts in quotation marks, or None if no part is.

        Models given the attribution sentence sometimes copy the narration around a quote with it."""
        best: tuple[int, int] | None = None
        for start, end in align.quoted_segments(self.text):
            lo, hi = max(start, hit.start), min(end, hit.end)
            if hi - lo > 0 and (best is None or hi - lo > best[1] - best[0]):
                best = (lo, hi)
        if best is None:
            return None
        lo, hi = best
        while lo < hi and self.text[lo] in " \t\n":
            lo += 1
        while hi > lo and self.text[hi - 1] in " \t\n,;:":
            hi -= 1
        if (lo, hi) == (hit.start, hit.end):
            return hit
        if len(self.text[lo:hi].split()) < 2:
            return None
        return hit.model_copy(update={"start": lo, "end": hi, "text": self.text[lo:hi], "match": "quoted"})

    def _attributed(self, draft: ReactionDraft, quote: Span, speakers: list[str]) -> bool:
        """The quote must sit in the same sentence as its speaker, or up to two sentences after,
        and no other speaker of this article may be named closer before it."""
        q = align.sentence_index(self.text, quote.start)
        q_end = align.sentence_index(self.text, max(quote.start, quote.end - 1))
        own = [align.sentence_index(self.text, p) for p in self._mentions(draft.speaker, draft.role)]
        near = [s for s in own if q - 2 <= s <= q_end]
        if not near:
            return False
        if any(s >= q for s in near):
            return True
        closest_own = max(near)
        for other in speakers:
            if align.fold(other) == align.fold(draft.speaker):
                continue
            for p in self._mentions(other, None):
                s = align.sentence_index(self.text, p)
                if closest_own < s <= q and p < quote.start:
                    return False
        return True


def check_draft(draft: BaseModel, article: Article) -> list[str]:
    """What a re-ask should tell the model: each quote, name or figure not found in the article.

    Works on a whole draft or on either half of a two-call extraction."""
    text = article.text
    complaints: list[str] = []
    for r in getattr(draft, "reactions", []):
        if r.quote and align.find(r.quote, text, threshold=QUOTE_THRESHOLD) is None:
            complaints.append(f"quote of {r.speaker}: {r.quote!r}")
        if align.find(r.speaker, text, threshold=NAME_THRESHOLD) is None and not (
            r.role and align.find(r.role, text, threshold=NAME_THRESHOLD)
        ):
            complaints.append(f"speaker {r.speaker!r}")
    for i, s in enumerate(getattr(draft, "strikes", [])):
        for g in s.target_groups:
            if align.find(g, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].target_groups: {g!r}")
        for loc in s.locations:
            if align.find(loc.name, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].locations: {loc.name!r}")
        for name, fig in (("killed", s.killed), ("wounded", s.wounded)):
            if fig.text and align.find(fig.text, text, threshold=NAME_THRESHOLD) is None:
                complaints.append(f"strikes[{i}].{name}.text: {fig.text!r}")
    return complaints


def _scope(strike: StrikeReport) -> StrikeScope:
    # not the date wording: "on Monday" names no strike ("Separately on Monday, a car bomb ...")
    return StrikeScope(strike.attacker, [*strike.target_groups, *(loc.name for loc in strike.locations)])


def _only_main(strikes: list[StrikeReport]) -> StrikeReport | None:
    """The article's one main strike. With several, a toll or group could belong to any of them:
    their values stay the model's."""
    main = [s for s in strikes if not s.background]
    return main[0] if len(main) == 1 else None


def _add_tolls(g: Grounder, strikes: list[StrikeReport], strike: StrikeReport) -> None:
    """Give the main strike every toll the text writes for it, as a range with parts."""
    others = [_scope(s) for s in strikes if s is not strike]
    text = g.text
    every = find_tolls(text)
    found = tolls_for(text, _scope(strike), others, every)
    for name in ("killed", "wounded"):
        tolls = [t for t in found if t.kind == name]
        if not tolls:
            continue
        old: Figure = getattr(strike, name)
        old_spans = [sp for sp in strike.evidence if sp.field == name]

        # who gives each toll: named in its sentence, else the model's source if it is the model's figure
        parts = [
            FigurePart(
                min=t.min,
                max=t.max,
                text=text[t.start : t.end],
                start=t.start,
                end=t.end,
                attributed_to=_speaker(text, t)
                or (strike.attributed_to if any(_overlaps(sp, t) for sp in old_spans) else None),
            )
            for t in tolls
        ]
        # a figure the model found in wording these patterns miss is kept as one more part
        if old.min is not None and old_spans and not any(_overlaps(sp, t) for sp in old_spans for t in every):
            sp = old_spans[0]
            parts.append(
                FigurePart(
                    min=old.min,
                    max=old.max,
                    text=sp.text,
                    start=sp.start,
                    end=sp.end,
                    attributed_to=strike.attributed_to,
                )
            )
        parts.sort(key=lambda p: p.start)
        lo, hi = toll_range(parts)
        text_as_written = " | ".join(dict.fromkeys(p.text for p in parts))
        figure = Figure(min=lo, max=hi, text=text_as_written, parts=parts)
        if (lo, hi) != (old.min, old.max):
            g.problems.append(
                Problem(
                    kind="figure_from_text",
                    message=f"{name}: the model said {_range_text(old)}; the article's tolls for this strike "
                    f"read {_range_text(figure)} ({figure.text!r})",
                    field=name,
                )
            )
        spans = [Span(text=p.text, start=p.start, end=p.end, field=name, match="toll", score=100.0) for p in parts]
        strike.evidence = [sp for sp in strike.evidence if sp.field != name] + spans
        setattr(strike, name, figure)


def _add_group(g: Grounder, strike: StrikeReport) -> None:
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
        Span(text=group.name, start=group.start, end=group.end, field="target_groups", match="context", score=100.0)
    )
    g.problems.append(
        Problem(
            kind="group_from_text",
            message=f"target group {group.name!r} added: the article names it where it says the strike hit",
            field="target_groups",
        )
    )


def _overlaps(span: Span, toll: Toll) -> bool:
    return span.start < toll.end and toll.start < span.end


def _range_text(figure: Figure) -> str:
    if figure.min is None and figure.max is None:
        return "nothing"
    return f"{figure.min}..{'' if figure.max is None else figure.max}"


_SAY = r"(?:said|says|told|reported|confirmed|announced|added|claimed)"
_SAID_BEFORE = re.compile(rf"(?P<who>[^,;:.]{{2,90}}?)\s+(?:also\s+)?{_SAY}\b")
_SAID_AFTER = re.compile(rf",\s*(?P<who>[^,;:.]{{2,60}}?)\s+{_SAY}\b")
_PRONOUN = re.compile(r"^(?:he|she|it|they|we|i|officials?|sources?)$", re.I)


def _speaker(text: str, toll: Toll) -> str | None:
    """Who gives this toll, when its own sentence says so: "Iraqi security sources and militias
    said at least 25 ...", "One person was killed ..., the Hashed said"."""
    lo, hi = align.sentence_bounds(text, toll.start)
    before = _SAID_BEFORE.search(text[lo : toll.start])
    after = _SAID_AFTER.search(text[toll.end : hi])
    for m in (before, after):
        if m is None:
            continue
        who = re.sub(r"^(?:but|and|so|meanwhile|initially|however)\s+", "", m.group("who").strip(), flags=re.I)
        who = re.sub(r"\s+on\s+\w+$", "", re.sub(r"^(?:(?:late |early )?on|in|by)\s+\w+,?\s+", "", who, flags=re.I))
        if len(who.split()) <= 10 and not _PRONOUN.match(who):
            return who
    return None


def ground(article: Article, draft: ArticleDraft) -> tuple[list[StrikeReport], list[OfficialReaction], list[Problem]]:
    """Turn a model's draft into grounded contract records plus the problems found."""
    g = Grounder(article)
    strikes: list[StrikeReport] = []
    seen: dict[str, int] = {}
    kept_at: dict[int, int] = {}  # the model's strike index -> its index after drops, for `about`
    for i, s in enumerate(draft.strikes):
        fingerprint = s.model_dump_json()
        if fingerprint in seen:  # small models repeat list items verbatim
            g.problems.append(Problem(kind="duplicate_strike", message="the model listed the same strike twice"))
            if seen[fingerprint] in kept_at:
                kept_at[i] = kept_at[seen[fingerprint]]
            continue
        seen[fingerprint] = i

        strike = g.strike(s)
        if not any(span.field != "attacker" and span.match != "context" for span in strike.evidence):
            # nothing about it (target, place, date, figure) is in the article: an invented strike
            g.problems.append(
                Problem(
                    kind="ungrounded_strike",
                    message=f"strike by {s.attacker!r} dropped: none of its targets, "
                    "places, date or figures are in the article",
                )
            )
            continue
        kept_at[i] = len(strikes)
        strikes.append(strike)
    if (main := _only_main(strikes)) is not None:
        _add_tolls(g, strikes, main)
        _add_group(g, main)
    speakers = [r.speaker for r in draft.reactions]
    reactions = []
    for d in draft.reactions:
        about = kept_at.get(d.about) if d.about is not None else None
        if (r := g.reaction(d.model_copy(update={"about": about}), speakers, len(strikes))) is not None:
            reactions.append(r)
    return strikes, reactions, g.problems
