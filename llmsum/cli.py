"""The ``llmsum`` command line (also ``python -m llmsum``). Exit status: 0 success, 1 some articles
failed but output was written (failures listed in it), 2 bad usage or nothing could be done, 130
interrupted (Ctrl-C), 143 terminated (SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Optional

import click
import typer
from rich.markup import escape

from llmsum import __version__
from llmsum.cli_support import (
    REDACT_KEYS,
    BaseUrlOpt,
    CacheDirOpt,
    ConcurrencyOpt,
    LocalOpt,
    ModelOpt,
    NoCacheOpt,
    PathsArg,
    ProfileOpt,
    TimeoutOpt,
    VerboseOpt,
    check_out,
    cli_settings,
    err,
    exit_code,
    file_name_for,
    load_failures,
    load_paths,
    read_extractions,
    run_extract,
    setup_logging,
    texts_of,
    valid_date,
)
from llmsum.errors import LocalModelError
from llmsum.io.export import ExportFormat, export, schema_text
from llmsum.io.files import write_atomic
from llmsum.io.load import Articles
from llmsum.models import ArticleExtraction, Brief
from llmsum.pipeline import failed_extraction
from llmsum.reconcile import reconcile

app = typer.Typer(
    help="llmsum: turn news articles about strikes into one grounded, cross-source brief.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)


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
    setup_logging(verbose)
    check_out(out, folder=True)
    articles = load_paths(paths)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded")
        raise typer.Exit(2)
    settings = cli_settings(model, base_url, profile, local, concurrency, timeout)
    out.mkdir(parents=True, exist_ok=True)

    def save(extraction: ArticleExtraction) -> None:
        write_atomic(out / file_name_for(extraction.article.id), extraction.model_dump_json(indent=1) + "\n")

    for failure in articles.failures:  # so that `llmsum reconcile` lists them in the brief too
        save(failed_extraction(failure.article_id, failure.path, failure.kind, failure.message))
    results = run_extract(articles, settings, not no_cache, cache_dir, on_each=save)
    failed = sum(1 for r in results if r.failed) + len(articles.failures)
    err.print(f"wrote {len(results)} extraction(s) to {out}" + (f"; {failed} failed" if failed else ""))
    raise typer.Exit(exit_code(len(results) - sum(1 for r in results if r.failed), failed))


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
    setup_logging(verbose)
    check_out(out, folder=False)
    extractions = read_extractions(files)
    if not extractions:
        err.print("[red]error:[/red] no extraction files given")
        raise typer.Exit(2)
    brief = reconcile(extractions, date=valid_date(date), texts=texts_of(extractions))
    write_atomic(out, brief.model_dump_json(indent=1) + "\n")
    err.print(f"wrote {out}: {len(brief.events)} event(s)")
    raise typer.Exit(exit_code(sum(1 for e in extractions if not e.failed), len(brief.failures)))


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
    brief.failures = load_failures(articles) + brief.failures
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
    setup_logging(verbose)
    date = valid_date(date)
    if fmt not in FORMATS:
        err.print(f"[red]error:[/red] --format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(2)
    if out:
        check_out(out, folder=False)
    articles = load_paths(paths, date)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded" + (f" for {date}" if date else ""))
        raise typer.Exit(2)
    settings = cli_settings(model, base_url, profile, local, concurrency, timeout)
    extractions = run_extract(articles, settings, not no_cache, cache_dir)
    brief = _brief_for(articles, extractions, date)
    text = _render(brief, fmt)
    if out:
        write_atomic(out, text)
        err.print(f"wrote {out}: {len(brief.events)} event(s), {len(brief.failures)} failure(s)")
    else:
        sys.stdout.write(text)
    raise typer.Exit(exit_code(sum(1 for e in extractions if not e.failed), len(brief.failures)))


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

    setup_logging(verbose)
    check_out(out, folder=True)
    articles = load_paths(paths)
    if not articles:
        err.print("[red]error:[/red] no article could be loaded")
        raise typer.Exit(2)
    settings = cli_settings(model, base_url, profile, local, concurrency, timeout)
    extractions = run_extract(articles, settings, not no_cache, cache_dir)
    index = write_daily(articles, extractions, load_failures(articles), out)
    err.print(f"wrote {len(index)} daily brief(s) and {out / 'index.md'}")
    failed = sum(1 for e in extractions if e.failed) + len(articles.failures)
    raise typer.Exit(exit_code(len(extractions) - sum(1 for e in extractions if e.failed), failed))


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

    setup_logging(False)
    try:  # before any extraction: a bad gold file should not cost a run
        gold_data = load_gold(gold)
    except GoldError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from None
    if run:
        articles = load_paths(paths)
        extractions = run_extract(
            articles, cli_settings(model, base_url, profile, local, None, timeout), True, cache_dir
        )
    else:
        extractions = read_extractions(paths)
    if not extractions:
        err.print("[red]error:[/red] nothing to score")
        raise typer.Exit(2)
    texts = texts_of(extractions)
    scores = evaluate(extractions, reconcile(extractions, texts=texts), gold_data, texts or None)
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
    REDACT_KEYS.add(os.environ.get("OPENAI_API_KEY"))
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
        err.print(f"[red]error:[/red] {escape(REDACT_KEYS.redact(f'{type(exc).__name__}: {exc}'))}")
        code = 2
    if code == 130:
        code, what = (143, "terminated (SIGTERM)") if terminated else (130, "interrupted")
        err.print(f"{what}; finished articles are cached (unless --no-cache) and will not be asked again")
    sys.exit(code if isinstance(code, int) else 0)
