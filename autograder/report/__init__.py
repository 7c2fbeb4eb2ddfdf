"""Reports: a feedback page per student and a class report for the instructor.

``render_feedback_md`` / ``render_feedback_html`` (one record),
``render_class_report`` (a whole results.json), ``terminal_summary`` (the
lines printed at the end of a run). Pages are single self-contained files.
The names are imported on first use: the plots need matplotlib, which only
the processes that draw should pay for.
"""
from __future__ import annotations

import importlib
from typing import Any

_HOMES = {"render_class_report": "class_report", "render_feedback_html": "feedback",
          "render_feedback_md": "feedback", "terminal_summary": "summary"}

__all__ = list(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
