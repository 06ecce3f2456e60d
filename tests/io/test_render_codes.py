"""The codes shown discreetly in the Markdown and HTML briefs, each with the words it was read from."""

from __future__ import annotations

import re

import pytest

import llmsum
from tests.handmade import handmade


@pytest.fixture(scope="module")
def brief() -> llmsum.Brief:
    extractions, texts = handmade()
    return llmsum.reconcile(extractions, texts=texts)


def test_markdown_gives_each_event_one_small_line_of_codes_with_its_words(brief: llmsum.Brief) -> None:
    md = brief.to_markdown()
    lines = [line for line in md.splitlines() if line.startswith("- <sub>Codes:")]
    assert len(lines) == len(brief.events) == 3
    iran = next(line for line in lines if "heavy-weapons" in line)
    assert "(“fired ballistic missiles” [" in iran and "CAMEO 194" in iran
    assert "located near a named place" in iran and "killed low 4 / best 4 / high 4" in iran
    assert "civilians among the victims (“civilians” [" in iran
    assert any("PLOVER ASSAULT/drone (“drone attack” [" in line for line in lines)


def test_markdown_gives_each_stance_its_plover_and_cameo_codes(brief: llmsum.Brief) -> None:
    md = brief.to_markdown()
    assert "*threaten* <sub>(PLOVER THREATEN/violence · CAMEO 138)</sub>" in md
    assert "*call_for_restraint* <sub>(PLOVER REQUEST/yield · CAMEO 0256)</sub>" in md
    assert "*justify* <sub>(CAMEO 010)</sub>" in md  # no PLOVER category for a justification


def test_html_codes_link_only_to_highlighted_words(brief: llmsum.Brief) -> None:
    page = brief.to_html()
    assert page.count('class="codes"') == 3
    links = set(re.findall(r'href="#(span-[^"]+)"', page))
    marks = set(re.findall(r'<mark class="[a-z]+" id="([^"]+)"', page))
    assert links and links <= marks
    assert re.search(r'<mark class="cue" id="[^"]+">warplanes</mark>', page)
    assert "PLOVER ACCUSE/disapprove · CAMEO 111" in page
