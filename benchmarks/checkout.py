"""The checkout a benchmark runs, imported by the scripts beside it before llmsum.

``python benchmarks/x.py`` imports the llmsum installed in the environment, which for an editable install
is the working tree: a run from a copy of the repository would pick up edits made meanwhile. This puts the
script's own checkout first, for the script and for the model servers it starts (``python -m``, which
would otherwise put the server's working directory first: hence ``PYTHONSAFEPATH``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
os.environ["PYTHONSAFEPATH"] = "1"
