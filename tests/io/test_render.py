"""The HTML view's highlights: every claim's span is marked, also where spans overlap."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import llmsum
from llmsum.models import ArticleRef, Event, EventFigure, EventReaction, FigureReport, Quote

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
    return llmsum.Brief(events=[event], articles=[ArticleRef(id="a.txt")], texts={"a.txt": TEXT})


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
