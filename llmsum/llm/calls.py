"""The call plans: one call per article, or two (strikes, then reactions or speakers), many
articles at a time. What one call does on failure is ``llmsum.llm.client``'s business."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import instructor
from pydantic import BaseModel

from llmsum.llm.client import Breaker, Check, Meter, ServerLog, Step, call, make_client, redact, request
from llmsum.llm.settings import Settings
from llmsum.models import (
    Article,
    ArticleDraft,
    Problem,
    ProblemKind,
    ReactionsDraft,
    StrikeDraft,
    StrikesDraft,
    Usage,
    speaker_slots,
)
from llmsum.prose.earlier import earlier_strikes
from llmsum.prose.speakers import find_speakers

log = logging.getLogger(__name__)

CheckFactory = Callable[[Article], Check]

PLANS: dict[int, list[tuple[str, type[BaseModel]]]] = {
    1: [("all", ArticleDraft)],
    2: [("strikes", StrikesDraft), ("reactions", ReactionsDraft)],
}


@dataclass
class DraftResult:
    """What the LLM step produced for one article: a draft, or the reason there is none."""

    article: Article
    draft: ArticleDraft | None
    usage: Usage = field(default_factory=Usage)
    problems: list[Problem] = field(default_factory=list)
    failure: Problem | None = None
    seconds: float = 0.0


def plan(article: Article, settings: Settings) -> list[Step]:
    """The calls one article takes, decided before any is made (and so part of the cache key).

    Each earlier attack llmsum finds in the text (``earlier_strikes``) gets a call of its own, on its
    passage only, right after the strikes call whose system message it shares (in the one-call plan it
    follows the "all" call, whose system message differs, so nothing is reused)."""
    steps = []
    for task, model in PLANS[settings.calls_per_article]:
        if task == "reactions" and settings.judge_speakers and (speakers := find_speakers(article.text)):
            # llmsum found the speakers; the model judges each one instead of listing them
            model = speaker_slots([(s.name, s.role) for s in speakers])
            steps.append(Step("speakers", model, tuple(speakers)))
        else:
            steps.append(Step(task, model))
        if task in ("all", "strikes") and settings.find_earlier:
            steps += [Step("earlier", StrikesDraft, passage=passage) for passage in earlier_strikes(article.text)]
    return steps


def request_key(article: Article, settings: Settings) -> str:
    """Cache key of an article's answer: every request its plan sends, and where it is sent."""
    bodies = [request(article, settings, step) for step in plan(article, settings)]
    payload = json.dumps([bodies, settings.cache_identity], ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


async def extract_draft(
    client: instructor.AsyncInstructor,
    article: Article,
    settings: Settings,
    check: Check | None = None,
    server_log: ServerLog | None = None,
    breaker: Breaker | None = None,
) -> DraftResult:
    """Ask the model for one article's draft, in one call or two (strikes, then reactions).

    Never raises for model or network faults. If only the reactions call fails, the strikes are
    kept and the failure is listed as a problem."""
    result = DraftResult(article=article, draft=None)
    meter = Meter(result.problems, server_log)
    parts: dict[str, BaseModel] = {}
    earlier: list[StrikeDraft] = []
    breaker = breaker or Breaker(settings.base_url)
    for step in plan(article, settings):
        part, failure = await call(client, article, settings, step, check, meter, breaker)
        if failure is not None:
            if step.task in ("reactions", "speakers"):
                result.problems.append(Problem(kind=failure.kind.reactions_half, message=failure.message))
                continue
            if step.task == "earlier":
                message = f"earlier attack ({failure.kind.value}): {failure.message}"
                result.problems.append(Problem(kind=ProblemKind.earlier_failed, message=message))
                continue
            result.failure = failure
            break
        if step.task == "earlier":
            # the passage tells of one earlier attack: its first entry, as background whatever the model said
            first = getattr(part, "strikes", [])[:1]
            earlier += [s.model_copy(update={"background": True, "passage": step.passage}) for s in first]
            continue
        parts[step.task] = part
    if result.failure is None:
        # only llmsum sets a passage: a server whose schema is not a strict grammar may let a model send one
        listed = getattr(parts.get("all") or parts.get("strikes"), "strikes", [])
        strikes = [*(s.model_copy(update={"passage": None}) for s in listed), *earlier]
        reactions = getattr(parts.get("all") or parts.get("reactions") or parts.get("speakers"), "reactions", [])
        if "speakers" not in parts:  # only llmsum marks a speaker the model judged to take no position
            reactions = [r.model_copy(update={"no_position": False}) for r in reactions]
        result.draft = ArticleDraft.model_construct(strikes=strikes, reactions=reactions)
    result.usage = meter.usage
    for problem in [*result.problems, *([result.failure] if result.failure else [])]:
        problem.message = redact(problem.message, settings.api_key)
    if result.failure and result.failure.kind != ProblemKind.circuit_open:  # that one is said once, by the caller
        log.warning("%s: %s", article.id, result.failure.message)
    return result


async def extract_drafts(
    articles: list[Article],
    settings: Settings,
    check_for: CheckFactory | None = None,
    on_done: Callable[[DraftResult], Awaitable[None] | None] | None = None,
    client: instructor.AsyncInstructor | None = None,
) -> list[DraftResult]:
    """Extract many articles concurrently (``settings.concurrency`` at a time), in input order."""
    client = client or make_client(settings)
    server_log = ServerLog(settings.server_log) if settings.server_log else None
    limit = asyncio.Semaphore(max(1, settings.concurrency))
    breaker = Breaker(settings.base_url)

    async def one(article: Article) -> DraftResult:
        async with limit:
            started = time.monotonic()
            result = await extract_draft(
                client, article, settings, check_for(article) if check_for else None, server_log, breaker
            )
            result.seconds = time.monotonic() - started
        if on_done is not None:
            maybe = on_done(result)
            if asyncio.iscoroutine(maybe):
                await maybe
        return result

    return list(await asyncio.gather(*(one(a) for a in articles)))
