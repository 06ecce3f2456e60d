"""The HTML brief rendered by a real browser (headless Chromium), as a person would see it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

import llmsum
from llmsum.eval.gold import gold_extractions
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian package 'chromium')")
def test_html_brief_renders_in_headless_chromium(tmp_path: Path, gold: dict) -> None:
    texts = {a.id: a.text for a in llmsum.load_articles(ROOT / "seeds")}
    brief = llmsum.reconcile(gold_extractions(gold, texts), texts=texts)
    page = tmp_path / "brief.html"
    page.write_text(brief.to_html(), encoding="utf-8")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert "Strike brief" in dom.stdout and dom.stdout.count("<mark") >= 10
    shot = tmp_path / "brief.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1400,1800", f"--screenshot={shot}", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 50_000  # a real page, not a blank one
