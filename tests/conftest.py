"""Shared fixtures: cassette configuration and the model settings tests use.

Tests replay real recordings (``cassettes/``) with the network blocked. ``make record`` runs the
same tests with ``--record-mode=all --live``: then ``llm_settings`` starts the embedded model
server and the cassettes (and ``examples/seeds``) are written anew.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from llmsum.llm.settings import LOCAL_MODEL_NAME, LOCAL_TIMEOUT, Settings

ROOT = Path(__file__).resolve().parent.parent
REPLAY_URL = "http://127.0.0.1:9/v1"  # never contacted: vcr answers from the cassette
SECRET_HEADERS = [
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--live", action="store_true", help="run tests that need a live model (and allow recording)")
    parser.addoption(
        "--update-examples",
        action="store_true",
        help="rewrite examples/seeds from the cassettes (after a pipeline change that is not a model change)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="needs a live model; run with --live")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


def _canonical_request(request):
    # The embedded server listens on a random free port; cassettes must not depend on it.
    parts = urlsplit(request.uri)
    request.uri = urlunsplit(("http", "llm.local", parts.path, parts.query, ""))
    return request


def _scrub_response(response: dict) -> dict:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in SECRET_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict:
    return {
        "filter_headers": SECRET_HEADERS,
        "match_on": ["method", "path", "body"],
        "before_record_request": _canonical_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(ROOT / "cassettes")


@pytest.fixture(scope="session")
def recording(request: pytest.FixtureRequest) -> bool:
    return request.config.getoption("--record-mode") not in (None, "none")


@pytest.fixture(scope="session")
def llm_settings(recording: bool, request: pytest.FixtureRequest) -> Iterator[Settings]:
    """Settings for tests that call a model: the live embedded server when recording, else a
    URL that only the cassette answers."""
    base = {"model": LOCAL_MODEL_NAME, "api_key": "local", "profile": "llamacpp", "concurrency": 1}
    if recording:
        if not request.config.getoption("--live"):
            pytest.skip("recording needs --live")
        from llmsum.llm.local import local_server

        with local_server() as url:
            yield Settings(base_url=url, timeout=LOCAL_TIMEOUT, **base)
    else:
        yield Settings(base_url=REPLAY_URL, **base)


@pytest.fixture
def seeds_dir() -> Path:
    return ROOT / "seeds"


# The project's own copy of the seeds' gold (from ../shared/gold), so that a fresh clone runs every
# test; tests/eval/test_gold_data.py checks it against seeds/. ../shared stays the dev corpus's place.
GOLD_PATH = ROOT / "tests" / "data" / "seeds_gold.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    """The hand-made gold of the seeds, for reconcile and eval tests (checked by its format's model)."""
    from llmsum.eval.gold import load_gold

    return load_gold(GOLD_PATH)
