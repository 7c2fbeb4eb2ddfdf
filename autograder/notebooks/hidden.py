"""The in-kernel entry point of the notebook's hidden tests.

Every hidden test cell of ``source/loss_functions/loss_functions.ipynb`` ends
with ``hidden_checks("<function>", globals())``. It grades that one function
of the notebook's namespace with the engine's own checks, probes (drawn from
the fixed ``NOTEBOOK_SEED``) and strict comparisons, prints one plain sentence
per failed check (kinds, shapes, factors; never a hidden input or the right
value) and returns the function's score as a float. The float is the cell's
result, and nbgrader reads a test cell whose result is a single number as its
partial credit (``nbgrader.utils.determine_grade``), out of the cell's points,
which are ``rubric.function_points()[function]``.

This runs in the student's kernel, next to the student's code: see
docs/nbgrader.md for what that cannot defend against. ``autograder grade`` on
the submitted notebooks is the path that isolates student code.
"""
from __future__ import annotations

import contextlib
import functools
import io

from autograder.classrun.records import graded_record
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.probes import ProbeSet, make_probes
from autograder.grading.rubric import FUNCTIONS
from autograder.grading.scoring import GradeResult, grade

NOTEBOOK_SEED = 2026


@functools.cache
def _all_probes() -> ProbeSet:
    return make_probes(NOTEBOOK_SEED)


@functools.cache
def function_probes(function: str) -> tuple[ProbeSet, Diagnoser]:
    """The probes of ``function``'s checks exactly as in the full run with
    ``NOTEBOOK_SEED`` (each check draws from ``[seed, its index in the
    rubric]``, so they are cut out of the full set, not drawn again), and the
    diagnoser that names mistakes on them."""
    if function not in FUNCTIONS:
        raise KeyError(f"{function!r} is not a function of the contract")
    full = _all_probes()
    checks = [c for c in full.checks if c.function == function]
    indices: list[int] = []
    spans: dict[str, range] = {}
    for c in checks:
        span = full.spans[c.name]
        spans[c.name] = range(len(indices), len(indices) + len(span))
        indices.extend(span)
    probes = ProbeSet(full.seed, checks, [full.calls[i] for i in indices],
                      [full.encoded[i] for i in indices], spans,
                      [full.reference[i] for i in indices])
    return probes, Diagnoser(probes)


def grade_function(function: str, namespace: dict) -> GradeResult:
    """Grade one contract function of ``namespace`` (in this process)."""
    probes, diagnoser = function_probes(function)
    # Whatever the student's code prints (stderr above all, which nbgrader
    # would read as a failed cell) stays out of the cell's output.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return grade(InProcessHandle(namespace), probes, diagnoser)


def hidden_checks(function: str, namespace: dict) -> float:
    """Score ``function`` in ``namespace``, print the feedback, return the points."""
    result = grade_function(function, namespace)
    record = graded_record("notebook", result, InProcessHandle.isolation)
    own = result.functions[function]
    failed = [t for t in record.tests if not t.passed]
    print(f"{function}: {own.score:g} of {own.max_score:g} points "
          f"({len(record.tests) - len(failed)} of {len(record.tests)} hidden checks passed)")
    for test in failed:
        print(f"- {test.feedback}")
    return float(min(own.score, own.max_score))
