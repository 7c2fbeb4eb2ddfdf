"""The sandbox: a fork server per worker in which each submission's child runs.

``worker`` is the grader's side (``Worker``, ``Limits``, ``Runtime``);
``runtime/`` holds exactly the files copied into the sandbox; ``cgroups``
caps a worker's processes and memory. The names below are imported lazily,
so the runtime's modules can be imported without starting the worker's.
"""
from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    """``autograder.sandbox.Worker`` and the rest of ``worker``'s names."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(".worker", __name__), name)
