"""Prompt templates: Jinja2 files in ``prompts/``, shipped inside the package.

The hash of the whole prompt set is stored with each extraction and is part of the cache key,
so editing a template invalidates exactly the results it could have changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel

from llmsum.models import Article, ReactionsDraft, SpeakerVerdict, StrikesDraft
from llmsum.prose.speakers import Candidate, passages


def prompts_dir() -> Path:
    """``LLMSUM_PROMPTS`` when set (a folder of templates to try, as the benchmarks do with an older
    layout), else the installed copy (``llmsum/prompts``) or, in a source checkout, ``prompts/``."""
    if custom := os.environ.get("LLMSUM_PROMPTS"):
        return Path(custom)
    package = Path(__file__).resolve().parent.parent
    packaged = package / "prompts"
    if packaged.is_dir():
        return packaged
    source = package.parent / "prompts"
    if source.is_dir():
        return source
    raise FileNotFoundError(f"llmsum prompt templates not found in {packaged} or {source}")


_FENCE_MARKS = re.compile(r"<{3,}|>{3,}")


def fenced(text: str) -> str:
    """Article-supplied text as it may sit inside the ``<<<ARTICLE ... ARTICLE>>>`` fence: a run of
    three or more angle brackets becomes guillemets, so no article, title or source can close the
    fence early and have its words read as instructions. Grounding still reads the original text."""
    return _FENCE_MARKS.sub(lambda m: ("‹" if m.group(0)[0] == "<" else "›") * len(m.group(0)), text)


@functools.cache
def _env(directory: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,
    )
    env.filters["fenced"] = fenced
    # for layouts whose speakers call reads only the lines that name a speaker (benchmarks/prompts):
    # computed when a template asks, never on the shipped templates' path
    env.globals["speaker_excerpt"] = speaker_excerpt
    return env


def prompt_hash() -> str:
    return _hash(prompts_dir())


@functools.cache
def _hash(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.j2")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def field_guide(model: type[BaseModel]) -> str:
    """A compact, model-readable list of fields built from the Pydantic descriptions.

    The grammar constrains the JSON's shape; this tells the model what each key means, at a
    fraction of the tokens of a JSON schema dump.
    """
    schema = model.model_json_schema()
    defs = schema.get("$defs", {})
    lines: list[str] = []
    first_seen: dict[str, str] = {}

    def walk(props: dict[str, Any], prefix: str) -> None:
        for name, prop in props.items():
            ref = prop.get("$ref") or (prop.get("items") or {}).get("$ref")
            desc = prop.get("description") or ""
            if ref:
                def_name = ref.split("/")[-1]
                sub = defs[def_name]
                text = f"- {prefix}{name}: {desc or sub.get('description', '')}".rstrip()
                if def_name in first_seen:  # the same sub-object again: no need to repeat its fields
                    lines.append(f"{text} (same fields as {first_seen[def_name]})")
                    continue
                first_seen[def_name] = f"{prefix}{name}"
                if desc or sub.get("description"):
                    lines.append(text)
                walk(sub.get("properties", {}), f"{prefix}{name}.")
            elif desc:
                lines.append(f"- {prefix}{name}: {desc}")

    walk(schema.get("properties", {}), "")
    return "\n".join(lines)


TASKS = {"all", "strikes", "reactions", "speakers", "earlier"}


def render_messages(
    article: Article,
    model: type[BaseModel],
    task: str = "all",
    speakers: Sequence[Candidate] = (),
    passage: tuple[int, int] | None = None,
) -> list[dict[str, str]]:
    """Messages for one call. ``task`` selects the rules and example: everything in one call, the
    strikes or the reactions half of a two-call extraction, or a verdict on each of ``speakers``.

    The rules sit in the system message of their own task, as the small model follows them best
    there; a layout with one system message for every task (so a server's prompt cache would reuse
    it) lost half the reactions on the seeds (docs/benchmarks.md). Templates may call
    ``speaker_excerpt(article.text, speakers)``, the lines that name the speakers, for layouts whose
    speakers call does not read the whole article again; the shipped ones do, as that found more
    reactions ("Fourth try").

    The earlier task reads only ``passage``, the lines that tell of an earlier attack
    (``llmsum.prose.earlier``), under the strikes task's system message: it comes right after the
    strikes call, so a server's prompt cache reuses that message and evaluates only the passage."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    if (task == "speakers") != bool(speakers):
        raise ValueError("the speakers task needs speakers, and only it takes them")
    if (task == "earlier") != (passage is not None):
        raise ValueError("the earlier task needs a passage, and only it takes one")
    env = _env(prompts_dir())
    # Every speaker's object has the same fields: describe them once, not once per speaker.
    guide = field_guide(SpeakerVerdict if task == "speakers" else model)
    # every task's guide too, for templates of the shared-prefix layout (benchmarks/prompt_layout.py)
    guides = {name: field_guide(m) for name, m in (("strikes", StrikesDraft), ("reactions", ReactionsDraft))}
    guides["speakers"] = field_guide(SpeakerVerdict)
    rules = "strikes" if task == "earlier" else task
    system = env.get_template("system.j2").render(field_guide=guide, guides=guides, task=rules)
    excerpt = article.text[passage[0] : passage[1]] if passage else None
    user = env.get_template("user.j2").render(article=article, task=task, speakers=speakers, excerpt=excerpt)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


GAP = "[…]"


def speaker_excerpt(text: str, speakers: Sequence[Candidate]) -> str:
    """The lines of ``passages``, with ``GAP`` on a line of its own where lines were left out, so a model
    does not read two distant lines as one passage."""
    out: list[str] = []
    previous_end = None
    for lo, hi in passages(text, speakers):
        if previous_end is not None and text[previous_end:lo].strip():
            out.append(GAP)
        out.append(text[lo:hi])
        previous_end = hi
    if previous_end is not None and text[previous_end:].strip():
        out.append(GAP)
    return "\n".join(out)
