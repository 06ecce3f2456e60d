"""What every ``llmsum`` command shares: its options, stderr and logging, loading and extracting with a
progress bar, output checks and exit codes. ``llmsum.cli`` holds the commands themselves."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from llmsum.errors import LocalModelError
from llmsum.io.load import Articles, load_articles
from llmsum.llm.client import RedactKeys
from llmsum.llm.profiles import PROFILES
from llmsum.llm.settings import Settings, resolve_settings
from llmsum.models import ArticleExtraction, Failure, ProblemKind
from llmsum.pipeline import extract

err = Console(stderr=True, soft_wrap=True)  # messages name paths: never break a line inside one

PathsArg = Annotated[list[Path], typer.Argument(help="Article files or folders (.txt, .json, .jsonl, .html).")]
ModelOpt = Annotated[Optional[str], typer.Option("--model", help="Model name. Env: LLMSUM_MODEL.")]  # noqa: UP045
BaseUrlOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--base-url", help="OpenAI-compatible server URL. Env: LLMSUM_BASE_URL."),
]
ProfileOpt = Annotated[
    Optional[str],  # noqa: UP045
    typer.Option("--profile", help=f"Server profile: {', '.join(PROFILES)}. Env: LLMSUM_PROFILE."),
]
LocalOpt = Annotated[
    bool, typer.Option("--local", help="Use the embedded local model (the default with no key and no URL).")
]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Ask the model even if an answer is cached.")]
CacheDirOpt = Annotated[
    Optional[Path],  # noqa: UP045
    typer.Option("--cache-dir", help="Where model answers are cached. Env: LLMSUM_CACHE_DIR."),
]
ConcurrencyOpt = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--concurrency", "-j", min=1, help="Articles extracted at once (remote servers)."),
]
TimeoutOpt = Annotated[
    Optional[float],  # noqa: UP045
    typer.Option(
        "--timeout",
        help="Seconds one model call may take (default 600 for the embedded model, 120 for a server). "
        "Env: LLMSUM_TIMEOUT.",
    ),
]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Log merges, retries and grounding details.")]


REDACT_KEYS = RedactKeys()


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes, as logging.lastResort does (tests
    and embedding applications swap it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def setup_logging(verbose: bool) -> None:
    REDACT_KEYS.add(os.environ.get("OPENAI_API_KEY"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "llmsum"]:
        root.removeHandler(old)
    handler = _Stderr()
    handler.set_name("llmsum")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(REDACT_KEYS)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)


def cli_settings(
    model: str | None,
    base_url: str | None,
    profile: str | None,
    local: bool,
    concurrency: int | None,
    timeout: float | None = None,
) -> Settings:
    try:
        return resolve_settings(
            model, base_url, None, profile, True if local else None, concurrency=concurrency, timeout=timeout
        )
    except ValueError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None


def check_out(out: Path, folder: bool) -> None:
    """Checked before any model call: a bad -o found only when writing would waste them all."""
    if not folder and out.is_dir():
        err.print(f"[red]error:[/red] -o {out} is a folder; give a file name")
        raise typer.Exit(2)
    where = out if folder else out.parent
    existing = next((p for p in (where, *where.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        err.print(f"[red]error:[/red] -o {out}: {existing} is a file, not a folder")
        raise typer.Exit(2)


def load_paths(paths: list[Path], date: str | None = None) -> Articles:
    articles = load_articles(*paths)
    for failure in articles.failures:
        err.print(f"[yellow]skipped[/yellow] {failure}")
    if date:
        kept = [a for a in articles if a.published == date]
        articles = Articles(kept, articles.failures)
    return articles


def run_extract(
    articles: Articles, settings: Settings, cache: bool, cache_dir: Path | None, on_each=None
) -> list[ArticleExtraction]:
    if not articles:
        return []
    with Progress(
        TextColumn("[bold]extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[last]}"),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("extract", total=len(articles), last="")

        def progress(extraction: ArticleExtraction, seconds: float) -> None:
            mark = "[red]failed[/red]" if extraction.failed else ("cached" if seconds == 0 else f"{seconds:.1f} s")
            bar.console.print(f"  {extraction.article.id}: {mark}")
            bar.update(task, advance=1, last=extraction.article.id)
            if on_each:
                on_each(extraction)

        def starting(n: int) -> None:
            if settings.local:
                bar.console.print(f"  starting the local model for {n} article(s)…")

        try:
            results = extract(
                articles, settings=settings, cache=cache, cache_dir=cache_dir, progress=progress, on_start=starting
            )
        except LocalModelError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
    not_asked = [r.problems[-1] for r in results if r.failed and r.problems[-1].kind == ProblemKind.circuit_open]
    if not_asked:  # once here, not once per article
        why = not_asked[0].message.removeprefix("not asked: ")
        err.print(f"[red]error:[/red] {why}; {len(not_asked)} article(s) were not asked")
    return results


def load_failures(articles: Articles) -> list[Failure]:
    return [Failure(article_id=f.article_id, kind=f.kind, message=f.message) for f in articles.failures]


def exit_code(done: int, failed: int) -> int:
    """0 all done; 1 some failed but the output lists them; 2 nothing could be done."""
    if done == 0:
        return 2
    return 1 if failed else 0


def file_name_for(article_id: str) -> str:
    """Article ids come from user data (JSON ids): never let one pick a folder, nor two share a
    file (``a/b``, ``a b`` and ``a_b`` all read ``a_b``). An id that had to change gets a hash of
    itself after a ``+``, which no unchanged id can contain."""
    safe = re.sub(r"[^A-Za-z0-9._#-]+", "_", article_id).lstrip(".")
    if safe != article_id or not safe:
        safe = f"{safe or 'article'}+{hashlib.sha256(article_id.encode()).hexdigest()[:10]}"
    return f"{safe}.json"


def valid_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def read_extractions(files: list[Path]) -> list[ArticleExtraction]:
    paths: list[Path] = []
    for f in files:
        paths.extend(sorted(f.glob("*.json")) if f.is_dir() else [f])
    extractions = []
    for p in paths:
        try:
            extractions.append(ArticleExtraction.model_validate_json(p.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            err.print(f"[red]error:[/red] {p}: not an ArticleExtraction file ({str(exc).splitlines()[0]})")
            raise typer.Exit(2) from None
    return extractions


def texts_of(extractions: list[ArticleExtraction]) -> dict[str, str]:
    """Article texts, where the extractions' files are still on disk: coding reads how each strike was
    carried out from them, and grounding can be scored."""
    texts: dict[str, str] = {}
    for ex in extractions:
        if ex.article.path and Path(ex.article.path).is_file():
            texts.update({a.id: a.text for a in load_articles(ex.article.path)})
    return texts
