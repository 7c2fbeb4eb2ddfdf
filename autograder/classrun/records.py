"""The per-student record written to results.json (schema pinned by issue #4).

    {"student", "status" ("graded" | "error"), "error" (null | one line),
     "error_kind" (null | an ``errors.ErrorKind`` value), "score", "max_score", "isolation",
     "functions": {NAME: {"score", "max_score", "mistakes": [ids]}},
     "tests": [{"name", "function", "kind", "score", "max_score", "passed",
                "mistakes", "carried", "detail", "feedback"}]}

"error_kind" says why a row is in error as a stable id, and the pages take
their advice from it (``errors``); a row without one (written before it
existed) reads as "unknown".

"detail" is what a failed check saw the function do (the sentence's middle,
kept apart so that pages need not parse "feedback" back); "carried" lists the
student's own helpers a passed check was judged without
(error carried forward, ``carry``): the function is right, and its result
was off only because of them.

Every contract function has an entry for every student, zero where it is not
implemented or the submission could not be graded.

A test's "feedback" and a record's "error" reach the student verbatim
(feedback pages, Gradescope's results): they quote no hidden probe, no right
value and nothing the student's code chose that could carry one (see
``compare``).
"""
from __future__ import annotations

import re

from autograder.classrun.errors import ErrorKind
from autograder.grading.compare import exception_name, hide_numbers
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import FUNCTIONS, MAX_SCORE, RUBRIC, function_points
from autograder.grading.scoring import GradeResult
from autograder.sandbox.runtime import caps


def _said(check) -> str:
    """A failed check's detail in the student's terms, the same on every page
    and in Gradescope's output: a tuple's item by its name, no factor for a
    count or a share, the input a "refuses ..." check let through."""
    from autograder.report.text import plain_words
    return plain_words({"function": check.function, "name": check.name}, check.detail)


def _feedback(check, detail: str, mistakes: list[str]) -> str:
    if not mistakes and not detail:
        return f"Passed: {check.title}."
    parts = [f"Failed: {check.title}."]
    if detail:
        parts.append(f"What happened: {detail}.")
    for mistake in mistakes:
        parts.append(f"Looks like '{MISTAKES[mistake].title}' ({mistake}): {MISTAKES[mistake].feedback}")
    return " ".join(parts)


def _carried(check, result: GradeResult) -> str:
    """A check passed only with the right helpers in place (error carried forward)."""
    helpers = " and ".join(f"`{h}`" for h in check.carried)
    why = [f"{MISTAKES[m].title.lower()}, {m}" for h in check.carried for m in result.functions[h].mistakes]
    because = f" ({'; '.join(why)})" if why else ""
    return (f"Passed: {check.title}, with the right {helpers} in place. Your `{check.function}` is right: its "
            f"result is off only because it calls your {helpers}{because}, which loses points of its own.")


def graded_record(student: str, result: GradeResult, isolation: str) -> dict:
    tests = []
    for c in result.checks:
        tests.append({
            "name": c.name, "function": c.function, "kind": c.kind,
            "score": c.score, "max_score": c.max_score, "passed": c.passed,
            "mistakes": list(c.mistakes), "carried": list(c.carried), "detail": "" if c.passed else _said(c),
            "feedback": (_carried(c, result) if c.carried else f"Passed: {c.title}.") if c.passed
            else _feedback(c, _said(c), c.mistakes),
        })
    return {
        "student": student, "status": "graded", "error": None, "error_kind": None,
        "score": round(result.score, 6), "max_score": result.max_score, "isolation": isolation,
        "functions": {name: {"score": f.score, "max_score": f.max_score, "mistakes": list(f.mistakes)}
                      for name, f in result.functions.items()},
        "tests": tests,
    }


_RAISED = re.compile(r"(raised )([A-Za-z_][A-Za-z_0-9]*)")


def student_reason(reason: str) -> str:
    """Why a submission could not be graded, fit for the student to read.

    The reason may quote the submission's own words (what it raised while
    loading, the code it exited with), and a submission that looks for the
    probes in its process while it loads could put them there: an exception
    class of the submission's own is not named and long numbers and long runs
    of letters and digits (base64) are hidden. Python's own messages ("name
    'np' is not defined", "No module named 'torch'") stay."""
    reason = " ".join(str(reason).split())[:caps.MESSAGE]
    reason = _RAISED.sub(lambda m: m.group(1) + exception_name(m.group(2)), reason)
    return hide_numbers(reason)


def error_record(student: str, reason: str, isolation: str, kind: ErrorKind) -> dict:
    """A submission that could not be graded: one row, zero, the reason
    (``student_reason``: it is shown to the student as it is) and its kind,
    decided by whoever saw the cause (``errors``)."""
    reason = student_reason(reason)
    points = function_points()
    return {
        "student": student, "status": "error", "error": reason, "error_kind": kind.value,
        "score": 0.0, "max_score": MAX_SCORE, "isolation": isolation,
        "functions": {name: {"score": 0.0, "max_score": points[name], "mistakes": []} for name in FUNCTIONS},
        "tests": [{"name": c.name, "function": c.function, "kind": c.kind, "score": 0.0,
                   "max_score": c.points, "passed": False, "mistakes": [], "carried": [], "detail": "",
                   "feedback": f"Not graded: {reason}"} for c in RUBRIC],
    }


def mistakes_of(record: dict) -> list[str]:
    seen: list[str] = []
    for f in record["functions"].values():
        seen.extend(m for m in f["mistakes"] if m not in seen)
    return seen
