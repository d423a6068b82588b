"""ReportQA: answers about reports, with the report's own sentences cited.

from qa import ReportQA
bot = ReportQA.load()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from qa.engine import ReportQA

__all__ = ["ReportQA"]


def __getattr__(name: str) -> Any:
    # Imported on first use: `reportqa --help` and the index commands need not load the engine.
    if name == "ReportQA":
        from qa.engine import ReportQA

        return ReportQA
    raise AttributeError(f"module 'qa' has no attribute {name!r}")
