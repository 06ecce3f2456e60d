"""The public extraction entry point: cache → (local server) → LLM drafts → grounding.

It knows the order of the extraction stages (llm answers, then grounding); ``reconcile`` and the
renderers take its output. Each stage package knows only its own input and output, and none imports
this one. ``extract`` runs its own event loop (``asyncio.run``): call it from synchronous code.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from llmsum.ground import check_draft, ground
from llmsum.io.text import duplicate_key
from llmsum.llm import local as local_model
from llmsum.llm.cache import CachedDraft, DraftCache
from llmsum.llm.cache import cache_dir as default_cache_dir
from llmsum.llm.calls import DraftResult, extract_drafts, request_key
from llmsum.llm.prompts import prompt_hash
from llmsum.llm.settings import Settings, resolve_settings
from llmsum.models import Article, ArticleDraft, ArticleExtraction, ArticleRef, Problem, ProblemKind, Usage

log = logging.getLogger(__name__)

Progress = Callable[[ArticleExtraction, float], None]


def article_ref(article: Article) -> ArticleRef:
    return ArticleRef(
        id=article.id, title=article.title, source=article.source, published=article.published, path=article.path
    )


def failed_extraction(article_id: str, path: str | None, kind: str, message: str) -> ArticleExtraction:
    """The record of an article that could not even be loaded, so that it still shows in briefs."""
    return ArticleExtraction(
        article=ArticleRef(id=article_id, path=path), failed=True, problems=[Problem(kind=kind, message=message)]
    )


def build_extraction(
    article: Article,
    draft: ArticleDraft | None,
    usage: Usage,
    problems: list[Problem],
    settings: Settings,
    failure: Problem | None = None,
) -> ArticleExtraction:
    """Ground a draft into the published record (or record why there is none). A bug in grounding
    fails this article only, not the run. What loading noticed about the article comes first."""
    extraction = ArticleExtraction(
        article=article_ref(article),
        usage=usage,
        problems=[*article.problems, *problems],
        model=settings.model,
        prompt_hash=prompt_hash(),
    )
    if failure is not None or draft is None:
        extraction.failed = True
        extraction.problems.append(failure or Problem(kind=ProblemKind.error, message="no answer from the model"))
        return extraction
    try:
        strikes, reactions, grounding_problems = ground(article, draft)
    except Exception as exc:  # isolation is the point
        extraction.failed = True
        extraction.problems.append(
            Problem(kind=ProblemKind.internal_error, message=f"grounding failed: {type(exc).__name__}: {exc}"[:400])
        )
        return extraction
    extraction.strikes = strikes
    extraction.reactions = reactions
    extraction.problems.extend(grounding_problems)
    return extraction


@contextlib.contextmanager
def _serving(settings: Settings) -> Iterator[Settings]:
    if not settings.local:
        yield settings
        return
    with local_model.local_server() as base_url:
        yield replace(settings.with_server(base_url, "local"), server_log=str(local_model.server_log()))


def extract(
    articles: Sequence[Article],
    *,
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    profile: str | None = None,
    local: bool | None = None,
    cache: bool = True,
    cache_dir: str | Path | None = None,
    concurrency: int | None = None,
    timeout: float | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
) -> list[ArticleExtraction]:
    """Extract and ground every article; one failing article never stops the others.

    Results come back in input order. Cached answers are reused (zero model calls); the local
    model server is started only when at least one article needs the model.
    """
    settings = settings or resolve_settings(
        model, base_url, api_key, profile, local, concurrency=concurrency, timeout=timeout
    )
    store = DraftCache((Path(cache_dir) if cache_dir else default_cache_dir()) / "drafts") if cache else None
    if store is not None and (why := store.unusable()):
        log.warning("model answers will not be cached (%s); set LLMSUM_CACHE_DIR or --cache-dir", why)
        store = None
    results: dict[int, ArticleExtraction] = {}
    todo: list[tuple[int, Article, str]] = []
    first_by_text: dict[str, int] = {}
    for i, article in enumerate(articles):
        # One story re-published (same text but for case, spacing or punctuation) is one source:
        # extracted once, and reconcile does not count the copy as a second source.
        first_index = first_by_text.setdefault(duplicate_key(article.text), i)
        if first_index != i:
            first = articles[first_index]
            how = "same text" if first.text == article.text else "same text but for case, spacing or punctuation"
            results[i] = ArticleExtraction(
                article=article_ref(article),
                model=settings.model,
                prompt_hash=prompt_hash(),
                problems=[
                    *article.problems,
                    Problem(
                        kind=ProblemKind.duplicate,
                        message=f"{how} as {first.id}; extracted once, not counted as a separate source",
                        duplicate_of=first.id,
                    ),
                ],
            )
            continue
        key = request_key(article, settings)
        hit = store.get(key) if store else None
        if hit is not None:
            extraction = build_extraction(article, hit.whole(), Usage(), hit.problems, settings)
            extraction.problems.append(
                Problem(
                    kind=ProblemKind.cached,
                    message="model answer reused from the cache",
                    original_usage=hit.usage.model_dump(),
                )
            )
            results[i] = extraction
            if progress:
                progress(extraction, 0.0)
        else:
            todo.append((i, article, key))

    if todo:
        if on_start:
            on_start(len(todo))
        index_of = {id(a): (i, key) for i, a, key in todo}

        def done(result: DraftResult) -> None:
            i, key = index_of[id(result.article)]
            extraction = build_extraction(
                result.article, result.draft, result.usage, result.problems, settings, result.failure
            )
            complete = not extraction.failed and not any(
                p.kind.startswith("reactions_") or p.kind == ProblemKind.earlier_failed for p in result.problems
            )
            if store is not None and complete and result.draft is not None:
                try:  # only whole answers are cached: a half that failed is asked again next run
                    store.put(key, CachedDraft.of(result.draft, result.usage, result.problems))
                except OSError as exc:
                    extraction.problems.append(Problem(kind=ProblemKind.cache_write_failed, message=str(exc)[:300]))
            results[i] = extraction
            if progress:
                progress(extraction, result.seconds)

        with _serving(settings) as live:
            asyncio.run(
                extract_drafts(
                    [a for _, a, _ in todo],
                    live,
                    check_for=lambda article: lambda draft: check_draft(draft, article),
                    on_done=done,
                )
            )
    return [results[i] for i in range(len(articles)) if i in results]
