"""Rendering: every claim's span is marked in the HTML view, also where spans overlap, and metadata from
files and feeds cannot break the Markdown brief."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

import llmsum
from llmsum.models import ArticleRef, Event, EventFigure, EventReaction, FigureReport, Problem, Quote

TEXT = 'The ministry said "the strike killed 12 fighters near the border" on Sunday.'


class _Marks(HTMLParser):
    """Checks that <mark> tags nest properly and collects the text inside the article's <pre>/<div>."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.balanced = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.stack.append(tag)
            self.ids += [v for k, v in attrs if k == "id" and v]

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            if not self.stack:
                self.balanced = False
            else:
                self.stack.pop()


def _brief(quote: tuple[int, int], toll: tuple[int, int]) -> llmsum.Brief:
    killed = EventFigure(
        min=12,
        max=12,
        reports=[FigureReport(min=12, max=12, text=TEXT[slice(*toll)], article_id="a.txt", start=toll[0], end=toll[1])],
    )
    reaction = EventReaction(
        speaker="The ministry",
        quotes=[Quote(text=TEXT[slice(*quote)], article_id="a.txt", start=quote[0], end=quote[1])],
    )
    event = Event(event_id="EV-1", killed=killed, reactions=[reaction], articles=["a.txt"])
    return llmsum.Brief(events=[event], articles=[{"id": "a.txt"}], texts={"a.txt": TEXT})


def test_a_toll_inside_a_quote_keeps_both_highlights() -> None:
    quote = (TEXT.index("the strike"), TEXT.index("border") + len("border"))
    toll = (TEXT.index("killed 12"), TEXT.index("fighters") + len("fighters"))
    page = _brief(quote, toll).to_html()
    marks = _Marks()
    marks.feed(page)
    assert marks.balanced and not marks.stack
    assert f"span-a-txt-{quote[0]}-{quote[1]}" in marks.ids
    assert f"span-a-txt-{toll[0]}-{toll[1]}" in marks.ids
    # the toll's words are marked twice: as the toll, inside the quote's mark
    assert re.search(r'<mark class="quote"[^>]*><mark class="killed" id="span-a-txt-\d+-\d+">killed 12', page)
    # and the article text itself is intact once the marks are removed
    assert TEXT.replace('"', "&#34;") in re.sub(r"</?mark[^>]*>", "", page)


def test_crossing_spans_are_cut_into_well_nested_pieces() -> None:
    quote = (TEXT.index("the strike"), TEXT.index("12") + 2)
    toll = (TEXT.index("killed"), TEXT.index("fighters") + len("fighters"))  # starts inside, ends outside
    marks = _Marks()
    marks.feed(_brief(quote, toll).to_html())
    assert marks.balanced and not marks.stack
    assert len(set(marks.ids)) == len(marks.ids) == 2


EVIL_ID = "evil\n](http://x.example/id).txt"
EVIL_TITLE = "Raid [click](http://x.example/title)\n\n## Not a heading *bold* <b>x</b>"


def _evil_brief() -> llmsum.Brief:
    extractions = [
        llmsum.ArticleExtraction(article=ArticleRef(id="a.txt", title="A plain title", published="2024-01-02")),
        llmsum.ArticleExtraction(
            article=ArticleRef(id=EVIL_ID, title=EVIL_TITLE, source="Site\r\n- injected item", published="2024-01-02")
        ),
        llmsum.ArticleExtraction(
            article=ArticleRef(id="bad`\n- x.txt"),
            failed=True,
            problems=[Problem(kind="timeout", message="bad`\n- x.txt: [timed out](http://x.example/msg)")],
        ),
    ]
    return llmsum.reconcile(extractions)


def test_newlines_and_link_syntax_in_ids_titles_and_sources_stay_inside_their_line() -> None:
    md = _evil_brief().to_markdown()
    html = MarkdownIt("commonmark").render(md)
    assert "<a " not in html  # no link was made
    assert "<h2>Not a heading" not in html and "<strong>" not in html and "<b>" not in html
    sources = md[md.index("## Sources") :].split("\n\n")[1].splitlines()
    assert sources == [
        "1. `a.txt` — A plain title, 2024-01-02",
        "2. ``bad`\\n- x.txt``",
        "3. `evil\\n](http://x.example/id).txt` — Raid \\[click\\](http://x.example/title)  ## Not a heading "
        "\\*bold\\* \\<b\\>x\\</b\\>, Site  - injected item, 2024-01-02",
    ]
    failures = md[md.index("## Failures") :].split("\n\n")[1].splitlines()
    assert failures == ["- ``bad`\\n- x.txt`` — timeout: bad\\` - x.txt: \\[timed out\\](http://x.example/msg)"]
    assert html.count("<li>") == 4  # three sources and one failure, nothing injected
