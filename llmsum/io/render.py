"""Rendering a Brief as Markdown (an analyst's note) or one self-contained HTML file.

Every figure and quote names its source article; in HTML each one links to its highlighted
span in the article text.
"""

from __future__ import annotations

import functools
import itertools
import re

import jinja2
from markupsafe import Markup, escape

from llmsum.models import Brief

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
        _env(False).get_template("brief.md.j2").render(brief=brief, main=main, background=background, refs=_refs(brief))
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


def _highlight(brief: Brief) -> dict[str, Markup]:
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
    return {
        article_id: _marked(article_id, text, spans.get(article_id, {})) for article_id, text in brief.texts.items()
    }


def _marked(article_id: str, text: str, spans: dict[tuple[int, int], str]) -> Markup:
    """The article text with every span marked, nested where spans overlap: a toll inside a quote
    keeps both highlights. The text is cut at every span edge; each piece is wrapped in the marks
    of all spans covering it, outermost first, and a span's anchor sits on its first piece."""
    ordered = sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1]))
    edges = sorted({0, len(text), *(e for (start, end), _ in ordered for e in (start, end) if 0 <= e <= len(text))})
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
    return (
        _env(True)
        .get_template("brief.html.j2")
        .render(
            brief=brief,
            events=main + background,
            main=main,
            refs=_refs(brief),
            anchor=anchor,
            highlighted=_highlight(brief),
        )
    )
