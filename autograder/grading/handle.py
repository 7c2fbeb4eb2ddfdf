"""The student handle: the one narrow door through which checks reach student code.

A handle takes a batch of calls (function name and plain, encoded arguments)
and returns one ``Outcome`` per call. The checks never see anything else, so
the engine can put the student's code in another process (``sandbox``)
without touching them. ``InProcessHandle`` runs *trusted* code (the
reference, the catalogue's variants, tests) with exactly the same rules.
"""
from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from autograder.grading.outcomes import Outcome
from autograder.sandbox.runtime.execution import run_calls
from autograder.sandbox.worker import Isolation


class StudentHandle(Protocol):
    def run(self, calls: Sequence[dict], helpers_for: str | None = None) -> list[Outcome]:
        """Execute encoded calls in order; one outcome each, never an exception.
        ``helpers_for``: the calls carry ``serve``; answer the helpers of that
        function with the reference (``carry``)."""


# One trusted in-process run at a time: the warnings filters a run records
# with are the process's, so two grader threads running the reference or a
# catalogue form at once would mix up each other's warnings.
IN_PROCESS = threading.RLock()


class InProcessHandle:
    """Runs calls against a namespace in this process. Trusted code only."""

    isolation = Isolation.TRUSTED

    def __init__(self, namespace: dict):
        self.namespace = namespace

    def run(self, calls: Sequence[dict], helpers_for: str | None = None) -> list[Outcome]:
        from autograder.grading.carry import in_process_asker
        ask = in_process_asker(helpers_for) if helpers_for else None
        with IN_PROCESS:
            return [Outcome.from_data(data) for data in run_calls(self.namespace, calls, ask)]

    @classmethod
    def from_file(cls, path: Path | str) -> InProcessHandle:
        spec = importlib.util.spec_from_file_location(f"trusted_{Path(path).stem}", path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load {path}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return cls(vars(module))


class SandboxHandle:
    """Runs calls against a submission's source inside a sandboxed worker
    (``autograder.sandbox``): the handle to use for untrusted code."""

    def __init__(self, source: str, isolation: Isolation | None = None, limits=None):
        from autograder.sandbox import Limits, LoadFailure, Runtime, Worker, bwrap_works
        self._load_failure = LoadFailure
        self.source = source
        self.isolation = Isolation(isolation) if isolation else (Isolation.BUBBLEWRAP if bwrap_works() else Isolation.PROCESS)
        self.runtime = Runtime()
        self.worker = Worker(self.runtime, self.isolation, limits or Limits())
        self.load_error: str | None = None

    def run(self, calls: Sequence[dict], helpers_for: str | None = None) -> list[Outcome]:
        from autograder.grading.carry import serving
        result = self.worker.run(self.source, list(calls), serve=serving(helpers_for) if helpers_for else None)
        if isinstance(result, self._load_failure):
            self.load_error = result.reason
            return [Outcome.failure("crashed", result.reason) for _ in calls]
        return result.outcomes

    def close(self) -> None:
        self.worker.stop()
        self.runtime.cleanup()
