"""Rendering a Brief as Markdown (an analyst's note) or one self-contained HTML file.

Every figure and quote names its source article; in HTML each one links to its highlighted
span in the article text. The event-data codes (PLOVER, CAMEO, precision, low/best/high) are
shown on one small line per event and beside each stance: an analyst finds them, a reader
can skip them.
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup, escape

from llmsum.models import Brief, Event, EventFigure, EventReaction

_DATE_WORDS = {"day": "to the day", "week": "to the week", "month": "to the month", "year": "to the year"}
_PLACE_WORDS = {
    "place": "to the town or site",
    "near": "near a named place",
    "district": "to the district",
    "province": "to the province",
    "region": "to part of a country",
    "country": "to the country only",
    "international": "at sea or in the air",
}


def codes(reaction: EventReaction) -> str:
    """'PLOVER ACCUSE/disapprove · CAMEO 111', or the CAMEO code alone where PLOVER has no category."""
    parts = []
    if reaction.plover_event:
        mode = f"/{reaction.plover_mode.value}" if reaction.plover_mode else ""
        parts.append(f"PLOVER {reaction.plover_event.value}{mode}")
    if reaction.cameo:
        parts.append(f"CAMEO {reaction.cameo}")
    return " · ".join(parts)


def _estimates(name: str, figure: EventFigure) -> str | None:
    if not figure.reports:
        return None
    return f"{name} low {figure.low} / best {figure.best} / high {figure.high}"


def coding_line(event: Event) -> list[str]:
    """The event's codes as short phrases, without their sources (the templates add those)."""
    parts = [f"CAMEO {event.cameo}"] if event.cameo else []
    if event.date_precision:
        parts.append(f"dated {_DATE_WORDS[event.date_precision.value]}")
    if event.location_precision:
        parts.append(f"located {_PLACE_WORDS[event.location_precision.value]}")
    parts += [p for p in (_estimates("killed", event.killed), _estimates("wounded", event.wounded)) if p]
    sources = f"{event.number_of_sources} source{'' if event.number_of_sources == 1 else 's'}"
    if event.number_of_outlets:
        sources += f", {event.number_of_outlets} outlet{'' if event.number_of_outlets == 1 else 's'}"
    parts.append(sources)
    return parts


@functools.cache
def _env(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("llmsum.io", "templates"),
        autoescape=autoescape,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )


def _refs(brief: Brief) -> dict[str, int]:
    refs = {a.id: n for n, a in enumerate(brief.articles, start=1)}
    for event in brief.events:  # ids missing from the article list still get a number
        for article_id in event.articles:
            refs.setdefault(article_id, len(refs) + 1)
    return refs


def _split(brief: Brief) -> tuple[list, list]:
    return [e for e in brief.events if not e.background], [e for e in brief.events if e.background]


def to_markdown(brief: Brief) -> str:
    main, background = _split(brief)
    text = (
        _env(False)
        .get_template("brief.md.j2")
        .render(brief=brief, main=main, background=background, refs=_refs(brief), codes=codes, coding_line=coding_line)
    )
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:  # collapse runs of blank lines left by template logic
        if line == "" and out and out[-1] == "":
            continue
        out.append(line)
    return "\n".join(out).strip() + "\n"


def anchor(article_id: str, start: int, end: int) -> str:
    safe = "".join(c if c.isalnum() else "-" for c in article_id)
    return f"span-{safe}-{start}-{end}"


def _highlight(brief: Brief) -> tuple[dict[str, Markup], set[str]]:
    """Each article's text with its figures, quotes and coding cues marked; and the marks' ids."""
    spans: dict[str, dict[tuple[int, int], str]] = {}
    for event in brief.events:
        for name in ("killed", "wounded"):
            for r in getattr(event, name).reports:
                if r.start is not None and r.end is not None:
                    spans.setdefault(r.article_id, {})[(r.start, r.end)] = name
        for reaction in event.reactions:
            for q in reaction.quotes:
                if q.start is not None and q.end is not None:
                    spans.setdefault(q.article_id, {})[(q.start, q.end)] = "quote"
        for c in event.cues:
            if c.start is not None and c.end is not None:
                spans.setdefault(c.article_id, {}).setdefault((c.start, c.end), "cue")
    out: dict[str, Markup] = {}
    marked: set[str] = set()
    for article_id, text in brief.texts.items():
        pieces: list[str] = []
        pos = 0
        for (start, end), kind in sorted(spans.get(article_id, {}).items()):
            if start < pos or end > len(text):  # overlapping spans: keep the first
                continue
            pieces.append(str(escape(text[pos:start])))
            pieces.append(
                f'<mark class="{kind}" id="{anchor(article_id, start, end)}">{escape(text[start:end])}</mark>'
            )
            marked.add(anchor(article_id, start, end))
            pos = end
        pieces.append(str(escape(text[pos:])))
        out[article_id] = Markup("".join(pieces))
    return out, marked


def to_html(brief: Brief) -> str:
    main, background = _split(brief)
    highlighted, marked = _highlight(brief)

    def marked_anchor(article_id: str, start: int | None, end: int | None) -> str | None:
        """The id of a highlighted span, so that a code links to its words only when they are marked."""
        if start is None or end is None:
            return None
        name = anchor(article_id, start, end)
        return name if name in marked else None

    return (
        _env(True)
        .get_template("brief.html.j2")
        .render(
            brief=brief,
            events=main + background,
            main=main,
            refs=_refs(brief),
            anchor=anchor,
            marked_anchor=marked_anchor,
            highlighted=highlighted,
            codes=codes,
            coding_line=coding_line,
        )
    )
