"""One base exception for everything llmsum raises on purpose, so a caller can catch llmsum's own
errors without catching its bugs. Faults of one article (a timeout, an invalid answer) are not
raised at all: they become ``problems`` and ``failures`` in the results."""

from __future__ import annotations

from pathlib import Path


class LlmsumError(Exception):
    """Base of every error llmsum raises on purpose; the message says what to do."""


class ConfigError(LlmsumError, ValueError):
    """Settings that cannot work together (an unknown profile, a model with nowhere to run)."""


class LoadError(LlmsumError, ValueError):
    """A file that cannot be read as an article; the message names the file and why."""

    def __init__(self, path: Path | str, kind: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.kind = kind
        self.reason = reason


class GoldError(LlmsumError, ValueError):
    """A gold annotations file that cannot be read or has the wrong shape; the message names the file
    and the path of the bad field."""


class LocalModelError(LlmsumError, RuntimeError):
    """The embedded model cannot run; the message says how to fix it."""
