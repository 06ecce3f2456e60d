"""Coding events the way event datasets do: how a strike was carried out (PLOVER mode, CAMEO code),
UCDP-style estimates and precision, ACLED's conservative fatalities, who the victims were.

Analysts load strike briefs next to POLECAT (PLOVER), ACLED and UCDP GED, so each event says what
those codebooks would ask of it. Every value is read from what the pipeline already has: the strike's
evidence spans and the sentences they sit in, its date wording, its place names, its tolls' wording.
Nothing is guessed; where no article says, the value stays None. The wording rules live here; the
codebooks' vocabularies and fixed tables in ``llmsum.models.codebooks``; docs/coding.md gives the
source of each rule and what llmsum does where the codebooks are silent.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from llmsum.models import (
    ArticleRef,
    Conflict,
    ConflictValue,
    Cue,
    DatePrecision,
    Event,
    EventFigure,
    FigureReport,
    Location,
    LocationPrecision,
    PloverMode,
    VictimKind,
)
from llmsum.models.codebooks import ACLED_VAGUE_TOLLS, STRIKE_CAMEO, STRIKE_CONTEXT
from llmsum.prose import sentences
from llmsum.prose.dates import resolve_date
from llmsum.prose.names import alias, countries, key
from llmsum.prose.numbers import vague_in
from llmsum.reconcile.cluster import Report

# --------------------------------------------------------------------------- strikes

# How a strike was carried out, as news prose words it. A drone strike is also an air strike in many
# outlets' wording, so the more specific mode wins within one article (the order of this table).
MODE_CUES: tuple[tuple[PloverMode, re.Pattern[str]], ...] = (
    (
        PloverMode.drone,
        re.compile(
            r"\b(?:drone|UAV)[- ](?:strikes?|attacks?|raids?|bombings?)\b"
            r"|\b(?:by|from|using|with)\s+(?:(?:an?|armed|unmanned|attack|suicide|kamikaze)\s+)*(?:drones?|UAVs?)\b"
            r"|\bunmanned aerial vehicles?\b|\bdrones?\s+(?:struck|hit|targeted|fired|bombed|attacked)\b",
            re.I,
        ),
    ),
    (
        PloverMode.aerial,
        re.compile(
            r"\bair[- ]?strikes?\b|\bair[- ]raids?\b|\baerial\s+(?:strikes?|attacks?|bombardments?|bombing)\b"
            r"|\bwar ?planes?\b|\b(?:fighter[- ])?jets\b|\bbombers\b|\bfighter aircraft\b|\bmilitary aircraft\b"
            r"|\bhelicopters?\b|\bgunships?\b|\bF-\d{2}[A-Z]?s?\b|\bB-\d{1,2}s?\b",
            re.I,
        ),
    ),
    (
        PloverMode.heavy_weapons,
        re.compile(
            r"\b(?:ballistic|cruise|guided)\s+missiles?\b|\bmissile\s+(?:strikes?|attacks?|barrages?)\b"
            r"|\b(?:fired|launched)\s+(?:\S+\s+){0,3}?(?:missiles|rockets)\b|\brocket\s+(?:attacks?|fire|strikes?)\b"
            r"|\bartillery\b|\bshelling\b",
            re.I,
        ),
    ),
)
# A weapon named after these words belongs to another attack: the one this strike answered
# ("after a drone attack", "followed a rocket attack"), the one a group is blamed for, or what the
# targets were used for. Unless the strike's own attacker is named right before it ("... after
# American air strikes targeted ...").
_OTHER_ATTACK = re.compile(
    r"\b(?:after|following|followed|follows|for|against|over|since|behind|blamed|response|retaliation|"
    r"retaliatory)\b(?:\s+[\w'’\-,]+){0,3}\s*$",
    re.I,
)
_WORD = re.compile(r"[\w.'’\-]+")


def _names_attacker(words: str, attacker: str | None) -> bool:
    """Whether ``words`` end with a name of ``attacker`` ("American", "the US's", "Israeli")."""
    if not attacker:
        return False
    tail = _WORD.findall(words)[-4:]
    for n in range(1, len(tail) + 1):
        name = re.sub(r"['’]s$", "", " ".join(tail[-n:]))
        if key(name) == key(attacker) or alias(name, "actors") == attacker:
            return True
    return False


def mode_cues(
    text: str, start: int = 0, end: int | None = None, attacker: str | None = None
) -> list[tuple[PloverMode, int, int]]:
    """(mode, start, end) of every wording in ``text[start:end]`` that says how a strike was carried
    out, leaving out the weapons of other attacks ("after a drone attack")."""
    end = len(text) if end is None else end
    found: list[tuple[PloverMode, int, int]] = []
    for mode, pattern in MODE_CUES:
        for m in pattern.finditer(text, start, end):
            before = text[max(start, m.start() - 60) : m.start()]
            if _OTHER_ATTACK.search(before) and not _names_attacker(before, attacker):
                continue
            if any(s <= m.start() < e for _, s, e in found):
                continue  # "drone strike" is not also an "air strike"
            found.append((mode, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


# Evidence that ties a sentence to this strike most closely: who did it, and when.
_ANCHORS = frozenset({"attacker", "date_text"})


def _article_mode(
    reports: Sequence[Report], text: str | None, title: str | None, article_id: str
) -> tuple[PloverMode | None, list[Cue]]:
    """One article's word for how the strike was carried out.

    Read first in the words naming the strike's attacker or date themselves ("this weekend's drone
    attack"), then in the sentences around them (and the title), then in the other sentences that carry
    its evidence; without the text, in the evidence's own words. Within what is read, the most specific
    mode wins ("a drone strike" is also "an air strike")."""
    tiers: list[list[Cue]] = [[], [], []]
    for report in reports:
        for span in report.strike.evidence:
            anchor = span.field in _ANCHORS
            if text and span.end <= len(text):
                lo, hi = sentences.sentence_bounds(text, span.start)
                for m, s, e in mode_cues(text, lo, hi, report.attacker):
                    cue = Cue.model_construct(
                        field="mode", value=m.value, text=text[s:e], article_id=article_id, start=s, end=e
                    )
                    inside = span.start <= s and e <= span.end
                    tiers[0 if anchor and inside else 1 if anchor else 2].append(cue)
            else:
                tiers[0 if anchor else 2] += [
                    Cue.model_construct(field="mode", value=m.value, text=span.text[s:e], article_id=article_id)
                    for m, s, e in mode_cues(span.text, attacker=report.attacker)
                ]
    if title and not (text and title in text):
        attacker = reports[0].attacker if reports else None
        tiers[1] += [
            Cue.model_construct(field="mode", value=m.value, text=title[s:e], article_id=article_id)
            for m, s, e in mode_cues(title, attacker=attacker)
        ]
    for tier in tiers:
        for mode, _ in MODE_CUES:
            chosen = [c for c in tier if c.value == mode.value]
            if chosen:
                return mode, list({(c.text, c.start): c for c in chosen}.values())
    return None, []


def strike_mode(by_article: Mapping[str, PloverMode | None]) -> PloverMode | None:
    """The event's mode: the one most articles name; ties go to the more specific."""
    counts = Counter(mode for mode in by_article.values() if mode is not None)
    if not counts:
        return None
    order = [mode for mode, _ in MODE_CUES]
    return sorted(counts, key=lambda m: (-counts[m], order.index(m)))[0]


# --------------------------------------------------------------------------- precision

_MONTH_NAMES = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
# Wordings that date an event only roughly, most precise first (day-precise wording is whatever
# llmsum.prose.dates resolves to one day).
DATE_WORDING: tuple[tuple[DatePrecision, re.Pattern[str]], ...] = (
    (
        DatePrecision.week,
        re.compile(r"\b(?:this|last|past|previous|earlier this)\s+week(?:end)?\b|\bdays\s+(?:ago|earlier)\b", re.I),
    ),
    (
        DatePrecision.month,
        re.compile(
            rf"\b(?:this|last|earlier this|early|late|mid-?)\s*month\b|\b(?:in|early|late|mid-?)\s+{_MONTH_NAMES}\b",
            re.I,
        ),
    ),
    (DatePrecision.year, re.compile(r"\b(?:this|last|earlier this)\s+year\b|\bin\s+\d{4}\b", re.I)),
)


def date_precision(date_text: str | None, published: str | None) -> DatePrecision | None:
    """How precisely a strike's own date wording dates it: "on Sunday" resolved from the dateline is
    day-precise; "earlier this month" dates it to the month. None when there is no wording."""
    if not date_text:
        return None
    if resolve_date(date_text, published)[0] is not None:
        return DatePrecision.day
    for precision, pattern in DATE_WORDING:
        if pattern.search(date_text):
            return precision
    return None


_COMPASS = r"(?:north|south|east|west|central)(?:ern)?|(?:north|south)-?(?:east|west)(?:ern)?"
_SITE = re.compile(
    r"\b(?:base|airport|airbase|consulate|embassy|street|road|camp|headquarters|checkpoint|point|facility|"
    r"compound|building|house|village|town|city|port|bridge|hospital|school|market|district of)\b",
    re.I,
)
_NEAR = re.compile(
    rf"^(?:near|outside|close to|on the outskirts of|the outskirts of|outskirts of|\d+\s*(?:km|kilomet\w*|miles?))\b"
    rf"|^(?:{_COMPASS})?\s*of\s+[A-Z]",
    re.I,
)
_PROVINCE = re.compile(r"\b(?:province|governorate|oblast|state|prefecture)$", re.I)
_DISTRICT = re.compile(r"\b(?:district|county|municipality|subdistrict|qadaa|qada)$", re.I)
_PART_OF = re.compile(rf"\b(?:{_COMPASS})\s+(?P<country>[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?)")
_REGION = re.compile(r"\b(?:borders?|border areas?|regions?|countryside|desert|coast|coastline|areas? of)\b", re.I)
_INTERNATIONAL = re.compile(r"\b(?:sea|gulf|strait|ocean|international waters|airspace)\b", re.I)


def location_precision(location: Location) -> LocationPrecision:
    """How precisely a place name locates a strike, from its wording and the country list:
    "Iraq" is country-level, "eastern Syria" a region, "Anbar province" a province, "south of
    Baghdad" near a place, "Al Asad air base" a place."""
    name = location.name.strip()
    if key(name) in countries():
        return LocationPrecision.country
    if _INTERNATIONAL.search(name) and not _SITE.search(name):
        return LocationPrecision.international
    if _NEAR.search(name):
        return LocationPrecision.near
    if _PROVINCE.search(name) or (location.admin1 and key(location.admin1) == key(name)):
        return LocationPrecision.province
    if _DISTRICT.search(name):
        return LocationPrecision.district
    part_of_country = any(
        key(m.group("country")) in countries() or key(m.group("country").split()[0]) in countries()
        for m in _PART_OF.finditer(name)
    )
    if not _SITE.search(name) and (part_of_country or _REGION.search(name)):
        return LocationPrecision.region
    return LocationPrecision.place


# --------------------------------------------------------------------------- figures

_VAGUE = re.compile(r"\b(" + "|".join(sorted(ACLED_VAGUE_TOLLS, key=len, reverse=True)) + r")\b", re.I)


def _acled_vague(report: FigureReport) -> int | None:
    m = _VAGUE.search(report.text or "")
    return ACLED_VAGUE_TOLLS[m.group(1).lower()] if m else None


def _conservative(report: FigureReport) -> int | None:
    """ACLED's reading of one toll: its lower bound, or ACLED's number for a vague word ("dozens" 12);
    a vague word ACLED's codebook does not list gets llmsum's smallest reading ("several" 3, "a few" 2)."""
    if report.text and (m := _VAGUE.search(report.text)):
        return ACLED_VAGUE_TOLLS[m.group(1).lower()]
    if report.min is None and report.max is None and report.text and (read := vague_in(report.text)):
        return read[0]  # llmsum's own smallest reading of the word (numbers.VAGUE), not ACLED's
    return report.min if report.min is not None else report.max


def _estimates(reports: Sequence[FigureReport]) -> tuple[int | None, int | None, int | None, int | None]:
    lows = [r.min for r in reports if r.min is not None]
    numbers = [n for r in reports for n in (r.min, r.max) if n is not None]
    points = Counter(r.min if r.min is not None else r.max for r in reports)
    points.pop(None, None)
    best = sorted(points, key=lambda n: (-points[n], n))[0] if points else None
    conservative = [c for r in reports if (c := _conservative(r)) is not None]
    return (
        min(lows) if lows else None,
        best,
        max(numbers) if numbers else None,
        min(conservative) if conservative else None,
    )


def estimate(figure: EventFigure, scopes: Sequence[str | None] | None = None) -> None:
    """Fill ``low``/``best``/``high`` (UCDP GED) and ``conservative`` (ACLED) from the figure's reports.

    ``scopes`` says what part of the event each report covers ("Iraq", "Syria"): tolls given per place
    are added up, one estimate per place; without distinct places, all reports estimate one toll."""
    reports = figure.reports
    if not reports:
        return
    scopes = scopes if scopes is not None else [None] * len(reports)
    # words with no number ("several wounded") count only where no report gives a number
    numbered = [(r, s) for r, s in zip(reports, scopes, strict=True) if r.min is not None or r.max is not None]
    if numbered:
        reports, scopes = [r for r, _ in numbered], [s for _, s in numbered]
    groups: dict[str | None, list[FigureReport]] = {}
    per_place = scopes is not None and None not in scopes and "civilians" not in scopes and len(set(scopes)) > 1
    for report, scope in zip(reports, scopes if per_place and scopes else [None] * len(reports), strict=True):
        groups.setdefault(scope, []).append(report)
    values = [_estimates(g) for g in groups.values()]

    def total(i: int) -> int | None:
        parts = [v[i] for v in values]
        return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)

    figure.low, figure.best, figure.high, figure.conservative = total(0), total(1), total(2), total(3)
    # ACLED codes the most conservative report, a vague one too: "dozens" (12) beside another outlet's 30
    vague = [c for r in figure.reports if r.min is None and r.max is None and (c := _acled_vague(r)) is not None]
    if vague and not per_place and figure.conservative is not None:
        figure.conservative = min(figure.conservative, *vague)


VICTIM_WORDS: tuple[tuple[VictimKind, re.Pattern[str]], ...] = (
    (
        VictimKind.civilians,
        re.compile(
            r"\bcivilians?\b|\bchildren\b|\bwomen\b|\bbystanders?\b|\bpassers-?by\b|\bresidents\b|\bnon-?combatants\b",
            re.I,
        ),
    ),
    (
        VictimKind.security_forces,
        re.compile(
            r"\bsoldiers?\b|\btroops\b|\bpolice(?:m[ae]n|\s+officers?)?\b|\bservice ?(?:m[ae]mbers?|m[ae]n)\b"
            r"|\bservicem[ae]n\b|\b(?:military|security|army)\s+personnel\b|\bsecurity forces\b",
            re.I,
        ),
    ),
    (
        VictimKind.fighters,
        re.compile(
            r"\bfighters?\b|\bmilitants?\b|\bmilitiam[ae]n\b|\bcommanders?\b|\boperatives?\b|\bcombatants\b", re.I
        ),
    ),
)
# Who was hit is often said right after the toll: "the injury of 18 others, including civilians".
_VICTIMS_AFTER = re.compile(
    r"\s*,?\s*(?:including|among them|among whom|most of them|mostly|all of them|some of them)\b[^.;\n]{0,80}", re.I
)


def victims(figures: Iterable[EventFigure], texts: Mapping[str, str]) -> list[Cue]:
    """Who the tolls say was hit, from their own wording ("one service member") or the words right
    after them ("18 others, including civilians")."""
    cues: list[Cue] = []
    for figure in figures:
        for report in figure.reports:
            pieces: list[tuple[str, int | None]] = [(report.text or "", None)]
            text = texts.get(report.article_id)
            if text and report.start is not None and report.end is not None and report.end <= len(text):
                pieces = [(text[report.start : report.end], report.start)]
                if m := _VICTIMS_AFTER.match(text, report.end):
                    pieces.append((m.group(0), report.end))
            for kind, pattern in VICTIM_WORDS:
                for piece, offset in pieces:
                    if m := pattern.search(piece):
                        cues.append(
                            Cue.model_construct(
                                field="victims",
                                value=kind.value,
                                text=m.group(0),
                                article_id=report.article_id,
                                start=offset + m.start() if offset is not None else None,
                                end=offset + m.end() if offset is not None else None,
                            )
                        )
                        break
    return cues


# --------------------------------------------------------------------------- the event


def code_event(
    event: Event,
    reports: Sequence[Report],
    articles: Mapping[str, ArticleRef],
    texts: Mapping[str, str],
) -> None:
    """Fill the event's PLOVER/CAMEO codes, precision, source counts and victims from its reports."""
    cues: list[Cue] = []
    modes: dict[str, PloverMode | None] = {}
    mode_cues_of: dict[str, list[Cue]] = {}
    for article_id in sorted({r.article_id for r in reports}):
        mine = [r for r in reports if r.article_id == article_id]
        ref = articles.get(article_id)
        modes[article_id], mode_cues_of[article_id] = _article_mode(
            mine, texts.get(article_id), ref.title if ref else None, article_id
        )
    event.plover_mode = strike_mode(modes)
    cues += [c for article_id, mode in modes.items() if mode == event.plover_mode for c in mode_cues_of[article_id]]
    if len({m for m in modes.values() if m is not None}) > 1:
        event.conflicts.append(
            Conflict(
                field="mode",
                values=[
                    ConflictValue(value=f"{mode.value}: {mode_cues_of[a][0].text}", article_id=a)
                    for a, mode in modes.items()
                    if mode is not None
                ],
            )
        )
    event.cameo = STRIKE_CAMEO[event.plover_mode]
    event.plover_context = [*STRIKE_CONTEXT, *(["historical"] if event.background else [])]

    # the reports that give the event's date first; a day-precise report a day off (US vs local time,
    # listed under conflicts) still dates the event to the day
    precisions: list[tuple[DatePrecision, Report]] = []
    for same_day in (True, False):
        for r in reports:
            if same_day != (r.date is not None and r.date.isoformat() == event.event_date):
                continue
            published = r.published.isoformat() if r.published else None
            if (p := date_precision(r.strike.date_text, published)) is not None:
                precisions.append((p, r))
        if precisions:
            break
    if precisions:
        order = list(DatePrecision)
        precision, report = min(precisions, key=lambda pr: order.index(pr[0]))
        event.date_precision = precision
        span = next((s for s in report.strike.evidence if s.field == "date_text"), None)
        cues.append(
            Cue.model_construct(
                field="date_precision",
                value=precision.value,
                text=report.strike.date_text or "",
                article_id=report.article_id,
                start=span.start if span else None,
                end=span.end if span else None,
            )
        )

    if event.locations:
        order = list(LocationPrecision)
        place = min(event.locations, key=lambda loc: order.index(location_precision(loc)))
        event.location_precision = location_precision(place)
        # where an article names it: the report's own spelling may differ from the event's canonical name
        named = [
            (r, loc)
            for r in reports
            for loc in r.strike.locations
            if key(loc.name) == key(place.name) or alias(loc.name, "places") == place.name
        ]
        report, loc = named[0] if named else (reports[0], place)
        span = next((s for s in report.strike.evidence if s.field == "locations" and s.text == loc.name), None)
        cues.append(
            Cue.model_construct(
                field="location_precision",
                value=event.location_precision.value,
                text=place.name,
                article_id=report.article_id,
                start=span.start if span else None,
                end=span.end if span else None,
            )
        )

    event.number_of_sources = len(event.articles)
    outlets = {key(ref.source) for a in event.articles if (ref := articles.get(a)) and ref.source}
    event.number_of_outlets = len(outlets) or None
    victim_cues = victims([event.killed, event.wounded], texts)
    event.victims = [kind for kind in VictimKind if any(c.value == kind.value for c in victim_cues)]
    event.civilian_victims = VictimKind.civilians in event.victims
    event.cues = cues + victim_cues
