"""A hand-made fake OpenAI-compatible server for fault tests (not a recording).

Each request pops the next scripted reply: ``("json", status, body, headers)``, ``("sleep", seconds)``,
``("trickle", seconds_per_byte, reply)`` (send the reply's body a byte at a time) or ``("drop",)``
(close the connection without answering). It listens on 127.0.0.1 only and
records every request body, so tests can check what was (and was not) sent to the model.

Run as a program (``python -m tests.fake_server --port N``), it stands in for the embedded model's
server process (``LLMSUM_LOCAL_SERVER``), so tests can kill llmsum around a real child process.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


def completion(
    content: str, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 20
) -> dict[str, Any]:
    return {
        "id": "fake-1",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", "content": content}}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class FakeServer:
    def __init__(self, default: tuple | None = None, port: int = 0) -> None:
        self.script: deque[tuple] = deque()
        self.default = default
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # /v1/models: how llmsum sees that a server is up
                data = json.dumps({"object": "list", "data": [{"id": "fake", "object": "model"}]}).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(body)
                server.headers.append(dict(self.headers))
                step = server.script.popleft() if server.script else server.default
                if step is None:
                    step = ("json", 500, {"error": {"message": "script exhausted"}}, {})
                if step[0] == "sleep":
                    time.sleep(step[1])
                    step = step[2] if len(step) > 2 else ("json", 200, completion('{"strikes": []}'), {})
                if step[0] == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                pause = 0.0
                if step[0] == "trickle":
                    pause, step = step[1], step[2]
                _, status, payload, headers = step
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                try:  # trickled, every byte comes sooner than a read timeout: only a deadline stops it
                    for i in range(0, len(data), 1 if pause else len(data)):
                        self.wfile.write(data[i : i + (1 if pause else len(data))])
                        self.wfile.flush()
                        time.sleep(pause)
                except OSError:  # the client gave up waiting
                    self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Fake model server: every answer is 'no strike'.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before each answer")
    parser.add_argument("--pid-file", help="written once the port is bound")
    parser.add_argument("--ignore-term", action="store_true", help="ignore SIGTERM, as a busy server may")
    args = parser.parse_args(argv)
    if args.ignore_term:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    answer = ("json", 200, completion(json.dumps({"strikes": [], "reactions": []})), {})
    server = FakeServer(default=("sleep", args.delay, answer) if args.delay else answer, port=args.port)
    if args.pid_file:
        with open(args.pid_file + ".tmp", "w") as f:
            f.write(str(os.getpid()))
        os.replace(args.pid_file + ".tmp", args.pid_file)
    server.httpd.serve_forever()


if __name__ == "__main__":
    main()
