"""Run the installed command line (``python -m llmsum``) in a child process, as a user does.

CliRunner calls the typer app inside the test process: it never goes through ``main()``, so it
cannot see exit statuses, signal handling or what reaches a real stderr. These helpers can.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT

# What must not leak from the developer's shell into a test run of the CLI.
_BACKEND_VARS = ("OPENAI_API_KEY", "LLMSUM_BASE_URL", "LLMSUM_MODEL", "LLMSUM_PROFILE", "LLMSUM_TIMEOUT")


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _BACKEND_VARS and not k.startswith("LLMSUM_")}
    env.update({"LLMSUM_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1", "COLUMNS": "200"})
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "llmsum", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def start_cli(args: list[str], env: dict[str, str], stderr: Path) -> subprocess.Popen[bytes]:
    """Start the CLI with its stderr in a file, so a test can read it while it runs."""
    with stderr.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "llmsum", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err
        )


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout} s waiting for {what}")
        time.sleep(0.05)


def alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a dead child nobody reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
