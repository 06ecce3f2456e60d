"""Rendering a Brief as Markdown (an analyst's note) or one self-contained HTML file.

Every figure and quote names its source article; in HTML each one links to its highlighted
span in the article text. The event-data codes (PLOVER, CAMEO, precision, low/best/high) are
shown on one small line per event and beside each stance: an analyst finds them, a reader
can skip them.
"""

from __future__ import annotations

import functools
import itertools
import re

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


# Characters that end a Markdown line (and so a list item) or are invisible controls.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters Markdown may read as markup inside a line: links and images, emphasis, code, raw
# HTML and autolinks, table cells, strikethrough, and the backslash itself.
_MARKUP = re.compile(r"([\\`*_\[\]<>|~])")


def md_text(value: object) -> str:
    """Metadata printed as Markdown text: a title, a site name, a failure message. It comes from
    files and feeds, not from llmsum: a newline would end the list item it sits in and "](" would
    open a link, so control characters become spaces and markup characters are escaped."""
    return _MARKUP.sub(r"\\\1", _CONTROL.sub(" ", str(value)))


def md_code(value: object) -> str:
    """An id (a file name) as a Markdown code span, shown exactly: control characters are written
    as escapes ("\\n"), and the span's backtick fence is longer than any run of backticks inside."""
    text = _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith(("`", " ")) or text.endswith(("`", " ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@functools.cache
def _env(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("llmsum.io", "templates"),
        autoescape=autoescape,
        trim_blocks=False,
        lstrip_blocks=False,
        undefined=jinja2.StrictUndefined,
    )
    env.filters.update(md_text=md_text, md_code=md_code)
    return env


def _refs(brief: Brief) -> dict[str, int]:
    refs = {a.id: n for n, a in enumerate(brief.sources, start=1)}  # a duplicate is not a source: no number
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
    out = {article_id: _marked(article_id, text, spans.get(article_id, {})) for article_id, text in brief.texts.items()}
    marked = {
        anchor(article_id, start, end)
        for article_id, text in brief.texts.items()
        for start, end in spans.get(article_id, {})
        if start < end <= len(text)
    }
    return out, marked


def _marked(article_id: str, text: str, spans: dict[tuple[int, int], str]) -> Markup:
    """The article text with every span marked, nested where spans overlap: a toll inside a quote
    keeps both highlights. The text is cut at every span edge; each piece is wrapped in the marks
    of all spans covering it, outermost first, and a span's anchor sits on its first piece."""
    ordered = sorted(
        ((span, kind) for span, kind in spans.items() if span[1] <= len(text)), key=lambda i: (i[0][0], -i[0][1])
    )
    edges = sorted({0, len(text), *(e for (start, end), _ in ordered for e in (start, end))})
    pieces: list[str] = []
    for lo, hi in itertools.pairwise(edges):
        piece = str(escape(text[lo:hi]))
        covering = [(start, end, kind) for (start, end), kind in ordered if start <= lo and hi <= end and start < end]
        for start, end, kind in reversed(covering):  # innermost first, so the outermost wraps it
            anchor_id = f' id="{anchor(article_id, start, end)}"' if start == lo else ""
            piece = f'<mark class="{kind}"{anchor_id}>{piece}</mark>'
        pieces.append(piece)
    return Markup("".join(pieces))


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
