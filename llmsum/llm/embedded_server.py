"""The embedded model server's entry point: llama-cpp-python's own server, with a prompt cache that
counts every byte it keeps.

Run as ``python -m llmsum.llm.embedded_server`` (with ``llama_cpp.server``'s options) by
``llmsum.llm.local``, in the server's own process; importing llmsum never imports this module.

Why a cache at all: llama-cpp-python's server keeps only the previous prompt's key/value state, and
llmsum alternates two tasks whose system prompts differ, so nothing past the chat header was reused.
Its RAM cache saves a state after each call and restores the one with the longest common prefix, so
each call starts from the last call of its own task and evaluates little more than the article.

Why this subclass: each saved state also holds a copy of the server's logits buffer (``n_batch`` ×
vocabulary floats: about 300 MiB for the default model), which the stock cache does not count. Short
articles then fill a small cache with many states, each dragging 300 MiB along, so memory grows with
the number of states rather than with the size asked for. Counting it keeps the cache within
``--cache_size``: enough for one state per task at the full context, and no more."""

from __future__ import annotations

import runpy

import llama_cpp
from llama_cpp.llama_cache import LlamaRAMCache


class CountedRAMCache(LlamaRAMCache):
    """``LlamaRAMCache`` whose size includes each state's copy of the logits buffer."""

    @property
    def cache_size(self) -> int:
        return sum(state.llama_state_size + state.scores.nbytes for state in self.cache_state.values())


def main() -> None:
    llama_cpp.LlamaRAMCache = CountedRAMCache  # type: ignore[misc]  # looked up there when the model loads
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
