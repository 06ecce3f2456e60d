"""Daily briefs: one brief per publication date, each saying what is new since the day before."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

from llmsum.io.files import write_atomic
from llmsum.io.render import md_code, md_text
from llmsum.models import Article, ArticleExtraction, Brief, Event, Failure
from llmsum.prose.names import key
from llmsum.reconcile import reconcile

UNDATED = "undated"
INDEX = "index.md"
BRIEF_SUFFIXES = (".md", ".json", ".html")
# The names write_daily gives its briefs, and the index links to them.
_BRIEF_NAME = re.compile(rf"(?:\d{{4}}-\d{{2}}-\d{{2}}|{UNDATED})\.(?:md|json|html)")
_INDEX_LINK = re.compile(rf"\[(\d{{4}}-\d{{2}}-\d{{2}}|{UNDATED})\]\(\1\.md\)")
log = logging.getLogger(__name__)


def _event_key(event: Event) -> tuple[str | None, frozenset[str]]:
    return event.event_date, frozenset(key(loc.name) for loc in event.locations)


def _same_event(a: Event, b: Event) -> bool:
    (da, pa), (db, pb) = _event_key(a), _event_key(b)
    return da is not None and da == db and bool(pa & pb)


def new_since(brief: Brief, previous: Brief | None) -> list[str]:
    """Ids of this brief's main events that the previous brief did not report."""
    if previous is None:
        return [e.event_id for e in brief.events if not e.background]
    return [
        e.event_id for e in brief.events if not e.background and not any(_same_event(e, p) for p in previous.events)
    ]


def _days_in_index(index: Path) -> set[str]:
    """The days a previous run wrote into this folder, read from the links of its index."""
    try:
        text = index.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {m.group(1) for m in _INDEX_LINK.finditer(text)}


def _remove_stale(out: Path, days: set[str]) -> None:
    """Remove llmsum's own files of ``days``: only ``<day>.md/.json/.html``, never anything else."""
    for day in sorted(days):
        for suffix in BRIEF_SUFFIXES:
            path = out / f"{day}{suffix}"
            if not _BRIEF_NAME.fullmatch(path.name) or not path.is_file():
                continue
            try:
                path.unlink()
                log.info("removed %s: no article of %s in this run", path, day)
            except OSError as exc:
                log.warning("could not remove %s (%s); it is no longer listed in the index", path, exc)


def write_daily(
    articles: Sequence[Article],
    extractions: Sequence[ArticleExtraction],
    load_failures: Sequence[Failure],
    out: Path,
) -> list[dict[str, object]]:
    """Write ``<date>.md/.json/.html`` per publication date and ``index.md``; returns the index rows.

    Re-run into the same folder, it removes the briefs of days it wrote before (as the previous
    ``index.md`` lists them) that this run no longer has, so that the folder and its index agree."""
    out.mkdir(parents=True, exist_ok=True)
    written_before = _days_in_index(out / INDEX)
    by_date: dict[str, list[ArticleExtraction]] = {}
    for ex in extractions:
        by_date.setdefault(ex.article.published or UNDATED, []).append(ex)
    texts = {a.id: a.text for a in articles}
    rows: list[dict[str, object]] = []
    previous: Brief | None = None
    days = sorted(d for d in by_date if d != UNDATED) + ([UNDATED] if UNDATED in by_date else [])
    # files that could not be read have no date: they are reported in the newest brief (this run's)
    report_failures_in = max((d for d in days if d != UNDATED), default=UNDATED)
    for day in days:
        day_texts = {ex.article.id: texts[ex.article.id] for ex in by_date[day] if ex.article.id in texts}
        brief = reconcile(by_date[day], date=None if day == UNDATED else day, texts=day_texts)
        if day == report_failures_in:
            brief.failures = list(load_failures) + brief.failures
        fresh = new_since(brief, previous) if day != UNDATED else []
        markdown = brief.to_markdown()
        if day != UNDATED:
            label = f"since {previous.date}" if previous else "(first brief)"
            names = ", ".join(fresh) if fresh else "none"
            markdown = markdown.replace("\n\n", f"\n\nNew {label}: {names}.\n\n", 1)
        write_atomic(out / f"{day}.md", markdown)
        write_atomic(out / f"{day}.json", brief.model_dump_json(indent=1) + "\n")
        write_atomic(out / f"{day}.html", brief.to_html())
        rows.append(
            {
                "date": day,
                "events": len([e for e in brief.events if not e.background]),
                "new": len(fresh),
                "articles": len(by_date[day]),
                "failures": len(brief.failures),
            }
        )
        if day != UNDATED:
            previous = brief
    _remove_stale(out, written_before - set(days))
    lines = ["# Daily briefs", "", "| date | events | new | articles | failures |", "|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| [{row['date']}]({row['date']}.md) | {row['events']} | {row['new']} | {row['articles']} | "
            f"{row['failures']} |"
        )
    if load_failures:
        lines += ["", "Files that could not be loaded:", ""] + [
            f"- {md_code(f.article_id)}: {md_text(f.message)}" for f in load_failures
        ]
    write_atomic(out / INDEX, "\n".join(lines) + "\n")
    return rows
