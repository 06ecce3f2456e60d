"""Cassette hygiene: recordings cover the seeds and hold no secrets."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from tests.conftest import ROOT, SECRET_HEADERS

CASSETTES = sorted((ROOT / "cassettes").glob("*.yaml"))
SECRET_PATTERNS = [re.compile(r"sk-[A-Za-z0-9_\-]{16,}"), re.compile(r"Bearer\s+[A-Za-z0-9_\-.]{8,}", re.I)]


def test_there_are_recordings() -> None:
    assert CASSETTES, "cassettes/ is empty: run `make record`"


@pytest.mark.parametrize("path", CASSETTES, ids=[p.name for p in CASSETTES])
def test_no_secret_in_cassette(path) -> None:
    text = path.read_text(encoding="utf-8")
    for pattern in SECRET_PATTERNS:
        assert not pattern.search(text), f"{path.name} holds something like a key: {pattern.pattern}"
    data = yaml.safe_load(text)
    for interaction in data["interactions"]:
        for part in ("request", "response"):
            headers = {k.lower() for k in interaction[part].get("headers", {})}
            assert not headers & set(SECRET_HEADERS), f"{path.name}: {headers & set(SECRET_HEADERS)}"


def test_recordings_cover_all_five_seeds() -> None:
    bodies = []
    for path in CASSETTES:
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]:
            bodies.append(interaction["request"]["body"] or "")
    import llmsum

    for article in llmsum.load_articles(ROOT / "seeds"):
        snippet = article.text[200:260]
        assert any(snippet in json.loads(b)["messages"][-1]["content"] or snippet in b for b in bodies if b), article.id
