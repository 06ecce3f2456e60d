"""On-disk cache of model answers, so a re-run of the same day makes zero model calls.

What is cached is the model's draft (after re-asks) and its usage, not the grounded result:
grounding is cheap and deterministic, so improving it never requires paying for the model again.
Writes are atomic (temp file + rename): a killed run leaves either the old entry or the new one.
Entries are keyed by the requests themselves (``llmsum.llm.calls.request_key``).
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import BaseModel, ValidationError

from llmsum.io.files import write_atomic
from llmsum.models import ArticleDraft, Problem, StrikeDraft, Usage


class CachedDraft(BaseModel):
    draft: ArticleDraft
    usage: Usage
    problems: list[Problem] = []
    # the earlier attacks' answers (``llmsum.prose.earlier``), kept apart: with them the strikes may pass the
    # cap the model's own list is validated against, and an entry that fails validation is never read back
    earlier: list[StrikeDraft] = []

    @classmethod
    def of(cls, draft: ArticleDraft, usage: Usage, problems: list[Problem]) -> CachedDraft:
        listed = [s for s in draft.strikes if s.passage is None]
        earlier = [s for s in draft.strikes if s.passage is not None]
        return cls(
            draft=ArticleDraft.model_construct(strikes=listed, reactions=draft.reactions),
            usage=usage,
            problems=problems,
            earlier=earlier,
        )

    def whole(self) -> ArticleDraft:
        """The draft as the calls made it: the model's strikes, then the earlier attacks."""
        return ArticleDraft.model_construct(
            strikes=[*self.draft.strikes, *self.earlier], reactions=self.draft.reactions
        )


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

    def unusable(self) -> str | None:
        """Why answers cannot be stored here (the folder is a file, read-only...), or None.
        Asked once per run: finding out per article would repeat the same reason for each."""
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return f"{self.directory}: {exc.strerror or exc}"
        if not os.access(self.directory, os.W_OK | os.X_OK):
            return f"{self.directory}: not writable"
        return None

    def put(self, key: str, entry: CachedDraft) -> None:
        write_atomic(self._path(key), entry.model_dump_json(indent=1))


def cache_dir() -> Path:
    """Where llmsum keeps model answers, the embedded model file and its server log."""
    return Path(os.environ.get("LLMSUM_CACHE_DIR") or platformdirs.user_cache_dir("llmsum"))
