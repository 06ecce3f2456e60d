"""The command line: help, bad usage, exit codes, renderers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import llmsum
from llmsum.cli import app
from llmsum.eval.gold import gold_extractions
from tests.cli_run import cli_env, run_cli
from tests.conftest import ROOT

runner = CliRunner()


@pytest.mark.parametrize("command", ["extract", "reconcile", "brief", "daily", "eval", "export"])
def test_each_command_explains_itself_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"], env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "Example" in result.output and f"llmsum {command}" in result.output


def test_bad_usage_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["brief", str(tmp_path / "missing")]).exit_code == 2
    assert runner.invoke(app, ["brief", str(ROOT / "seeds"), "--format", "pdf"]).exit_code == 2
    assert runner.invoke(app, ["brief", str(ROOT / "seeds"), "--profile", "nope"]).exit_code == 2
    (tmp_path / "x.json").write_text("{}")
    assert runner.invoke(app, ["reconcile", str(tmp_path / "x.json"), "-o", str(tmp_path / "b.json")]).exit_code == 2


@pytest.fixture
def gold_brief(gold: dict) -> llmsum.Brief:
    texts = {a.id: a.text for a in llmsum.load_articles(ROOT / "seeds")}
    return llmsum.reconcile(gold_extractions(gold, texts), texts=texts)


def test_markdown_marks_every_figure_and_quote_with_its_source(gold_brief: llmsum.Brief) -> None:
    md = gold_brief.to_markdown()
    assert "reports range from 19 to 25" in md
    assert "Where sources disagree" in md and "## Sources" in md
    for line in md.splitlines():
        if line.strip().startswith(("- \u201c", '- "')):
            assert re.search(r"\[\d+\]$", line.strip()), line


def test_html_is_self_contained_and_links_claims_to_highlighted_spans(gold_brief: llmsum.Brief) -> None:
    page = gold_brief.to_html()
    assert not re.search(r"""(src|href)=["']https?://""", page)
    assert "<link" not in page and "<script src" not in page
    anchors = re.findall(r'class="claim" href="#([^"]+)"', page)
    marks = set(re.findall(r'<mark class="[a-z]+" id="([^"]+)"', page))
    assert anchors, "claims should link to evidence"
    assert set(anchors) <= marks
    assert len(marks) >= 10
    assert "timeline" in page


def test_daily_writes_one_brief_per_date_and_says_what_is_new(tmp_path: Path, gold: dict) -> None:
    from llmsum.daily import write_daily

    articles = llmsum.load_articles(ROOT / "seeds")
    extractions = gold_extractions(gold)
    rows = write_daily(articles, extractions, [], tmp_path)
    assert [r["date"] for r in rows] == ["2019-12-30", "2023-12-26", "2024-01-24", "undated"]
    assert (tmp_path / "index.md").read_text().count("|") > 10
    first = (tmp_path / "2019-12-30.md").read_text()
    assert "New (first brief):" in first
    later = (tmp_path / "2024-01-24.md").read_text()
    assert "New since 2023-12-26" in later
    for row in rows:
        for ext in ("md", "json", "html"):
            assert (tmp_path / f"{row['date']}.{ext}").exists()


def test_daily_rerun_removes_the_briefs_of_days_it_no_longer_has(tmp_path: Path, gold: dict) -> None:
    from llmsum.daily import write_daily

    articles = llmsum.load_articles(ROOT / "seeds")
    extractions = gold_extractions(gold)
    write_daily(articles, extractions, [], tmp_path)
    own = {"2023-01-01.md", "2024-01-24-notes.md", "notes.md", "2024-01-24.md.bak"}  # the user's files
    for name in own:
        (tmp_path / name).write_text("mine")
    kept = [ex for ex in extractions if ex.article.published == "2019-12-30"]
    rows = write_daily(articles, kept, [], tmp_path)
    assert [r["date"] for r in rows] == ["2019-12-30"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        {"index.md", "2019-12-30.md", "2019-12-30.json", "2019-12-30.html"} | own
    )
    assert all((tmp_path / name).read_text() == "mine" for name in own)
    assert "2024-01-24" not in (tmp_path / "index.md").read_text()


def test_extract_then_reconcile_keeps_load_failures_and_safe_file_names(tmp_path: Path) -> None:
    from tests.fake_server import FakeServer, completion

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "feed.json").write_text(json.dumps([{"id": "../escape", "text": "No strike today."}]))
    (tmp_path / "in" / "empty.txt").write_text("")
    answer = ("json", 200, completion(json.dumps({"strikes": [], "reactions": []})), {})
    with FakeServer(default=answer) as server:
        result = runner.invoke(
            app,
            [
                "extract",
                str(tmp_path / "in"),
                "-o",
                str(tmp_path / "out"),
                "--base-url",
                server.url,
                "--model",
                "fake",
                "--profile",
                "json",
                "--cache-dir",
                str(tmp_path / "cache"),
            ],
        )
    assert result.exit_code == 1, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(names) == 2 and re.fullmatch(r"_escape\+[0-9a-f]{10}\.json", names[0]) and names[1] == "empty.txt.json"
    assert not (tmp_path / "escape.json").exists()
    brief_path = tmp_path / "brief.json"
    again = runner.invoke(app, ["reconcile", str(tmp_path / "out"), "-o", str(brief_path)])
    assert again.exit_code == 1
    brief = llmsum.Brief.model_validate_json(brief_path.read_text())
    assert [(f.article_id, f.kind) for f in brief.failures] == [("empty.txt", "empty")]


def test_bad_date_is_bad_usage() -> None:
    result = runner.invoke(app, ["brief", str(ROOT / "seeds"), "--date", "2024-13-01"])
    assert result.exit_code == 2


# --------------------------------------------------------------------------- the installed command
# These run `python -m llmsum` in a child process: exit statuses are only real there.

NO_STRIKE = json.dumps({"strikes": [], "reactions": []})


def _ok() -> tuple:
    from tests.fake_server import completion

    return ("json", 200, completion(NO_STRIKE), {})


def _server_args(url: str) -> list[str]:
    return ["--base-url", url, "--model", "fake", "--profile", "json", "-j", "1"]


def test_version_through_python_m(tmp_path: Path) -> None:
    result = run_cli(["--version"], cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"llmsum {llmsum.__version__}"


@pytest.mark.parametrize(
    "args",
    [
        ["brief", "{tmp}/empty", "-o", "{tmp}/x.md"],
        ["brief", "{tmp}/missing.txt", "-o", "{tmp}/x.md"],
        ["brief", str(ROOT / "seeds"), "--profile", "nope", "-o", "{tmp}/x.md"],
    ],
    ids=["empty-folder", "missing-path", "unknown-profile"],
)
def test_bad_usage_exits_2_from_the_installed_command(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli([a.format(tmp=tmp_path) for a in args], cli_env(tmp_path))
    assert result.returncode == 2, result.stderr
    assert "error" in result.stderr
    assert not (tmp_path / "x.md").exists()


def test_installed_command_exits_0_all_done_1_some_failed_2_all_failed(tmp_path: Path) -> None:
    from tests.fake_server import FakeServer

    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f" date 2031-05-06 Article {name}: nothing happened today.")
    bad = ("json", 400, {"error": {"message": "bad request"}}, {})
    env = cli_env(tmp_path)
    codes = {}
    for label, script in {"all done": [], "b failed": [_ok(), _ok(), bad], "all failed": [bad, bad]}.items():
        with FakeServer(default=_ok() if label == "all done" else bad) as server:
            server.script.extend(script)
            out = tmp_path / f"{label}.md"
            args = ["brief", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "-o", str(out), "--no-cache"]
            result = run_cli(args + _server_args(server.url), env)
        codes[label] = result.returncode
        assert out.exists(), result.stderr  # the brief lists the failures
    assert codes == {"all done": 0, "b failed": 1, "all failed": 2}


def test_a_model_with_nowhere_to_run_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("OPENAI_API_KEY", "LLMSUM_BASE_URL", "LLMSUM_MODEL", "LLMSUM_LOCAL_SERVER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path))
    (tmp_path / "a.txt").write_text(" date 2024-01-01 Aircraft struck a depot.")
    result = runner.invoke(app, ["brief", str(tmp_path / "a.txt"), "--model", "gpt-4o"])
    assert result.exit_code == 2
    assert "gpt-4o" in result.output and "OPENAI_API_KEY" in result.output and "--local" in result.output
    with pytest.raises(llmsum.ConfigError):
        llmsum.extract([], model="gpt-4o")
    monkeypatch.setenv("LLMSUM_MODEL", "gpt-4o")
    from_env = runner.invoke(app, ["brief", str(tmp_path / "a.txt")])
    assert from_env.exit_code == 2 and "OPENAI_API_KEY" in from_env.output


@pytest.mark.parametrize(
    ("command", "out_is", "message"),
    [
        ("brief", "folder", "is a folder"),
        ("reconcile", "folder", "is a folder"),
        ("daily", "file", "is a file"),
        ("extract", "file", "is a file"),
    ],
)
def test_a_bad_output_path_is_refused_before_any_model_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str, out_is: str, message: str
) -> None:
    from tests.fake_server import FakeServer

    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "a.txt").write_text(" date 2024-01-01 Aircraft struck a depot.")
    out = tmp_path / "out"
    out.mkdir() if out_is == "folder" else out.write_text("already here")
    with FakeServer(default=_ok()) as server:
        if command == "reconcile":
            extract = ["extract", str(tmp_path / "a.txt"), "-o", str(tmp_path / "ex"), *_server_args(server.url)]
            done = runner.invoke(app, extract)
            assert done.exit_code == 0, done.output
            server.requests.clear()
            args = ["reconcile", str(tmp_path / "ex"), "-o", str(out)]
        else:
            args = [command, str(tmp_path / "a.txt"), "-o", str(out)]
        result = runner.invoke(app, args + ([] if command == "reconcile" else _server_args(server.url)))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert server.requests == []


def test_ids_that_clash_as_file_names_get_a_file_each(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fake_server import FakeServer

    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path / "cache"))
    ids = ["a/b", "a b", "a_b", "a?b"]
    feed = [{"id": i, "text": f"Aircraft struck depot {n}.", "published": "2024-01-01"} for n, i in enumerate(ids)]
    (tmp_path / "feed.json").write_text(json.dumps(feed))
    with FakeServer(default=_ok()) as server:
        args = ["extract", str(tmp_path / "feed.json"), "-o", str(tmp_path / "out"), *_server_args(server.url)]
        result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "out").iterdir())
    written = {llmsum.ArticleExtraction.model_validate_json(f.read_text()).article.id for f in files}
    assert written == set(ids) and len(files) == 4
    assert (tmp_path / "out" / "a_b.json").exists()  # an id that is already a safe name keeps it
