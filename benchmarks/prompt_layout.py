"""Prompt layouts side by side in one run, and the plain instructor call a user would write instead.

    python benchmarks/prompt_layout.py --set seeds --variants prefix,current,plain   # about 40 min on 2 cores
    python benchmarks/prompt_layout.py --set dev --variants current --keep-cache /tmp/devcache --json out.json

Variants, each run over every article of a set, one after the other, with the cache off and one embedded
model server per variant and set (so each starts with an empty prompt cache):
  current  llmsum with today's templates (rules and field guide per task in the system message, article after)
           and today's embedded server (a RAM prompt cache, no logits kept for every prompt token)
  oldserver today's templates with the embedded server as llmsum started it before (llama-cpp-python's
           defaults: only the previous prompt is reused, logits kept for every prompt token)
  prefix   the templates of eb0a457: one system message for every call and article (all tasks' rules, guides and
           examples), the article next, the task last, so llama.cpp reuses everything but the task line
  old      the templates of 7c679bb (today's layout before the data fence held titles and sources)
  reminder benchmarks/prompts/prefix-reminder: the prefix layout with each task's key rules after the article
  names    benchmarks/prompts/speakers-names: the speakers call reads only the lines that name a speaker
           (not the whole article again) and lists the speakers by name and title
  said     benchmarks/prompts/speakers-said: the same lines, and each speaker's attribution sentence after the
           name as today
  base     llmsum as it was at ``--base`` (a git revision, run from a worktree of it: its templates, schemas,
           grounding and server), to set a change that is more than templates against what it changes
  baseold  the same revision with the embedded server as llmsum started it before its prompt cache
  plain    one instructor call per article, ``{"strikes": [StrikeReport], "reactions": [OfficialReaction]}``
         as the response model (the contract's records), a short instruction, no grounding, no speakers
         finder, no re-ask
Reported per variant and set: prompt tokens sent and evaluated (the server's own count, read from its log),
completion tokens, seconds, per article and in all; the server's peak resident memory; strike field F1,
reaction recall and stance accuracy
(``llmsum eval``); invented values: quotes and figure wordings that are not in the article text.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import instructor
import openai
from checkout import ROOT  # this checkout's llmsum first (checkout.py)
from pydantic import BaseModel, Field

import llmsum
from llmsum.eval import evaluate
from llmsum.llm.client import ServerLog
from llmsum.llm.local import _die_with_parent, local_server, server_log
from llmsum.llm.profiles import strict_schema
from llmsum.llm.settings import LOCAL_MODEL_NAME, LOCAL_TIMEOUT, Settings
from llmsum.models import ArticleExtraction, ArticleRef, OfficialReaction, StrikeReport, Usage

SETS = {
    "seeds": (
        ROOT / "seeds",
        [ROOT / "tests" / "data" / "seeds_gold.json", ROOT.parent / "shared" / "gold" / "seeds_gold.json"],
    ),
    "dev": (ROOT.parent / "shared" / "dev" / "articles", [ROOT.parent / "shared" / "dev" / "gold.json"]),
}
# prompt templates of other layouts, read from git
REVISIONS = {"prefix": "eb0a457", "old": "7c679bb"}
FOLDERS = {
    "reminder": "prefix-reminder",
    "names": "speakers-names",
    "said": "speakers-said",
}  # candidate layouts kept in benchmarks/prompts
# the embedded server's command before its prompt cache (8c89b4f), through LLMSUM_LOCAL_SERVER
OLD_SERVER = (
    f"{{python}} -m llama_cpp.server --model {{model}} --model_alias {LOCAL_MODEL_NAME} --host 127.0.0.1 "
    "--port {port} --n_threads {threads} --n_threads_batch {threads} --n_ctx {n_ctx} --seed 0"
)


class PeakMemory:
    """The peak resident memory (``VmHWM``) of the processes this one started while the block runs, read
    each second while they live: its children and theirs (another revision's extraction starts its own
    server). The model server's gigabytes dwarf the rest, so the peak is the server's."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = str(os.getpid())
        while not self._stop.wait(1.0):
            status: dict[str, dict[str, str]] = {}
            for proc in Path("/proc").glob("[0-9]*"):
                try:
                    status[proc.name] = dict(line.split(":", 1) for line in (proc / "status").read_text().splitlines())
                except (OSError, ValueError):
                    continue
            mine, grew = {me}, True
            while grew:
                found = {pid for pid, f in status.items() if f.get("PPid", "").strip() in mine}
                grew, mine = not found <= mine, mine | found
            for pid in mine - {me}:
                if "VmHWM" in status[pid]:
                    self.peak_kib = max(self.peak_kib, int(status[pid]["VmHWM"].split()[0]))


class PlainAnswer(BaseModel):
    strikes: list[StrikeReport] = Field(default_factory=list, max_length=4)
    reactions: list[OfficialReaction] = Field(default_factory=list, max_length=12)


PLAIN_PROMPT = (
    "Extract every military strike or attack this news article reports (who, against whom, where, when, killed, "
    "wounded) and every official reaction to it (speaker, stance, quote copied exactly), as JSON."
)


def prompts_at(rev: str, into: Path) -> Path:
    """The templates of another layout, from git, so the product ships one layout only."""
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "prompts/"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    for name in names:
        text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, text=True).stdout
        (into / Path(name).name).write_text(text, encoding="utf-8")
    return into


def overlay(folder: str, into: Path) -> Path:
    """Today's templates with a candidate layout's own files over them: a layout folder holds only the
    templates it changes, so it cannot go stale on the rest."""
    for source in (ROOT / "prompts", ROOT / "benchmarks" / "prompts" / folder):
        for path in source.glob("*.j2"):
            (into / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return into


def article_tokens(texts: dict[str, str]) -> dict[str, int]:
    from llama_cpp import Llama

    from llmsum.llm.local import model_path

    vocab = Llama(model_path=str(model_path(fetch=False)), vocab_only=True, verbose=False)
    return {k: len(vocab.tokenize(v.encode(), add_bos=False)) for k, v in texts.items()}


def run_llmsum(articles: list[llmsum.Article], keep: Path | None = None) -> tuple[list[ArticleExtraction], list[float]]:
    """One extraction of every article with its own embedded server (as a user's run), each asked afresh;
    with ``keep``, the answers are also stored in that (new) draft cache, so that later grounding or
    reconcile changes can be scored on them with no model call."""
    settings = Settings(
        model=LOCAL_MODEL_NAME, base_url=None, profile="llamacpp", local=True, concurrency=1, timeout=LOCAL_TIMEOUT
    )
    seconds: dict[str, float] = {}
    out = llmsum.extract(
        articles,
        settings=settings,
        cache=keep is not None,
        cache_dir=keep,
        progress=lambda ex, took: seconds.__setitem__(ex.article.id, took),
    )
    return out, [seconds.get(ex.article.id, 0.0) for ex in out]


# run inside a worktree of another revision: its llmsum, its templates, its grounding; the extractions come
# back as JSON and are scored with today's ``llmsum eval``
AT_REVISION = """
import json, sys
from pathlib import Path
import llmsum
from llmsum.llm.settings import LOCAL_MODEL_NAME, LOCAL_TIMEOUT, Settings
articles = list(llmsum.load_articles(sys.argv[1]))
settings = Settings(
    model=LOCAL_MODEL_NAME, base_url=None, profile="llamacpp", local=True, concurrency=1, timeout=LOCAL_TIMEOUT
)
seconds = {}
def done(ex, took):
    seconds[ex.article.id] = took
out = llmsum.extract(articles, settings=settings, cache=False, progress=done)
rows = [{"extraction": e.model_dump(mode="json"), "seconds": seconds.get(e.article.id, 0.0)} for e in out]
Path(sys.argv[2]).write_text(json.dumps(rows), encoding="utf-8")
"""


def run_at(rev: str, folder: Path, env: dict[str, str]) -> tuple[list[ArticleExtraction], list[float]]:
    """The extraction llmsum made at another revision, in a process of its own (its modules, not today's).
    Its records are read with today's models: a field they do not know stops the run rather than being
    scored as missing."""
    with tempfile.TemporaryDirectory() as tmp:
        tree, out = Path(tmp) / "tree", Path(tmp) / "out.json"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), rev], cwd=ROOT, check=True)
        try:
            # the worktree's llmsum, in this process and in the embedded server it starts (PYTHONSAFEPATH is set)
            command = [sys.executable, "-c", AT_REVISION, str(folder), str(out)]
            env = {**os.environ, "PYTHONPATH": str(tree), **env}
            subprocess.run(command, cwd=tree, env=env, check=True, preexec_fn=_die_with_parent())
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
            subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)
        rows = json.loads(out.read_text(encoding="utf-8"))
    extractions = [ArticleExtraction.model_validate(r["extraction"]) for r in rows]
    for row, ex in zip(rows, extractions, strict=True):
        if unknown := _dropped(row["extraction"], ex.model_dump(mode="json")):
            raise SystemExit(f"{rev}: fields today's models do not know: {unknown[:5]}")
    return extractions, [r["seconds"] for r in rows]


def _dropped(sent: object, kept: object, path: str = "") -> list[str]:
    """Keys of ``sent`` that reading it with today's models left out, at any depth."""
    if isinstance(sent, dict) and isinstance(kept, dict):
        out = [f"{path}.{k}" for k in sent if k not in kept]
        return out + [p for k in sent if k in kept for p in _dropped(sent[k], kept[k], f"{path}.{k}")]
    if isinstance(sent, list) and isinstance(kept, list):
        return [p for i, (a, b) in enumerate(zip(sent, kept, strict=False)) for p in _dropped(a, b, f"{path}[{i}]")]
    return []


def run_plain(articles: list[llmsum.Article], url: str) -> tuple[list[ArticleExtraction], list[float]]:
    # a sync client: one AsyncOpenAI client across several asyncio.run() loops reuses connections of a
    # closed loop and fails with "Connection error" on every other call
    client = instructor.from_openai(openai.OpenAI(base_url=url, api_key="local", max_retries=0, timeout=LOCAL_TIMEOUT))
    log = ServerLog(str(server_log()))
    schema = {"type": "json_object", "schema": strict_schema(PlainAnswer.model_json_schema())}
    out, seconds = [], []
    for article in articles:
        started = time.monotonic()
        usage = Usage(prompt_tokens_evaluated=0)
        answer, failed = PlainAnswer(), False
        try:
            answer, completion = client.chat.completions.create_with_completion(
                model=LOCAL_MODEL_NAME,
                response_model=PlainAnswer,
                max_retries=0,
                messages=[
                    {"role": "system", "content": PLAIN_PROMPT},
                    {"role": "user", "content": article.text},
                ],
                temperature=0.0,
                max_tokens=1536,
                seed=0,
                extra_body={"response_format": schema},
            )
            u = completion.usage
            usage = Usage(calls=1, prompt_tokens=u.prompt_tokens, completion_tokens=u.completion_tokens)
        except Exception as exc:  # a plain call has no failure policy: count it and go on
            print(f"  plain {article.id}: {type(exc).__name__}: {str(exc)[:120]}", file=sys.stderr)
            usage, failed = Usage(calls=1), True
        usage.prompt_tokens_evaluated = log.evaluated_since_last()
        ref = ArticleRef(id=article.id, published=article.published, path=article.path)
        out.append(
            ArticleExtraction(
                article=ref, strikes=answer.strikes, reactions=answer.reactions, usage=usage, failed=failed
            )
        )
        seconds.append(time.monotonic() - started)
    return out, seconds


def invented(extractions: list[ArticleExtraction], texts: dict[str, str]) -> tuple[int, int]:
    """(values not written in the article, values checked): quotes and figure wordings, verbatim."""
    bad = total = 0
    for ex in extractions:
        text = texts.get(ex.article.id, "")
        values = [r.quote for r in ex.reactions if r.quote]
        values += [f.text for s in ex.strikes for f in (s.killed, s.wounded) if f.text]
        for value in values:
            for piece in value.split(" | "):  # llmsum joins several toll wordings with " | "
                total += 1
                bad += piece.strip() not in text
    return bad, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--set", action="append", choices=list(SETS), help="article sets (default: seeds)")
    parser.add_argument("--variants", default="prefix,current,plain")
    parser.add_argument("--json", type=Path, help="write every figure here")
    parser.add_argument("--keep-cache", type=Path, help="an empty folder: the current variant's answers are kept there")
    parser.add_argument("--base", help="the git revision the base and baseold variants run")
    args = parser.parse_args()
    known = {"current", "oldserver", "plain", "base", "baseold", *REVISIONS, *FOLDERS}
    if unknown := set(args.variants.split(",")) - known:
        parser.error(f"unknown variants {sorted(unknown)}; known: {sorted(known)}")
    if {"base", "baseold"} & set(args.variants.split(",")) and not args.base:
        parser.error("the base and baseold variants need --base REV")
    results = []
    for set_name in args.set or ["seeds"]:
        folder, golds = SETS[set_name]
        gold_path = next((g for g in golds if g.exists()), None)
        articles = list(llmsum.load_articles(folder))
        texts = {a.id: a.text for a in articles}
        tokens = article_tokens(texts)
        gold = json.loads(gold_path.read_text(encoding="utf-8")) if gold_path else None
        for variant in args.variants.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                if variant in REVISIONS:
                    os.environ["LLMSUM_PROMPTS"] = str(prompts_at(REVISIONS[variant], Path(tmp)))
                elif variant in FOLDERS:
                    os.environ["LLMSUM_PROMPTS"] = str(overlay(FOLDERS[variant], Path(tmp)))
                else:
                    os.environ.pop("LLMSUM_PROMPTS", None)
                if variant == "oldserver":
                    os.environ["LLMSUM_LOCAL_SERVER"] = OLD_SERVER
                started = time.monotonic()
                with PeakMemory() as memory:
                    if variant == "plain":
                        with local_server() as url:
                            extractions, seconds = run_plain(articles, url)
                    elif variant in ("base", "baseold"):
                        env = {"LLMSUM_LOCAL_SERVER": OLD_SERVER} if variant == "baseold" else {}
                        extractions, seconds = run_at(args.base, folder, env)
                    else:
                        keep = args.keep_cache if variant == "current" else None
                        extractions, seconds = run_llmsum(articles, keep)
                wall = time.monotonic() - started
            os.environ.pop("LLMSUM_PROMPTS", None)
            os.environ.pop("LLMSUM_LOCAL_SERVER", None)
            scores = evaluate(extractions, llmsum.reconcile(extractions), gold, texts) if gold else {}
            bad, checked = invented(extractions, texts)
            per_article = [
                {
                    "article": ex.article.id,
                    "article_tokens": tokens[ex.article.id],
                    "calls": ex.usage.calls,
                    "prompt_tokens": ex.usage.prompt_tokens,
                    "prompt_tokens_evaluated": ex.usage.prompt_tokens_evaluated,
                    "completion_tokens": ex.usage.completion_tokens,
                    "seconds": round(s, 1),
                    "failed": ex.failed,
                }
                for ex, s in zip(extractions, seconds, strict=True)
            ]
            evaluated = [r["prompt_tokens_evaluated"] for r in per_article]
            row = {
                "set": set_name,
                "variant": variant,
                "articles": len(articles),
                "article_tokens": sum(tokens.values()),
                "prompt_tokens": sum(r["prompt_tokens"] for r in per_article),
                "prompt_tokens_evaluated": None if None in evaluated else sum(evaluated),
                "completion_tokens": sum(r["completion_tokens"] for r in per_article),
                "seconds": round(sum(seconds), 1),
                "wall_seconds_with_server_start": round(wall, 1),
                "server_peak_rss_mib": round(memory.peak_kib / 1024),
                "failed": sum(r["failed"] for r in per_article),
                "strike_field_f1": scores.get("strike_field_f1"),
                "strike_detection_f1": (scores.get("strikes") or {}).get("f1"),
                "reaction_recall": scores.get("reaction_recall"),
                "reaction_precision": (scores.get("reactions") or {}).get("precision"),
                "stance_accuracy": (scores.get("reactions") or {}).get("stance_accuracy"),
                "invented_values": bad,
                "checked_values": checked,
                "per_article": per_article,
            }
            results.append(row)
            print(json.dumps({k: v for k, v in row.items() if k != "per_article"}), flush=True)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print()
    print(
        "| set | variant | s/article | prompt tok/article | evaluated/article | evaluated ÷ article tok "
        "| completion tok/article | strike field F1 | reaction recall | stance | invented / checked |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        n = r["articles"]
        ev = r["prompt_tokens_evaluated"]
        per, ratio = ("-", "-") if ev is None else (f"{ev / n:.0f}", f"{ev / r['article_tokens']:.2f}")
        print(
            f"| {r['set']} | {r['variant']} | {r['seconds'] / n:.1f} | {r['prompt_tokens'] / n:.0f} | {per} | "
            f"{ratio} | "
            f"{r['completion_tokens'] / n:.0f} | {fmt(r['strike_field_f1'])} | {fmt(r['reaction_recall'])} | "
            f"{fmt(r['stance_accuracy'])} | {r['invented_values']} / {r['checked_values']} |"
        )


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


if __name__ == "__main__":
    main()
