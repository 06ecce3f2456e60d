"""Loading articles: formats, normalisation, and bad files that must not stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import llmsum
from llmsum.io.text import normalize_text


def test_seeds_load_with_ids_dates_and_titles(seeds_dir: Path) -> None:
    articles = llmsum.load_articles(seeds_dir)
    assert [a.id for a in articles] == sorted(p.name for p in seeds_dir.glob("*.txt"))
    assert articles.failures == []
    by_id = {a.id: a for a in articles}
    assert by_id["000_2ef8d5a5a54944d1.txt"].published == "2019-12-30"
    undated = by_id["003_815593e774ae9b48.txt"]
    assert undated.published is None
    assert undated.title == undated.text.split("\n")[0]
    assert not by_id["000_2ef8d5a5a54944d1.txt"].text.startswith("date")


def test_broken_entities_in_seed_text_are_decoded(seeds_dir: Path) -> None:
    text = llmsum.load_articles(seeds_dir / "000_2ef8d5a5a54944d1.txt")[0].text
    assert "quot;" not in text and "& # 39;" not in text
    assert '"support for terrorism"' in text


def test_normalisation_handles_entities_unicode_and_whitespace() -> None:
    raw = "Caf\u0065\u0301 &amp;quot;x&amp;quot; it& # 39;s ,quot;q,quot;  a\u00a0b\r\n\r\n\r\nend"
    assert normalize_text(raw) == 'Café "x" it\'s "q" a b\n\nend'


def test_json_jsonl_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(
        json.dumps({"id": "x1", "title": "T", "source": "S", "published": "2024-01-02", "text": "Strike on a depot."})
    )
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "x2", "text": "One."}) + "\n" + json.dumps({"id": "x3", "text": "Two."}) + "\n"
    )
    (tmp_path / "c.html").write_text(
        "<html><head><title>Raid on depot</title><meta property='article:published_time' content='2024-02-03'>"
        "</head><body><nav>Menu Home</nav><article><h1>Raid on depot</h1><p>"
        + "Aircraft struck a weapons depot near the border on Monday, officials said. " * 4
        + "</p></article></body></html>"
    )
    articles = llmsum.load_articles(tmp_path)
    ids = [a.id for a in articles]
    assert ids == ["x1", "x2", "x3", "c.html"], articles.failures
    assert articles[0].source == "S" and articles[0].published == "2024-01-02"
    html = articles[3]
    assert "weapons depot" in html.text and "Menu" not in html.text
    assert html.title == "Raid on depot"


def test_bad_files_are_reported_by_name_and_the_rest_load(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(" date 2024-01-01 A strike hit a base.")
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PNG")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "notes.docx").write_bytes(b"PK")
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "huge.txt").write_text("word " * 50_000)
    articles = llmsum.load_articles(tmp_path)
    assert [a.id for a in articles] == ["good.txt"]
    reasons = {Path(f.path).name: (f.kind, str(f)) for f in articles.failures}
    assert reasons["empty.txt"][0] == "empty"
    assert reasons["binary.txt"][0] == "binary"
    assert reasons["latin1.txt"][0] == "undecodable"
    assert reasons["notes.docx"][0] == "unknown_type"
    assert reasons["bad.json"][0] == "bad_json"
    assert reasons["huge.txt"][0] == "too_long"
    for name, (_, message) in reasons.items():
        assert name in message  # every error names its file


def test_missing_path_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    articles = llmsum.load_articles(tmp_path / "nope")
    assert list(articles) == [] and articles.failures[0].kind == "missing"


def test_one_bad_record_does_not_lose_the_others(tmp_path: Path) -> None:
    records = [
        {"id": "ok1", "published": "2024-01-02T10:00:00Z", "text": "A strike hit a depot."},
        {"id": "bad", "text": None},
        {"id": "bad-date", "published": "2024-02-31", "text": "Another strike."},
        {"id": "ok2", "text": "Second good record."},
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    (tmp_path / "bad-date.txt").write_text(" date 2024-02-31 Text of an article.")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("hidden folders are not articles")
    articles = llmsum.load_articles(tmp_path)
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert articles[0].published == "2024-01-02"
    kinds = sorted(f.kind for f in articles.failures)
    assert kinds == ["bad_record", "invalid", "invalid"]  # a record keeps its own kind
    assert all("feed.jsonl" in str(f) or "bad-date.txt" in str(f) for f in articles.failures)


def test_a_truncated_jsonl_line_fails_alone_with_its_line_number(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"r{n}", "text": f"Report number {n} of a strike."}) for n in range(1, 7)]
    lines[2] = lines[2][:25]  # a feed cut off mid-write
    lines[4] = json.dumps(["not", "an", "object"])
    lines.insert(1, "")  # blank lines are skipped but still counted
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles = llmsum.load_articles(tmp_path)
    assert [a.id for a in articles] == ["r1", "r2", "r4", "r6"]
    feed = tmp_path / "feed.jsonl"
    assert [(f.kind, f.path) for f in articles.failures] == [("bad_json", str(feed)), ("bad_record", str(feed))]
    assert articles.failures[0].message.startswith(f"{feed}: line 4: invalid JSON (Unterminated string")
    assert articles.failures[1].message == f"{feed}: line 6: not a JSON object with a 'text' field"


def test_jsonl_records_may_hold_line_separator_characters(tmp_path: Path) -> None:
    record = {"id": "ls", "text": "First paragraph.\u2028Second paragraph."}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    articles = llmsum.load_articles(tmp_path)
    assert [a.id for a in articles] == ["ls"] and articles.failures == []
