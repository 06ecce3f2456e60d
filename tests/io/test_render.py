"""Rendering: metadata from files and feeds cannot break the Markdown brief."""

from __future__ import annotations

from markdown_it import MarkdownIt

import llmsum
from llmsum.models import ArticleRef, Problem

EVIL_ID = "evil\n](http://x.example/id).txt"
EVIL_TITLE = "Raid [click](http://x.example/title)\n\n## Not a heading *bold* <b>x</b>"


def _brief() -> llmsum.Brief:
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
    md = _brief().to_markdown()
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
