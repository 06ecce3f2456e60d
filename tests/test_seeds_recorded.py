"""The real pipeline on the seed articles, replayed from recordings of the embedded model.

When recording (``make record``), these tests write ``examples/seeds``; when replaying, they prove
that the recordings regenerate those files exactly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import llmsum
from llmsum.cli import app
from llmsum.io.export import to_acled_csv, to_plover_jsonl
from tests.conftest import REPLAY_URL, ROOT

EXAMPLES = ROOT / "examples" / "seeds"
CASSETTE = "seeds.yaml"


def _outputs(monkeypatch: pytest.MonkeyPatch, settings) -> dict[str, str]:
    monkeypatch.chdir(ROOT)  # article paths in the outputs are repo-relative
    articles = llmsum.load_articles("seeds")
    extractions = llmsum.extract(articles, settings=settings, cache=False)
    brief = llmsum.reconcile(extractions, texts={a.id: a.text for a in articles})
    files = {f"extractions/{e.article.id}.json": e.model_dump_json(indent=1) + "\n" for e in extractions}
    files["brief.md"] = brief.to_markdown()
    files["brief.json"] = brief.model_dump_json(indent=1) + "\n"
    files["brief.html"] = brief.to_html()
    return files


@pytest.mark.vcr
@pytest.mark.default_cassette(CASSETTE)
def test_replaying_seed_recordings_regenerates_examples(llm_settings, recording, monkeypatch, request) -> None:
    files = _outputs(monkeypatch, llm_settings)
    assert len([f for f in files if f.startswith("extractions/")]) == 5
    if recording or request.config.getoption("--update-examples"):
        for name, content in files.items():
            path = EXAMPLES / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        return
    for name, content in files.items():
        expected = (EXAMPLES / name).read_text(encoding="utf-8")
        assert content == expected, f"{name} differs from what the recordings produce"
    on_disk = {str(p.relative_to(EXAMPLES)) for p in EXAMPLES.rglob("*") if p.is_file()}
    assert set(files) <= on_disk


@pytest.mark.vcr
@pytest.mark.default_cassette(CASSETTE)
def test_cli_brief_from_recordings(recording, monkeypatch, tmp_path: Path) -> None:
    if recording:
        pytest.skip("replays the recording made by the test above")
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("LLMSUM_BASE_URL", REPLAY_URL)
    monkeypatch.setenv("LLMSUM_PROFILE", "llamacpp")
    monkeypatch.setenv("LLMSUM_MODEL", llmsum.llm.settings.LOCAL_MODEL_NAME)
    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    out = tmp_path / "brief.md"
    result = CliRunner().invoke(app, ["brief", "seeds", "-o", str(out)])
    recorded = llmsum.Brief.model_validate_json((EXAMPLES / "brief.json").read_text(encoding="utf-8"))
    assert result.exit_code == (1 if recorded.failures else 0), result.output
    assert out.read_text(encoding="utf-8") == (EXAMPLES / "brief.md").read_text(encoding="utf-8")
    # a second run is served from the cache: no model call, so the cassette is not even consulted
    ok = [
        ex.article.id for ex in map(_read_example, sorted((EXAMPLES / "extractions").glob("*.json"))) if not ex.failed
    ]
    paths = [f"seeds/{article_id}" for article_id in ok]
    again = CliRunner().invoke(app, ["brief", *paths, "--format", "json", "-o", str(tmp_path / "b.json")])
    assert again.exit_code == 0, again.output
    brief = llmsum.Brief.model_validate_json((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert brief.usage.calls == 0 and len(brief.articles) == len(ok)
    # the exports straight from `llmsum brief`, the same as `llmsum export` of the brief JSON
    for fmt, export in (("plover", to_plover_jsonl), ("acled", to_acled_csv)):
        written = tmp_path / f"events.{fmt}"
        result = CliRunner().invoke(app, ["brief", *paths, "--format", fmt, "-o", str(written)])
        assert result.exit_code == 0, result.output
        assert written.read_text(encoding="utf-8") == export(brief)


def _read_example(path: Path) -> llmsum.ArticleExtraction:
    return llmsum.ArticleExtraction.model_validate_json(path.read_text(encoding="utf-8"))
