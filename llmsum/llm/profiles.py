"""Per-server profiles: how each OpenAI-compatible server accepts a schema.

One code path serves every server; what differs is how each one takes a schema. A profile captures
that difference, so users pick a server, not instructor modes. To add a server, add a ``Profile``
to ``PROFILES`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import instructor


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


def guess_profile(base_url: str | None) -> str:
    if not base_url or "api.openai.com" in base_url:
        return "openai"
    if ":11434" in base_url or "ollama" in base_url:
        return "ollama"
    return "json"
