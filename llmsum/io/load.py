"""Loading articles from .txt, .json/.jsonl and .html files.

A broken file never stops the others: it becomes a ``LoadFailure`` that travels with the result
(``Articles.failures``) and ends up in the brief.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from llmsum.errors import LoadError
from llmsum.io.published import publication_day
from llmsum.io.text import normalize_text
from llmsum.models import Article, Problem, ProblemKind

log = logging.getLogger(__name__)

SUFFIXES = {".txt", ".json", ".jsonl", ".html", ".htm"}
_DATE_LINE = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\s*")
MAX_CHARS = 100_000  # of an article's normalised text: the exact limit, checked last
# Sizes checked before any work, because the work is what costs: reading, decoding and normalising
# a 50 MB file took 8 s and 870 MB before MAX_CHARS could refuse it, and trafilatura spends over a
# minute on a 20 MB page. They are generous, so that no article within MAX_CHARS is refused by
# them: UTF-8 takes up to 4 bytes a character, HTML entities and JSON escapes more, and a web
# page's markup is often 10 to 30 times the size of its text.
MAX_RAW_CHARS = 10 * MAX_CHARS  # an article's text before normalisation (a JSON record, a JSON Lines line)
MAX_FILE_BYTES = {
    ".txt": 10 * MAX_CHARS,
    ".html": 50 * MAX_CHARS,
    ".htm": 50 * MAX_CHARS,
    ".json": 1000 * MAX_CHARS,  # a feed of many records; each record is checked on its own
    ".jsonl": 1000 * MAX_CHARS,
}


@dataclass(frozen=True)
class LoadFailure:
    path: str
    article_id: str
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class Articles(list[Article]):
    """A list of articles that also remembers which files could not be loaded."""

    def __init__(self, articles: Iterable[Article] = (), failures: Iterable[LoadFailure] = ()) -> None:
        super().__init__(articles)
        self.failures: list[LoadFailure] = list(failures)


def load_articles(*paths: str | Path) -> Articles:
    """Load every article under the given files or folders, in a stable (sorted) order.

    Files that fail are reported in ``.failures`` and logged; the rest load normally.
    Duplicate ids (the same file name twice) keep the first and report the others.
    """
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    seen: set[str] = set()
    for file in _files(paths, failures):
        try:
            loaded, bad_records = _load(file)
        except LoadError as err:
            log.warning("skipping %s", err)
            failures.append(LoadFailure(err.path, Path(file).name, err.kind, str(err)))
            continue
        for bad in bad_records:
            log.warning("skipping %s", bad.message)
        failures.extend(bad_records)
        for article in loaded:
            if article.id in seen:
                failures.append(
                    LoadFailure(str(file), article.id, "duplicate_id", f"{file}: article id {article.id} seen twice")
                )
                continue
            seen.add(article.id)
            articles.append(article)
    return Articles(articles, failures)


def _files(paths: Iterable[str | Path], failures: list[LoadFailure]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            failures.append(LoadFailure(str(path), path.name, "missing", f"{path}: no such file or folder"))
    return files


def load_file(path: str | Path) -> list[Article]:
    """Load one file; raises ``LoadError`` naming the file and the problem."""
    return _load(Path(path))[0]


def _load(path: Path) -> tuple[list[Article], list[LoadFailure]]:
    """Articles of one file, and its broken records (JSON), each failing alone."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise LoadError(
            path,
            "unknown_type",
            f"unknown file type {suffix or '(none)'!r}; expected one of {', '.join(sorted(SUFFIXES))}",
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES[suffix]:
            raise LoadError(path, "too_long", _too_big(size, suffix))
        data = path.read_bytes()
    except OSError as err:
        raise LoadError(path, "unreadable", f"cannot be read ({err.strerror or err})") from None
    if not data.strip():
        raise LoadError(path, "empty", "file is empty")
    if b"\x00" in data[:8192]:
        raise LoadError(path, "binary", "file looks binary (NUL bytes), not text")
    try:
        raw = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise LoadError(path, "undecodable", f"not valid UTF-8 text (byte {err.start})") from None
    if suffix == ".txt":
        return [_from_txt(path, raw)], []
    if suffix in {".json", ".jsonl"}:
        return _from_json(path, raw, lines=suffix == ".jsonl")
    return [_from_html(path, raw)], []


def _too_big(size: int, suffix: str) -> str:
    limit = MAX_FILE_BYTES[suffix]
    what = "split it into several files" if suffix in {".json", ".jsonl"} else "split it into separate articles"
    return (
        f"file is {size:,} bytes, over the {limit:,}-byte limit for {suffix} files "
        f"(an article is at most {MAX_CHARS:,} characters); {what}"
    )


def _article(origin: Path, /, **fields: object) -> Article:
    try:
        return Article(**fields)
    except ValueError as err:  # pydantic's ValidationError is a ValueError
        reason = "; ".join(e["msg"] for e in getattr(err, "errors", lambda: [])()) or str(err)
        raise LoadError(origin, "invalid", f"article {fields.get('id')}: {reason}") from None


def _published(value: object) -> dict[str, object]:
    """The ``published`` field, and a problem instead when the date cannot be read: a feed's odd
    date format must not cost the article its text."""
    try:
        return {"published": publication_day(value)}
    except ValueError as err:
        problem = Problem(
            kind=ProblemKind.bad_published,
            message=f"publication date {value!r} not understood ({err}); the article is kept undated"[:400],
        )
        return {"published": None, "problems": [problem]}


def _checked(article: Article, path: Path) -> Article:
    if not article.text.strip():
        raise LoadError(path, "empty", f"article {article.id} has no text")
    if len(article.text) > MAX_CHARS:
        raise LoadError(
            path,
            "too_long",
            f"article {article.id} has {len(article.text):,} characters, over the {MAX_CHARS:,} limit; "
            "split it into separate articles",
        )
    return article


def _from_txt(path: Path, raw: str) -> Article:
    text = normalize_text(raw)
    published: dict[str, object] = {}
    title = None
    match = _DATE_LINE.match(text)
    if match:
        published = _published(match.group(1))
        text = text[match.end() :].lstrip()
    else:
        title = text.split("\n", 1)[0].strip()[:300] or None
    return _checked(_article(path, id=path.name, title=title, path=str(path), text=text, **published), path)


def _from_json(path: Path, raw: str, *, lines: bool) -> tuple[list[Article], list[LoadFailure]]:
    """Records that are broken fail alone; the others in the same file still load.

    JSON Lines are parsed line by line, so one truncated line (a feed cut off mid-write) costs
    that record only, reported with its line number. A JSON file is one document: if it does not
    parse, the file fails."""
    if lines:
        # JSON Lines are separated by "\n" only: str.splitlines() would also split inside records
        # at U+2028 and other characters JSON strings may hold unescaped.
        numbered = [(n, line) for n, line in enumerate(raw.split("\n"), start=1) if line.strip()]
    else:
        try:
            document = json.loads(raw)
        except json.JSONDecodeError as err:
            raise LoadError(path, "bad_json", f"invalid JSON at line {err.lineno}: {err.msg}") from None
        records = [document] if isinstance(document, dict) else document
        if not isinstance(records, list):
            raise LoadError(path, "bad_json", "expected an object or a list of objects with a 'text' field")
        numbered = [(None, record) for record in records]
    articles: list[Article] = []
    failures: list[LoadFailure] = []
    for n, (line_no, item) in enumerate(numbered):
        default_id = path.name if len(numbered) == 1 else f"{path.name}#{n}"
        where = f"line {line_no}" if line_no is not None else f"record {n}"
        record: object = item
        if isinstance(item, str):
            if len(item) > MAX_RAW_CHARS:
                message = f"{path}: {where}: {len(item):,} characters, over the {MAX_RAW_CHARS:,} limit for one record"
                failures.append(LoadFailure(str(path), default_id, "too_long", message))
                continue
            try:
                record = json.loads(item)
            except json.JSONDecodeError as err:
                message = f"{path}: {where}: invalid JSON ({err.msg}, column {err.colno})"
                failures.append(LoadFailure(str(path), default_id, "bad_json", message))
                continue
        record_id = str(record.get("id") or default_id) if isinstance(record, dict) else default_id
        try:
            if not isinstance(record, dict):
                raise LoadError(path, "bad_record", "not a JSON object with a 'text' field")
            if not isinstance(record.get("text"), str):
                raise LoadError(path, "bad_record", "no 'text' string")
            if len(record["text"]) > MAX_RAW_CHARS:  # refused before normalisation, which is what costs
                reason = f"article {record_id} has {len(record['text']):,} characters, over the {MAX_RAW_CHARS:,} limit"
                raise LoadError(path, "too_long", reason)
            article = _article(
                path,
                id=record_id,
                title=record.get("title"),
                source=record.get("source"),
                path=str(path),
                text=normalize_text(record["text"]),
                **_published(record.get("published")),
            )
            articles.append(_checked(article, path))
        except LoadError as err:
            failures.append(LoadFailure(str(path), record_id, err.kind, f"{path}: {where}: {err.reason}"))
    return articles, failures


def _from_html(path: Path, raw: str) -> Article:
    import trafilatura

    try:
        extracted = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False)
    except Exception as err:  # trafilatura raises many kinds on broken markup
        raise LoadError(path, "bad_html", f"HTML could not be parsed ({type(err).__name__})") from None
    if extracted is None:
        raise LoadError(path, "no_text", "no article text found in the HTML page")
    meta = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = normalize_text(meta.get("text") or "")
    article = _article(
        path,
        id=path.name,
        title=normalize_text(meta.get("title") or "") or None,
        source=meta.get("sitename") or meta.get("hostname"),
        path=str(path),
        text=text,
        **_published(meta.get("date")),
    )
    return _checked(article, path)
