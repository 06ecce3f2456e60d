"""One structured LLM call, with the whole failure policy in one place.

- Transient API faults (429, 5xx, timeouts, dropped connections) are retried by tenacity with
  exponential backoff and jitter, honouring ``Retry-After``; they never reach the prompt.
- Invalid or ungrounded answers are re-asked by instructor (``Settings.max_reasks``) within a
  per-article token budget.
- A truncated answer (``finish_reason == "length"``) fails the article at once: a model looping in
  a list will loop again.
- Each attempt has a deadline as a whole (``Settings.timeout``); httpx's own timeout only limits
  the wait between two bytes, which a server trickling bytes never trips. Past it, the attempt is
  a timeout fault like any other.
- A ``Breaker`` shared by a run's calls stops asking a server that cannot answer anyone (nothing
  listening, key refused, no such model, no answer in time): the calls left fail at once.
Every attempt, failed or not, is counted in the article's usage.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import Hooks
from pydantic import BaseModel, ValidationError
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt

from llmsum.llm.profiles import PROFILES
from llmsum.llm.prompts import render_messages
from llmsum.llm.settings import Settings
from llmsum.models import Article, ArticleDraft, Problem, ProblemKind, Usage
from llmsum.prose.speakers import Candidate

log = logging.getLogger(__name__)

Check = Callable[[ArticleDraft], list[str]]


class CallTimeout(Exception):
    """One attempt ran past ``Settings.timeout``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the model server did not answer within {seconds:g} s")
        self.seconds = seconds


_TRANSIENT = (
    openai.APIConnectionError,
    openai.APITimeoutError,
    openai.RateLimitError,
    openai.InternalServerError,
)  # not CallTimeout: a call that ran its whole deadline would run it again, and one slow article must
#   not open the breaker for the rest (each timed-out call counts once)
CONNECT_TIMEOUT = 10.0  # a host that drops packets must not cost a whole call deadline to notice


class CircuitOpen(Exception):
    """Not asked: the breaker is open; the message says why."""


class Breaker:
    """Stops asking a server after ``threshold`` calls in a row failed for a reason no other
    article would avoid: nothing listening, the key refused (401/403), no such model or path (404),
    or no answer within the deadline. Without it a dead server costs each article its whole retry
    back-off, and a hung one each article its deadline five times over. Any answer from the server,
    even a rejected one, resets the count. One run (one event loop) shares one breaker."""

    def __init__(self, where: str | None, threshold: int = 3) -> None:
        # the server named without credentials or query: a URL may carry a token
        self.where = re.sub(r"//[^/@]*@", "//", (where or "the OpenAI API").split("?", 1)[0])
        self.threshold = threshold
        self.in_a_row = 0
        self.cause: str | None = None

    @property
    def open(self) -> bool:
        return self.cause is not None

    def answered(self) -> None:
        self.in_a_row = 0

    def failed(self, exc: BaseException) -> None:
        reason = self._server_fault(_cause(exc))
        if reason is None:  # the server answered; the fault was this request's
            self.in_a_row = 0
            return
        self.in_a_row += 1
        if self.in_a_row >= self.threshold and self.cause is None:
            self.cause = (
                f"llmsum stopped asking the model server after {self.in_a_row} calls in a row failed ({reason})"
            )

    def _server_fault(self, exc: BaseException) -> str | None:
        if isinstance(exc, CallTimeout):
            return f"no answer within {exc.seconds:g} s from {self.where}"
        if isinstance(exc, openai.APITimeoutError):
            return f"no answer in time from {self.where}"
        if isinstance(exc, openai.APIConnectionError):
            return f"could not connect to {self.where}"
        if isinstance(exc, (openai.AuthenticationError, openai.PermissionDeniedError)):
            return f"HTTP {exc.status_code} from {self.where}, check the API key: {exc.message}"[:400]
        if isinstance(exc, openai.NotFoundError):
            return f"HTTP 404 from {self.where}, check --base-url and --model: {exc.message}"[:400]
        return None


def make_client(settings: Settings) -> instructor.AsyncInstructor:
    """The openai client does no retrying of its own: all retry policy lives here."""
    client = openai.AsyncOpenAI(
        api_key=settings.api_key or "not-needed",
        base_url=settings.base_url,
        max_retries=0,
        timeout=openai.Timeout(settings.timeout, connect=min(CONNECT_TIMEOUT, settings.timeout)),
    )
    return instructor.from_openai(client, mode=PROFILES[settings.profile].mode)


def _cause(exc: BaseException) -> BaseException:
    # instructor wraps API errors raised inside its loop in InstructorRetryException.
    if isinstance(exc, InstructorRetryException) and exc.__cause__ is not None:
        return exc.__cause__
    return exc


def is_transient(exc: BaseException) -> bool:
    return isinstance(_cause(exc), _TRANSIENT)


def _retry_after(exc: BaseException) -> float | None:
    response = getattr(_cause(exc), "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    value = headers.get("retry-after")
    try:
        return min(float(value), 120.0) if value is not None else None
    except ValueError:
        return None


def _backoff(base: float, cap: float) -> Callable[[RetryCallState], float]:
    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        hinted = _retry_after(exc) if exc else None
        if hinted is not None:
            return hinted
        return min(cap, base * 2 ** (state.attempt_number - 1)) * (0.5 + random.random() / 2)

    return wait


_KEY_LIKE = re.compile(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}")


def redact(text: str, secret: str | None) -> str:
    """Servers echo keys back in error messages; nothing llmsum writes may carry one."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, "***")
    return _KEY_LIKE.sub(r"\1***", text)


class RedactKeys(logging.Filter):
    """For the handlers an application installs (the CLI does): every record they emit loses the
    keys given to llmsum, and anything shaped like an OpenAI key. Servers echo keys back in error
    messages, and the libraries below llmsum (instructor, openai) log those. A filter on a handler,
    not a logger, because records propagated from child loggers skip their parents' filters.
    llmsum itself never changes global logging state: importing it installs nothing."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        super().__init__()
        self.secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if secret and len(secret) >= 4:
            self.secrets.add(secret)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _KEY_LIKE.sub(r"\1***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: the handler reports it, as it would anyway
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def _describe(exc: BaseException) -> tuple[str, str]:
    exc = _cause(exc)
    if isinstance(exc, CircuitOpen):
        return "circuit_open", f"not asked: {exc}"
    if isinstance(exc, IncompleteOutputException):
        return "truncated", "the model's answer was cut off at max_tokens (finish_reason=length); not retried"
    if isinstance(exc, openai.RateLimitError):
        return "rate_limited", f"rate limited (HTTP 429) after retries: {exc.message}"
    if isinstance(exc, CallTimeout):
        return "timeout", f"{exc} (--timeout), after retries"
    if isinstance(exc, openai.APITimeoutError):
        return "timeout", "the model server did not answer in time, after retries"
    if isinstance(exc, openai.APIConnectionError):
        return "connection", "could not reach the model server, after retries"
    if isinstance(exc, openai.APIStatusError):
        return "api_error", f"HTTP {exc.status_code} from the model server: {exc.message}"[:500]
    if isinstance(exc, (ValidationError, json.JSONDecodeError)):
        return "invalid_answer", f"the model's answer did not fit the schema: {str(exc)[:300]}"
    return "error", f"{type(exc).__name__}: {str(exc)[:300]}"


def _salvage(exc: InstructorRetryException, model: type[BaseModel]) -> BaseModel | None:
    """After the last re-ask failed grounding, keep the answer itself: grounding will drop
    exactly the values that could not be found, instead of losing the whole article."""
    completion = exc.last_completion
    try:
        content = completion.choices[0].message.content  # type: ignore[union-attr]
        return model.model_validate_json(content or "")
    except (AttributeError, IndexError, ValidationError, ValueError):
        return None


def _evaluated(response: Any) -> int | None:
    """llama.cpp's own server says how many prompt tokens it evaluated (``timings.prompt_n``)."""
    extra = getattr(response, "model_extra", None) or {}
    timings = extra.get("timings") if isinstance(extra, dict) else None
    value = timings.get("prompt_n") if isinstance(timings, dict) else None
    return value if isinstance(value, int) and value >= 0 else None


class ServerLog:
    """The embedded server's log, read as it grows: llama-cpp-python's server does not put its timings
    in the response, but logs ``prompt eval time = … / N tokens`` for each completion it runs."""

    _EVAL = re.compile(rb"prompt eval time\s*=\s*[\d.]+\s*ms\s*/\s*(\d+)\s*tokens")

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self.offset = os.path.getsize(path)
        except OSError:
            self.offset = 0

    def evaluated_since_last(self) -> int | None:
        try:
            with open(self.path, "rb") as f:
                f.seek(self.offset)
                new = f.read()
        except OSError:
            return None
        self.offset += len(new)
        counts = [int(m.group(1)) for m in self._EVAL.finditer(new)]
        return sum(counts) if counts else None


class Meter:
    """Counts every attempt of one article's calls (instructor hooks), retries and re-asks included."""

    def __init__(self, problems: list[Problem], server_log: ServerLog | None = None) -> None:
        self.calls = self.prompt = self.completion = 0
        self.evaluated: int | None = 0
        self.server_log = server_log
        self.problems = problems
        self.hooks = Hooks()
        self.hooks.on("completion:response", self._response)
        self.hooks.on("completion:error", self._error)
        self.hooks.on("parse:error", self._parse_error)

    def _response(self, response: Any) -> None:
        self.calls += 1
        u = getattr(response, "usage", None)
        if u is not None:
            self.prompt += u.prompt_tokens or 0
            self.completion += u.completion_tokens or 0
        evaluated = _evaluated(response)
        if evaluated is None and self.server_log is not None:
            evaluated = self.server_log.evaluated_since_last()
        self.evaluated = None if evaluated is None or self.evaluated is None else self.evaluated + evaluated

    def _error(self, error: Exception, **_: Any) -> None:
        self.calls += 1
        self.evaluated = None  # a failed attempt may have evaluated its prompt; nobody says how much

    def _parse_error(self, error: Exception, is_last_attempt: bool = False, **_: Any) -> None:
        if is_last_attempt:  # no re-ask left: what happens next is the salvage or the failure
            self.problems.append(
                Problem(kind=ProblemKind.rejected, message=f"last answer rejected: {str(error)[:400]}")
            )
        else:
            self.problems.append(Problem(kind=ProblemKind.reask, message=f"answer re-asked: {str(error)[:400]}"))

    @property
    def usage(self) -> Usage:
        return Usage(
            calls=self.calls,
            prompt_tokens=self.prompt,
            completion_tokens=self.completion,
            prompt_tokens_evaluated=self.evaluated if self.calls else None,
        )


@dataclass(frozen=True)
class Step:
    """One planned call: which task, which draft model, (for the speakers task) whom to judge, and (for
    the earlier task) the passage of the article that tells of an earlier attack."""

    task: str
    model: type[BaseModel]
    speakers: tuple[Candidate, ...] = ()
    passage: tuple[int, int] | None = None


def request(article: Article, settings: Settings, step: Step) -> dict[str, Any]:
    """The request body a step sends, as the server sees it (less instructor's own additions).

    The cache key hashes these, as instructor's cache does: whatever changes what the model is
    asked (templates, field guide, schema, the speakers found) changes the key, and no module has
    to export a version for it."""
    profile = PROFILES[settings.profile]
    extra_body = None
    if profile.response_format is not None:
        extra_body = {"response_format": profile.response_format(step.model.__name__, step.model.model_json_schema())}
    return {
        "model": settings.model,
        "messages": render_messages(article, step.model, step.task, step.speakers, step.passage),
        "temperature": settings.temperature,
        # one short object per speaker: a long list of speakers needs room to finish
        "max_tokens": max(settings.max_tokens, 120 * len(step.speakers)),
        "seed": settings.seed,
        "extra_body": extra_body,
    }


async def call(
    client: instructor.AsyncInstructor,
    article: Article,
    settings: Settings,
    step: Step,
    check: Check | None,
    meter: Meter,
    breaker: Breaker | None = None,
) -> tuple[BaseModel | None, Problem | None]:
    """One structured call with the whole failure policy; returns (draft, None) or (None, why).
    ``breaker`` is shared by a run's calls (``extract_drafts``); without one, the call keeps its own."""
    model = step.model
    body = request(article, settings, step)
    breaker = breaker or Breaker(settings.base_url)
    try:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception(lambda exc: is_transient(exc) and not breaker.open),
            stop=stop_after_attempt(settings.max_transient_retries + 1),
            wait=_backoff(1.0, 30.0),
            reraise=True,
        ):
            with attempt:
                if breaker.cause is not None:
                    raise CircuitOpen(breaker.cause)
                if attempt.retry_state.attempt_number > 1:
                    meter.problems.append(
                        Problem(
                            kind=ProblemKind.retry,
                            message=f"transient fault, attempt {attempt.retry_state.attempt_number}",
                        )
                    )
                try:
                    async with asyncio.timeout(settings.timeout):
                        draft = await client.chat.completions.create(
                            response_model=model,
                            max_retries=settings.max_reasks,
                            context={"check": check} if check else None,
                            hooks=meter.hooks,
                            token_budget=settings.token_budget,
                            **body,
                        )
                except TimeoutError:
                    meter.calls += 1  # the request was sent: it counts like any failed attempt
                    breaker.failed(CallTimeout(settings.timeout))
                    raise CallTimeout(settings.timeout) from None
                except Exception as exc:
                    breaker.failed(exc)
                    raise
                breaker.answered()
                return draft, None
    except InstructorRetryException as exc:
        grounding_failed = isinstance(exc.__cause__, ValidationError)
        if grounding_failed and (draft := _salvage(exc, model)) is not None:
            meter.problems.append(
                Problem(
                    kind=ProblemKind.ungrounded_after_reask,
                    message="some values were still not in the article after the re-ask; grounding drops them",
                )
            )
            return draft, None
        kind, message = _describe(exc)
        return None, Problem(kind=kind, message=message)
    except Exception as exc:
        kind, message = _describe(exc)
        return None, Problem(kind=kind, message=message)
    return None, Problem(kind=ProblemKind.error, message="no attempt was made")  # pragma: no cover
