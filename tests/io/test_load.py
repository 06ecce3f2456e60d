"""Loading articles: formats, normalisation, and bad files that must not stop the others."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
    assert [a.id for a in articles] == ["bad-date.txt", "ok1", "bad-date", "ok2"]  # a bad date costs the date only
    assert articles[1].published == "2024-01-02"
    assert [(f.kind, f.article_id) for f in articles.failures] == [("bad_record", "bad")]
    assert "feed.jsonl: line 2" in articles.failures[0].message


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


@pytest.mark.parametrize(
    ("published", "day"),
    [
        ("2024-01-02", "2024-01-02"),
        ("2024-01-02T10:00:00Z", "2024-01-02"),
        ("2024-01-02T23:30:00.250-05:00", "2024-01-02"),  # the day as written, in the writer's offset
        ("2024-01-02 10:00", "2024-01-02"),
        ("Tue, 02 Jan 2024 10:00:00 GMT", "2024-01-02"),  # RSS / HTTP (RFC 2822)
        ("Tue, 02 Jan 2024 23:30:00 -0500", "2024-01-02"),
        ("02 Jan 2024", "2024-01-02"),
        (1704189600, "2024-01-02"),  # Unix seconds, read in UTC
        (1704189600.5, "2024-01-02"),
        ("1704189600", "2024-01-02"),
        (1704189600000, "2024-01-02"),  # Unix milliseconds
        (None, None),
        ("", None),
    ],
)
def test_publication_dates_in_the_forms_feeds_write_them(tmp_path: Path, published: object, day: str | None) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "published": published, "text": "A strike hit a depot."}))
    articles = llmsum.load_articles(tmp_path)
    assert articles.failures == []
    assert [(a.published, a.problems) for a in articles] == [(day, [])]


@pytest.mark.parametrize("published", ["next Tuesday", "2024-02-31", "31/31/2024", True, {"day": 2}])
def test_an_unreadable_publication_date_keeps_the_article_undated_and_says_so(
    tmp_path: Path, published: object
) -> None:
    (tmp_path / "a.json").write_text(json.dumps({"id": "a", "published": published, "text": "A strike hit a depot."}))
    articles = llmsum.load_articles(tmp_path)
    assert articles.failures == []
    [article] = articles
    assert article.published is None and article.text == "A strike hit a depot."
    assert [p.kind for p in article.problems] == ["bad_published"]
    assert repr(published) in article.problems[0].message


def test_html_meta_dates_are_read_whatever_their_format(tmp_path: Path) -> None:
    (tmp_path / "c.html").write_text(
        "<html><head><title>Raid</title>"
        "<meta property='article:published_time' content='Tue, 02 Jan 2024 10:00:00 GMT'></head>"
        "<body><article><h1>Raid</h1><p>"
        + "Aircraft struck a weapons depot near the border on Monday, officials said. " * 4
        + "</p></article></body></html>"
    )
    assert [a.published for a in llmsum.load_articles(tmp_path)] == ["2024-01-02"]


def test_a_load_problem_reaches_the_extraction_but_not_the_model(tmp_path: Path) -> None:
    from tests.fake_server import FakeServer, completion

    (tmp_path / "a.json").write_text(
        json.dumps({"id": "a", "published": "yesterday", "text": "A strike hit a depot on Monday."})
    )
    articles = llmsum.load_articles(tmp_path)
    answer = ("json", 200, completion(json.dumps({"strikes": [], "reactions": []})), {})
    with FakeServer(default=answer) as server:
        [extraction] = llmsum.extract(articles, base_url=server.url, model="fake", profile="json", cache=False)
    assert not extraction.failed
    assert [p.kind for p in extraction.problems] == ["bad_published"]
    assert "yesterday" in extraction.problems[0].message
    assert server.requests and not any("yesterday" in json.dumps(body) for body in server.requests)


@pytest.mark.parametrize(
    ("name", "size"), [("huge.txt", 50 * 2**20), ("page.html", 20 * 2**20), ("feed.jsonl", 150 * 2**20)]
)
def test_a_file_too_big_is_refused_by_its_size_before_it_is_read(tmp_path: Path, name: str, size: int) -> None:
    with open(tmp_path / name, "wb") as f:
        f.truncate(size)  # sparse: costs no disk, and would read as binary (NUL bytes) if it were read
    articles = llmsum.load_articles(tmp_path)
    assert list(articles) == []
    [failure] = articles.failures
    assert failure.kind == "too_long"
    assert name in failure.message and f"{size:,} bytes" in failure.message


def test_a_record_too_big_is_refused_before_it_is_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from llmsum.io import load

    normalised: list[int] = []
    real = load.normalize_text
    monkeypatch.setattr(load, "normalize_text", lambda raw: normalised.append(len(raw)) or real(raw))
    records = [{"id": "big", "text": "word " * 400_000}, {"id": "ok", "text": "A strike hit a depot."}]
    (tmp_path / "feed.jsonl").write_text("\n".join(json.dumps(r) for r in records))
    (tmp_path / "feed.json").write_text(json.dumps([{**r, "id": f"{r['id']}2"} for r in records]))
    articles = llmsum.load_articles(tmp_path)
    assert [a.id for a in articles] == ["ok2", "ok"]
    assert [(f.kind, f.article_id) for f in articles.failures] == [("too_long", "big2"), ("too_long", "feed.jsonl#0")]
    assert "line 1" in articles.failures[1].message
    assert max(normalised) < 1000
