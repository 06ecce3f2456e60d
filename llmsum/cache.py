"""On-disk cache of model answers, so a re-run of the same day makes zero model calls.

What is cached is the model's draft (after re-asks) and its usage, not the grounded result:
grounding is cheap and deterministic, so improving it never requires paying for the model again.
Writes are atomic (temp file + rename): a killed run leaves either the old entry or the new one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ValidationError

from llmsum.models import ArticleDraft, Problem, ReactionsDraft, SpeakerVerdict, StrikesDraft, Usage
from llmsum.names import alias_table
from llmsum.speakers import FINDER_VERSION


class CachedDraft(BaseModel):
    draft: ArticleDraft
    usage: Usage
    problems: list[Problem] = []


@functools.cache
def schema_hash() -> str:
    schemas = [m.model_json_schema() for m in (ArticleDraft, StrikesDraft, ReactionsDraft, SpeakerVerdict)]
    # the speakers found (part of the prompt) depend on the finder and on the known group names
    schema = json.dumps([schemas, FINDER_VERSION, sorted(alias_table().get("groups", {}).items())], sort_keys=True)
    return hashlib.sha256(schema.encode()).hexdigest()[:16]


def cache_key(text: str, prompt_hash: str, identity: str) -> str:
    payload = json.dumps([text, prompt_hash, schema_hash(), identity], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


class DraftCache:
    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedDraft | None:
        path = self._path(key)
        try:
            return CachedDraft.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValidationError, ValueError):
            return None

    def put(self, key: str, entry: CachedDraft) -> None:
        write_atomic(self._path(key), entry.model_dump_json(indent=1))


def write_atomic(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; outputs follow the user's umask
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
