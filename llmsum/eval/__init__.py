"""Development scoring against gold annotations: ``llmsum eval`` and the benchmarks use it.

Not part of the extraction path: nothing in load, llm, ground, reconcile or render imports it.
"""

from llmsum.eval.common import STRIKE_FIELDS
from llmsum.eval.report import format_table
from llmsum.eval.scoring import evaluate

__all__ = ["STRIKE_FIELDS", "evaluate", "format_table"]
