"""Backend settings: which model answers, where, and how.

Arguments first, then the environment; with neither a key nor a base URL, the embedded model, so a
fresh machine works with no configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any

from llmsum.errors import ConfigError
from llmsum.llm.profiles import PROFILES, guess_profile

LOCAL_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"
# the embedded model on 2 busy CPU cores: 1-5 min a call; a speakers call may generate 1,536 tokens at 2-6 tok/s
LOCAL_TIMEOUT = 900.0


@dataclass(frozen=True)
class Settings:
    """Everything that decides which model answers and how. ``api_key`` never appears in repr."""

    model: str
    base_url: str | None
    api_key: str | None = field(default=None, repr=False)
    profile: str = "openai"
    local: bool = False
    temperature: float = 0.0
    seed: int | None = 0
    max_tokens: int = 1536
    # Seconds one model call may take as a whole (with its re-asks), not between two bytes: a
    # server that trickles bytes or never answers must not hold an article for hours. 120 s is
    # ample for a remote server; the embedded model gets LOCAL_TIMEOUT (see resolve_settings).
    timeout: float = 120.0
    max_reasks: int = 1
    max_transient_retries: int = 4
    token_budget: int | None = 24_000
    concurrency: int = 4
    calls_per_article: int = 2
    # Two-call mode: find the speakers in the text and have the model judge each one, rather than
    # have it list the reactions itself (a small model stops after two or three).
    judge_speakers: bool = True
    # Ask about each earlier attack the text mentions (``llmsum.prose.earlier``) on its passage alone: the
    # small model lists only the article's own strike when asked for all of them.
    find_earlier: bool = True
    # The embedded server's log, where it reports the prompt tokens it evaluated (not in its responses).
    server_log: str | None = None

    def with_server(self, base_url: str, api_key: str) -> Settings:
        return replace(self, base_url=base_url, api_key=api_key)

    @property
    def cache_identity(self) -> str:
        """What, besides the article and prompts, decides the answer (never the key). The model
        file (and server command) for the embedded server, the server's address otherwise: the same
        model name on two servers may be two different models."""
        where = os.environ.get("LLMSUM_LOCAL_MODEL", "default") if self.local else (self.base_url or "openai")
        if self.local and os.environ.get("LLMSUM_LOCAL_SERVER"):  # another engine may answer otherwise
            where += f"|server={os.environ['LLMSUM_LOCAL_SERVER']}"
        return (
            f"{where}|"
            f"{self.profile}|{self.model}|t={self.temperature}|seed={self.seed}|max={self.max_tokens}"
            f"|calls={self.calls_per_article}{'' if self.judge_speakers else '|listed'}"
        )


def resolve_settings(
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    profile: str | None = None,
    local: bool | None = None,
    **overrides: Any,
) -> Settings:
    """Arguments first, then ``LLMSUM_*`` / ``OPENAI_API_KEY``; with neither a key nor a base URL,
    the embedded local model is used, so a fresh machine works with no configuration. A model named
    with nowhere to run it is refused rather than silently replaced by the embedded one."""
    model = model or os.environ.get("LLMSUM_MODEL")
    base_url = base_url or os.environ.get("LLMSUM_BASE_URL")
    api_key = api_key or os.environ.get("OPENAI_API_KEY")
    profile = profile or os.environ.get("LLMSUM_PROFILE")
    if local is None:
        local = not api_key and not base_url
        if local and model and model != LOCAL_MODEL_NAME:  # running another model than the one asked for
            raise ConfigError(
                f"model {model!r} needs a server: set OPENAI_API_KEY for OpenAI, or --base-url / "
                "LLMSUM_BASE_URL for another server; or leave out --model / LLMSUM_MODEL, or add --local, "
                "for the embedded model"
            )
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if "timeout" not in overrides and os.environ.get("LLMSUM_TIMEOUT"):
        overrides["timeout"] = _seconds(os.environ["LLMSUM_TIMEOUT"], "LLMSUM_TIMEOUT")
    if "timeout" in overrides:
        overrides["timeout"] = _seconds(overrides["timeout"], "timeout")
    if local:
        overrides.setdefault("concurrency", 1)  # one server, one slot: more would only queue
        overrides.setdefault("timeout", LOCAL_TIMEOUT)
        settings = Settings(
            model=LOCAL_MODEL_NAME,
            base_url=None,
            api_key=None,
            profile=profile or "llamacpp",
            local=True,
            **overrides,
        )
    else:
        settings = Settings(
            model=model or "gpt-4o-mini",
            base_url=base_url,
            api_key=api_key or "not-needed",
            profile=profile or guess_profile(base_url),
            **overrides,
        )
    if settings.profile not in PROFILES:
        raise ConfigError(f"unknown profile {settings.profile!r}; choose one of {', '.join(PROFILES)}")
    return settings


def _seconds(value: object, name: str) -> float:
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number of seconds, not {value!r}") from None
    if not seconds > 0:
        raise ConfigError(f"{name} must be more than 0 seconds, not {value!r}")
    return seconds
