"""The layout is the architecture: each stage package imports only the layers below it, so data
flows one way (load → extract → ground → reconcile → render) and no module reaches back up."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "llmsum"
# what each layer may import from llmsum, besides itself
ALLOWED = {
    "errors": set(),
    "models": set(),
    "prose": {"models"},
    "io": {"models", "errors", "prose"},
    "llm": {"models", "errors", "prose", "io"},
    "ground": {"models", "prose"},
    "reconcile": {"models", "prose"},
    "eval": {"models", "prose", "errors"},
    "pipeline": {"models", "errors", "prose", "io", "llm", "ground"},
    "cli_support": {"models", "errors", "prose", "io", "llm", "ground", "reconcile", "pipeline"},
}
# Brief.to_markdown()/to_html() are the contract's API on the model; they import the renderer lazily.
EXCEPTIONS = {("models/brief.py", "io")}


def _layer(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("llmsum."):
            found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("llmsum.")}
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_module_imports_only_the_layers_below_it(path: Path) -> None:
    layer = _layer(path)
    if layer not in ALLOWED:  # cli, daily, __init__, __main__: the top, free to use every stage
        return
    rel = str(path.relative_to(PACKAGE))
    reaching_up = {m for m in _imports(path) - {layer} - ALLOWED[layer] if (rel, m) not in EXCEPTIONS}
    assert not reaching_up, f"{rel} ({layer}) imports {sorted(reaching_up)}"
