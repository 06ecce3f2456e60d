"""Backend settings and per-server profiles.

One OpenAI-compatible code path serves every server; what differs is how each one accepts a
schema. A profile captures that difference, so users pick a server, not instructor modes.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import instructor

LOCAL_MODEL_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m"


def strict_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Make a Pydantic JSON schema acceptable to OpenAI's strict structured outputs.

    Strict mode wants every property required and no extra keys; optional fields stay nullable.
    """
    schema = copy.deepcopy(schema)

    def fix(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("default", None)
            if node.get("type") == "object" and "properties" in node:
                node["required"] = list(node["properties"])
                node["additionalProperties"] = False
            for value in node.values():
                fix(value)
        elif isinstance(node, list):
            for value in node:
                fix(value)

    fix(schema)
    return schema


def _openai_strict(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": name, "schema": strict_schema(schema), "strict": True}}


def _json_schema(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}


def _llamacpp_grammar(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    # llama-cpp-python's server rejects "json_schema" (HTTP 500) but compiles a schema given with
    # "json_object" into a grammar, so the output always parses. Every key is made required
    # (nullable ones may still be null): a grammar that lets keys be skipped lets a small model
    # skip exactly the quote and summary it was asked for.
    return {"type": "json_object", "schema": strict_schema(schema)}


@dataclass(frozen=True)
class Profile:
    name: str
    mode: instructor.Mode
    response_format: Callable[[str, dict[str, Any]], dict[str, Any]] | None
    description: str


PROFILES: dict[str, Profile] = {
    p.name: p
    for p in [
        Profile("openai", instructor.Mode.JSON_SCHEMA, _openai_strict, "OpenAI: strict structured outputs"),
        Profile(
            "llamacpp",
            instructor.Mode.JSON_SCHEMA,
            _llamacpp_grammar,
            "llama.cpp / llama-cpp-python server: schema compiled to a grammar, field guide in the prompt",
        ),
        Profile(
            "llamacpp-schema-prompt",
            instructor.Mode.JSON,
            _llamacpp_grammar,
            "llama.cpp server with the full JSON schema also written into the prompt (slower; for comparison)",
        ),
        Profile("vllm", instructor.Mode.JSON_SCHEMA, _json_schema, "vLLM: guided decoding from json_schema"),
        Profile("ollama", instructor.Mode.JSON_SCHEMA, _json_schema, "Ollama >= 0.5: structured outputs"),
        Profile("json", instructor.Mode.JSON, None, "any server with JSON mode; schema in the prompt"),
    ]
}


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
    timeout: float = 900.0
    max_reasks: int = 1
    max_transient_retries: int = 4
    token_budget: int | None = 24_000
    concurrency: int = 4
    calls_per_article: int = 2
    # Two-call mode: find the speakers in the text and have the model judge each one, rather than
    # have it list the reactions itself (a small model stops after two or three).
    judge_speakers: bool = True

    def with_server(self, base_url: str, api_key: str) -> Settings:
        return replace(self, base_url=base_url, api_key=api_key)

    @property
    def cache_identity(self) -> str:
        """What, besides the article and prompts, decides the answer (never the key). The model
        file for the embedded server, the server's address otherwise: the same model name on two
        servers may be two different models."""
        where = os.environ.get("LLMSUM_LOCAL_MODEL", "default") if self.local else (self.base_url or "openai")
        return (
            f"{where}|"
            f"{self.profile}|{self.model}|t={self.temperature}|seed={self.seed}|max={self.max_tokens}"
            f"|calls={self.calls_per_article}{'' if self.judge_speakers else '|listed'}"
        )


def guess_profile(base_url: str | None) -> str:
    if not base_url or "api.openai.com" in base_url:
        return "openai"
    if ":11434" in base_url or "ollama" in base_url:
        return "ollama"
    return "json"


def resolve_settings(
    model: str | None = None,
    base_url: str | None = None,
    api_key: str | None = None,
    profile: str | None = None,
    local: bool | None = None,
    **overrides: Any,
) -> Settings:
    """Arguments first, then ``LLMSUM_*`` / ``OPENAI_API_KEY``; with neither a key nor a base URL,
    the embedded local model is used, so a fresh machine works with no configuration."""
    model = model or os.environ.get("LLMSUM_MODEL")
    base_url = base_url or os.environ.get("LLMSUM_BASE_URL")
    api_key = api_key or os.environ.get("OPENAI_API_KEY")
    profile = profile or os.environ.get("LLMSUM_PROFILE")
    if local is None:
        local = not api_key and not base_url
    overrides = {k: v for k, v in overrides.items() if v is not None}
    if local:
        overrides.setdefault("concurrency", 1)  # one server, one slot: more would only queue
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
        raise ValueError(f"unknown profile {settings.profile!r}; choose one of {', '.join(PROFILES)}")
    return settings
