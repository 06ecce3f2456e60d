"""The ``llmsum`` command line (also ``python -m llmsum``). Exit status: 0 success, 1 some articles
failed but output was written (failures listed in it), 2 bad usage or nothing could be done, 130
interrupted (Ctrl-C), 143 terminated (SIGTERM)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import re
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Optional

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from llmsum import __version__
from llmsum.errors import LocalModelError
from llmsum.io.export import ExportFormat, export, schema_text
from llmsum.io.files import write_atomic
from llmsum.io.load import Articles, load_articles
from llmsum.llm.client import RedactKeys
from llmsum.llm.profiles import PROFILES
from llmsum.llm.settings import Settings, resolve_settings
from llmsum.models import ArticleExtraction, Brief, Failure, ProblemKind
from llmsum.pipeline import extract, failed_extraction
from llmsum.reconcile import reconcile

app = typer.Typer(
    help="llmsum: turn news articles about strikes into one grounded, cross-source brief.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)
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


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"llmsum {__version__}")
        raise typer.Exit(0)


@app.callback()
def _app(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """llmsum: turn news articles about strikes into one grounded, cross-source brief."""


# The key llmsum is given (the CLI takes it from OPENAI_API_KEY only), kept out of everything the
# CLI's log handler writes and out of its error lines.
_keys = RedactKeys()


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes, as logging.lastResort does (tests
    and embedding applications swap it)."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr


def _setup_logging(verbose: bool) -> None:
    _keys.add(os.environ.get("OPENAI_API_KEY"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "llmsum"]:
        root.removeHandler(old)
    handler = _Stderr()
    handler.set_name("llmsum")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_keys)
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("httpx2").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("instructor").setLevel(logging.CRITICAL)


def _settings(
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


def _check_out(out: Path, folder: bool) -> None:
    """Checked before any model call: a bad -o found only when writing would waste them all."""
    if not folder and out.is_dir():
        err.print(f"[red]error:[/red] -o {out} is a folder; give a file name")
        raise typer.Exit(2)
    where = out if folder else out.parent
    existing = next((p for p in (where, *where.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        err.print(f"[red]error:[/red] -o {out}: {existing} is a file, not a folder")
        raise typer.Exit(2)


def _load(paths: list[Path], date: str | None = None) -> Articles:
    articles = load_articles(*paths)
    for failure in articles.failures:
        err.print(f"[yellow]skipped[/yellow] {failure}")
    if date:
        kept = [a for a in articles if a.published == date]
        articles = Articles(kept, articles.failures)
    return articles


def _run_extract(
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


def _load_failures(articles: Articles) -> list[Failure]:
    return [Failure(article_id=f.article_id, kind=f.kind, message=f.message) for f in articles.failures]


def _exit_code(done: int, failed: int) -> int:
    """0 all done; 1 some failed but the output lists them; 2 nothing could be done."""
    if done == 0:
        return 2
    return 1 if failed else 0


def _file_name(article_id: str) -> str:
    """Article ids come from user data (JSON ids): never let one pick a folder, nor two share a
    file (``a/b``, ``a b`` and ``a_b`` all read ``a_b``). An id that had to change gets a hash of
    itself after a ``+``, which no unchanged id can contain."""
    safe = re.sub(r"[^A-Za-z0-9._#-]+", "_", article_id).lstrip(".")
    if safe != article_id or not safe:
        safe = f"{safe or 'article'}+{hashlib.sha256(article_id.encode()).hexdigest()[:10]}"
    return f"{safe}.json"


def _valid_date(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


@app.command("extract")
def extract_cmd(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for one <article id>.json per article.")],
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    profile: ProfileOpt = None,
    local: LocalOpt = False,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    concurrency: ConcurrencyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Extract each article into an ArticleExtraction JSON file.

    Example: `llmsum extract seeds/ -o out/extractions`

    Each file is written as soon as its article is done, so an interrupted run keeps its work.
    """
    _setup_logging(verbose)
    _check_out(out, folder=True)
    articles = _load(paths)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded")
        raise typer.Exit(2)
    settings = _settings(model, base_url, profile, local, concurrency, timeout)
    out.mkdir(parents=True, exist_ok=True)

    def save(extraction: ArticleExtraction) -> None:
        write_atomic(out / _file_name(extraction.article.id), extraction.model_dump_json(indent=1) + "\n")

    for failure in articles.failures:  # so that `llmsum reconcile` lists them in the brief too
        save(failed_extraction(failure.article_id, failure.path, failure.kind, failure.message))
    results = _run_extract(articles, settings, not no_cache, cache_dir, on_each=save)
    failed = sum(1 for r in results if r.failed) + len(articles.failures)
    err.print(f"wrote {len(results)} extraction(s) to {out}" + (f"; {failed} failed" if failed else ""))
    raise typer.Exit(_exit_code(len(results) - sum(1 for r in results if r.failed), failed))


def _read_extractions(files: list[Path]) -> list[ArticleExtraction]:
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


def _texts_of(extractions: list[ArticleExtraction]) -> dict[str, str]:
    """Article texts, where the extractions' files are still on disk: coding reads how each strike was
    carried out from them, and grounding can be scored."""
    texts: dict[str, str] = {}
    for ex in extractions:
        if ex.article.path and Path(ex.article.path).is_file():
            texts.update({a.id: a.text for a in load_articles(ex.article.path)})
    return texts


@app.command("reconcile")
def reconcile_cmd(
    files: Annotated[list[Path], typer.Argument(help="ArticleExtraction JSON files or folders of them.")],
    out: Annotated[Path, typer.Option("-o", "--out", help="Brief JSON file to write.")],
    date: Annotated[Optional[str], typer.Option("--date", help="Date of the brief (YYYY-MM-DD).")] = None,  # noqa: UP045
    verbose: VerboseOpt = False,
) -> None:
    """Merge extraction files into a Brief JSON, with no model call.

    Example: `llmsum reconcile out/extractions -o brief.json`
    """
    _setup_logging(verbose)
    _check_out(out, folder=False)
    extractions = _read_extractions(files)
    if not extractions:
        err.print("[red]error:[/red] no extraction files given")
        raise typer.Exit(2)
    brief = reconcile(extractions, date=_valid_date(date), texts=_texts_of(extractions))
    write_atomic(out, brief.model_dump_json(indent=1) + "\n")
    err.print(f"wrote {out}: {len(brief.events)} event(s)")
    raise typer.Exit(_exit_code(sum(1 for e in extractions if not e.failed), len(brief.failures)))


FORMATS = ("md", "json", "html", *ExportFormat)


def _render(brief: Brief, fmt: str) -> str:
    if fmt == "json":
        return brief.model_dump_json(indent=1) + "\n"
    if fmt == "html":
        return brief.to_html()
    if fmt in set(ExportFormat):
        return export(brief, ExportFormat(fmt))
    return brief.to_markdown()


def _brief_for(articles: Articles, extractions: list[ArticleExtraction], date: str | None) -> Brief:
    brief = reconcile(extractions, date=date, texts={a.id: a.text for a in articles})
    brief.failures = _load_failures(articles) + brief.failures
    return brief


@app.command("brief")
def brief_cmd(
    paths: PathsArg,
    date: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--date", help="Only articles published on this date (YYYY-MM-DD)."),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="md, json, html, plover (JSON Lines) or acled (CSV).")
    ] = "md",
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="File to write (default: stdout).")] = None,  # noqa: UP045
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    profile: ProfileOpt = None,
    local: LocalOpt = False,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    concurrency: ConcurrencyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Extract (cached), reconcile and render a brief.

    Example: `llmsum brief seeds/ -o brief.md` or `llmsum brief seeds/ --format html -o brief.html`
    (`--format plover` or `acled` writes the export of `llmsum export` directly)
    """
    _setup_logging(verbose)
    date = _valid_date(date)
    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(2)
    if out:
        _check_out(out, folder=False)
    articles = _load(paths, date)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded" + (f" for {date}" if date else ""))
        raise typer.Exit(2)
    settings = _settings(model, base_url, profile, local, concurrency, timeout)
    extractions = _run_extract(articles, settings, not no_cache, cache_dir)
    brief = _brief_for(articles, extractions, date)
    text = _render(brief, fmt)
    if out:
        write_atomic(out, text)
        err.print(f"wrote {out}: {len(brief.events)} event(s), {len(brief.failures)} failure(s)")
    else:
        sys.stdout.write(text)
    raise typer.Exit(_exit_code(sum(1 for e in extractions if not e.failed), len(brief.failures)))


@app.command("export")
def export_cmd(
    brief_file: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="Brief JSON (from `llmsum reconcile` or `llmsum brief --format json`)."),
    ] = None,
    to: Annotated[ExportFormat, typer.Option("--to", help="plover (JSON Lines) or acled (CSV).")] = ExportFormat.plover,
    out: Annotated[Optional[Path], typer.Option("-o", "--out", help="File to write (default: stdout).")] = None,  # noqa: UP045
    show_schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of one exported record instead.")
    ] = False,
) -> None:
    """Export a brief's events and reactions as PLOVER records or ACLED-style rows.

    Example: `llmsum export brief.json --to plover -o events.jsonl` or
    `llmsum export brief.json --to acled -o events.csv`; `llmsum export --to acled --schema` prints the schema.
    """
    if show_schema:
        text = schema_text(to)
    else:
        if brief_file is None:
            err.print("[red]error:[/red] give a brief JSON file (or --schema)")
            raise typer.Exit(2)
        try:
            brief = Brief.model_validate_json(brief_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            err.print(f"[red]error:[/red] {brief_file}: not a brief JSON file ({str(exc).splitlines()[0]})")
            raise typer.Exit(2) from None
        text = export(brief, to)
    if out:
        write_atomic(out, text)
        err.print(f"wrote {out}")
    else:
        sys.stdout.write(text)


@app.command("daily")
def daily_cmd(
    paths: PathsArg,
    out: Annotated[Path, typer.Option("-o", "--out", help="Folder for the daily briefs and index.md.")],
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    profile: ProfileOpt = None,
    local: LocalOpt = False,
    no_cache: NoCacheOpt = False,
    cache_dir: CacheDirOpt = None,
    concurrency: ConcurrencyOpt = None,
    timeout: TimeoutOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """One brief per publication date (Markdown, JSON and HTML), plus an index.

    Example: `llmsum daily feeds/ -o briefs/`. Re-running with new articles only asks the model
    about the new ones (the rest come from the cache).
    """
    from llmsum.daily import write_daily

    _setup_logging(verbose)
    _check_out(out, folder=True)
    articles = _load(paths)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded")
        raise typer.Exit(2)
    settings = _settings(model, base_url, profile, local, concurrency, timeout)
    extractions = _run_extract(articles, settings, not no_cache, cache_dir)
    index = write_daily(articles, extractions, _load_failures(articles), out)
    err.print(f"wrote {len(index)} daily brief(s) and {out / 'index.md'}")
    failed = sum(1 for e in extractions if e.failed) + len(articles.failures)
    raise typer.Exit(_exit_code(len(extractions) - sum(1 for e in extractions if e.failed), failed))


@app.command("fetch-model")
def fetch_model_cmd() -> None:
    """Download and verify the embedded local model (done automatically on first use)."""
    from llmsum.llm.local import model_path

    try:
        path = model_path()
    except LocalModelError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    typer.echo(str(path))


@app.command("eval")
def eval_cmd(
    paths: PathsArg,
    gold: Annotated[Path, typer.Option("--gold", help="Gold file in the format of seeds_gold.json.")],
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Also write the scores as JSON.")] = None,  # noqa: UP045
    run: Annotated[
        bool, typer.Option("--run", help="Extract PATH articles first (else PATH holds extraction files).")
    ] = False,
    model: ModelOpt = None,
    base_url: BaseUrlOpt = None,
    profile: ProfileOpt = None,
    local: LocalOpt = False,
    cache_dir: CacheDirOpt = None,
    timeout: TimeoutOpt = None,
) -> None:
    """Score extractions and their brief against a gold file.

    Example: `llmsum eval --gold ../shared/gold/seeds_gold.json examples/seeds/extractions`
    """
    from llmsum.errors import GoldError
    from llmsum.eval import evaluate, format_table
    from llmsum.eval.gold import load_gold

    _setup_logging(False)
    try:  # before any extraction: a bad gold file should not cost a run
        gold_data = load_gold(gold)
    except GoldError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    if run:
        articles = _load(paths)
        extractions = _run_extract(articles, _settings(model, base_url, profile, local, None, timeout), True, cache_dir)
    else:
        extractions = _read_extractions(paths)
    if not extractions:
        err.print("[red]error:[/red] nothing to score")
        raise typer.Exit(2)
    texts = _texts_of(extractions)
    scores = evaluate(extractions, reconcile(extractions), gold_data, texts or None)
    typer.echo(format_table(scores))
    if json_out:
        write_atomic(json_out, json.dumps(scores, indent=1) + "\n")


def main() -> None:
    """Exit status: 0 done, 1 some articles failed (output written, failures listed in it), 2 bad
    usage or nothing could be done, 130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Unexpected
    errors exit 2 with one clear line."""
    terminated = False

    def on_sigterm(signum: int, frame: FrameType | None) -> None:
        # Python runs no `finally` for a signal it does not handle: without this, `kill` would
        # leave the embedded model server running and the article in progress unrecorded. Do
        # whatever Ctrl-C does right now (inside asyncio.run, cancel the running task).
        nonlocal terminated
        terminated = True
        on_sigint = signal.getsignal(signal.SIGINT)
        if callable(on_sigint):
            on_sigint(signal.SIGINT, frame)
        else:  # SIGINT ignored (started in the background): unwind all the same
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_sigterm)  # here and only here: importing llmsum changes no signal
    _keys.add(os.environ.get("OPENAI_API_KEY"))
    try:
        # standalone_mode=False lets llmsum word its own errors; click then *returns* the exit code
        # (typer.Exit, and 130 for Ctrl-C) instead of exiting with it.
        code = app(standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):
        code = 130
    except click.exceptions.ClickException as exc:
        exc.show()
        code = 2
    except Exception as exc:
        err.print(f"[red]error:[/red] {escape(_keys.redact(f'{type(exc).__name__}: {exc}'))}")
        code = 2
    if code == 130:
        code, what = (143, "terminated (SIGTERM)") if terminated else (130, "interrupted")
        err.print(f"{what}; finished articles are cached (unless --no-cache) and will not be asked again")
    sys.exit(code if isinstance(code, int) else 0)
