"""Usage tells what a run cost, including the prompt tokens a server evaluated rather than reused from
its prompt cache, where the server says. The servers here are hand-made fakes (tests/fake_server.py)."""

from __future__ import annotations

import json
from pathlib import Path

import llmsum
from llmsum.llm.settings import Settings
from llmsum.models import Article, Usage
from tests.fake_server import FakeServer, completion

ARTICLE = Article(id="a.txt", published="2031-05-06", text="Northland struck two depots near Varo on Monday.")
ANSWER = json.dumps({"strikes": [], "reactions": []})


def _settings(url: str, **overrides: object) -> Settings:
    return Settings(model="fake", base_url=url, api_key="k", profile="json", calls_per_article=1, **overrides)


def test_llama_cpp_timings_in_the_response_are_counted() -> None:
    body = completion(ANSWER, prompt_tokens=900) | {"timings": {"prompt_n": 120, "predicted_n": 20}}
    with FakeServer(default=("json", 200, body, {})) as server:
        (ex,) = llmsum.extract([ARTICLE], settings=_settings(server.url), cache=False)
    assert (ex.usage.prompt_tokens, ex.usage.prompt_tokens_evaluated) == (900, 120)


def test_a_server_that_does_not_say_leaves_it_unknown() -> None:
    with FakeServer(default=("json", 200, completion(ANSWER), {})) as server:
        (ex,) = llmsum.extract([ARTICLE], settings=_settings(server.url), cache=False)
    assert ex.usage.prompt_tokens == 100 and ex.usage.prompt_tokens_evaluated is None


def test_the_embedded_servers_log_is_read_for_each_call(tmp_path: Path) -> None:
    """llama-cpp-python's server logs its timings instead of returning them."""
    log = tmp_path / "llama-server.log"
    log.write_text("llama_perf_context_print: prompt eval time = 999.0 ms / 3000 tokens (old run)\n")

    class LoggingServer(FakeServer):
        """Appends a timings line as the real server does, before answering."""

    with LoggingServer(default=("json", 200, completion(ANSWER), {})) as server:
        original = server.httpd.RequestHandlerClass.do_POST

        def do_post(handler) -> None:  # type: ignore[no-untyped-def]
            with log.open("a") as f:
                f.write("Llama.generate: 2000 prefix-match hit, remaining 140 prompt tokens to eval\n")
                f.write("llama_perf_context_print: prompt eval time =  4100.5 ms /   140 tokens (29 ms per token)\n")
            original(handler)

        server.httpd.RequestHandlerClass.do_POST = do_post
        settings = _settings(server.url, server_log=str(log), concurrency=1)  # as the embedded server runs
        first, second = llmsum.extract(
            [ARTICLE, ARTICLE.model_copy(update={"id": "b.txt", "text": "Other text."})], settings=settings, cache=False
        )
    assert first.usage.prompt_tokens_evaluated == 140 and second.usage.prompt_tokens_evaluated == 140


def test_usage_adds_up_and_stays_unknown_when_any_call_is_unknown() -> None:
    known = Usage(calls=1, prompt_tokens=10, prompt_tokens_evaluated=4)
    assert (known + known).prompt_tokens_evaluated == 8
    assert (known + Usage()).prompt_tokens_evaluated == 4  # no calls: nothing unknown was added
    assert (known + Usage(calls=1, prompt_tokens=10)).prompt_tokens_evaluated is None
