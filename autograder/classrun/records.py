"""The per-student record: its types (what results.json holds for each
student, and what every page, file and course tool reads) and how it is made.

``StudentRecord.to_json()`` is the results.json row, in this order::

    {"student", "status" ("graded" | "error"), "error" (null | one line),
     "error_kind" (null | an ``errors.ErrorKind`` value), "score", "max_score", "isolation",
     "functions": {NAME: {"score", "max_score", "mistakes": [ids]}},
     "tests": [{"name", "function", "kind", "score", "max_score", "passed",
                "mistakes", "carried", "detail", "feedback", "input", "finding"}],
     "late": {...}}                       (only when a due date was given: ``Late``)

"error_kind" says why a row is in error as a stable id, and the pages take
their advice from it (``errors``); a row without one (written before it
existed) reads as "unknown".

"detail" is what a failed check saw the function do (the sentence's middle,
kept apart so that pages need not parse "feedback" back), worded once from
the check's ``Finding``; "input" is the failing call's input in words (the
end of "detail", kept apart too) and "finding" the kind of difference
(``grading.findings.FindingKind``); "carried" lists the
student's own helpers a passed check was judged without
(error carried forward, ``grading.carry``): the function is right, and its
result was off only because of them.

Every contract function has an entry for every student, zero where it is not
implemented or the submission could not be graded.

A test's "feedback" and a record's "error" reach the student verbatim
(feedback pages, Gradescope's results): they quote no hidden probe, no right
value and nothing the student's code chose that could carry one (see
``grading.compare``).
"""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from autograder.classrun.errors import ErrorKind, kind_of
from autograder.grading.compare import exception_name, hide_numbers
from autograder.grading.findings import INPUT, joined, say_parts
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import FUNCTIONS, MAX_SCORE, RUBRIC, function_points
from autograder.grading.scoring import GradeResult
from autograder.sandbox.runtime import caps
from autograder.sandbox.worker import Isolation


class Status(str, Enum):
    GRADED = "graded"
    ERROR = "error"


class RecordError(ValueError):
    """A stored record (results.json, the run's state) that is not one this grader writes."""


def _need(data: Mapping[str, Any], key: str, kinds: type | tuple[type, ...]) -> Any:
    """``data[key]``, which must be one of ``kinds`` (True is not a number here)."""
    value = data.get(key)
    number_wanted = kinds is not bool and not (isinstance(kinds, tuple) and bool in kinds)
    if not isinstance(value, kinds) or (isinstance(value, bool) and number_wanted):
        raise RecordError(f"{key!r} is {type(value).__name__}, not what a record holds there")
    return value


_NUMBER = (int, float)


@dataclass(frozen=True, slots=True)
class TestRecord:
    """One hidden check of one student."""

    name: str
    function: str
    kind: str
    score: float
    max_score: float
    passed: bool
    mistakes: tuple[str, ...] = ()
    carried: tuple[str, ...] = ()
    detail: str = ""                 # what happened, in words: ``what``, then "; input: " and ``input`` if any
    feedback: str = ""
    input: str = ""                  # the failing call's input in words ("" when not one call's)
    finding: str = ""                # the kind of difference (``findings.FindingKind`` value), "" if passed

    @property
    def what(self) -> str:
        """What the function did, without the input (``detail`` is made of the two)."""
        return self.detail.removesuffix(f"{INPUT}{self.input}") if self.input else self.detail

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "function": self.function, "kind": self.kind, "score": self.score,
                "max_score": self.max_score, "passed": self.passed, "mistakes": list(self.mistakes),
                "carried": list(self.carried), "detail": self.detail, "feedback": self.feedback,
                "input": self.input, "finding": self.finding}

    @classmethod
    def from_json(cls, data: Any) -> TestRecord:
        if not isinstance(data, Mapping):
            raise RecordError("a test is not an object")
        return cls(_need(data, "name", str), _need(data, "function", str), _need(data, "kind", str),
                   _need(data, "score", _NUMBER), _need(data, "max_score", _NUMBER), _need(data, "passed", bool),
                   tuple(_strings(data.get("mistakes", []))), tuple(_strings(data.get("carried", []))),
                   str(data.get("detail", "")), str(data.get("feedback", "")),
                   str(data.get("input", "")), str(data.get("finding", "")))


@dataclass(frozen=True, slots=True)
class FunctionRecord:
    """One contract function of one student: its points and the mistakes named in it."""

    score: float
    max_score: float
    mistakes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "max_score": self.max_score, "mistakes": list(self.mistakes)}

    @classmethod
    def from_json(cls, data: Any) -> FunctionRecord:
        if not isinstance(data, Mapping):
            raise RecordError("a function's entry is not an object")
        return cls(_need(data, "score", _NUMBER), _need(data, "max_score", _NUMBER),
                   tuple(_strings(data.get("mistakes", []))))


@dataclass(frozen=True, slots=True)
class Late:
    """When the submission came in against the due date, and the penalty (``course.late``)."""

    due: str
    submitted: str | None
    source: str
    seconds_late: float
    late: bool
    lms_marked_late: bool | None
    policy: str
    rule: str
    penalty: float
    raw_score: float

    def to_json(self) -> dict[str, Any]:
        return {"due": self.due, "submitted": self.submitted, "source": self.source,
                "seconds_late": self.seconds_late, "late": self.late, "lms_marked_late": self.lms_marked_late,
                "policy": self.policy, "rule": self.rule, "penalty": self.penalty, "raw_score": self.raw_score}

    @classmethod
    def from_json(cls, data: Any) -> Late:
        if not isinstance(data, Mapping):
            raise RecordError("'late' is not an object")
        submitted = data.get("submitted")
        flag = data.get("lms_marked_late")
        return cls(_need(data, "due", str), submitted if isinstance(submitted, str) else None,
                   _need(data, "source", str), _need(data, "seconds_late", _NUMBER), _need(data, "late", bool),
                   flag if isinstance(flag, bool) else None, _need(data, "policy", str), _need(data, "rule", str),
                   _need(data, "penalty", _NUMBER), _need(data, "raw_score", _NUMBER))


def _strings(items: Any) -> list[str]:
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise RecordError("a list of ids holds something other than strings")
    return items


@dataclass(frozen=True, slots=True)
class StudentRecord:
    """What one student got: the row of results.json, grades.csv and the report,
    and what the feedback page and Gradescope's results are drawn from."""

    student: str
    status: Status
    error: str | None
    error_kind: ErrorKind | None     # why it is in error (``errors``); None for a graded row
    score: float
    max_score: float
    isolation: Isolation
    functions: Mapping[str, FunctionRecord]
    tests: tuple[TestRecord, ...]
    late: Late | None = None

    @property
    def graded(self) -> bool:
        return self.status is Status.GRADED

    def mistakes(self) -> list[str]:
        """Every mistake named in the record, in function order, once each."""
        seen: list[str] = []
        for f in self.functions.values():
            seen.extend(m for m in f.mistakes if m not in seen)
        return seen

    def with_late(self, late: Late | None, score: float) -> StudentRecord:
        return dataclasses.replace(self, late=late, score=score)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "student": self.student, "status": self.status.value, "error": self.error,
            "error_kind": self.error_kind.value if self.error_kind is not None else None,
            "score": self.score, "max_score": self.max_score, "isolation": self.isolation.value,
            "functions": {name: f.to_json() for name, f in self.functions.items()},
            "tests": [t.to_json() for t in self.tests],
        }
        if self.late is not None:
            data["late"] = self.late.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any) -> StudentRecord:
        """A record read back from results.json or the run's state, checked
        field by field (``RecordError`` names what is wrong)."""
        if not isinstance(data, Mapping):
            raise RecordError("a student's record is not an object")
        try:
            status, isolation = Status(data.get("status")), Isolation(data.get("isolation"))
        except ValueError as exc:
            raise RecordError(str(exc)) from None
        error = data.get("error")
        functions = _need(data, "functions", Mapping)
        late = data.get("late")
        return cls(_need(data, "student", str), status, error if isinstance(error, str) else None, kind_of(data),
                   _need(data, "score", _NUMBER), _need(data, "max_score", _NUMBER), isolation,
                   {str(name): FunctionRecord.from_json(f) for name, f in functions.items()},
                   tuple(TestRecord.from_json(t) for t in _need(data, "tests", list)),
                   Late.from_json(late) if late else None)


@dataclass
class ClassResults:
    """What a class run produced: results.json's content. ``students`` holds
    every record; for a class larger than ``engine.STREAM_ABOVE`` (whose
    results.json is streamed to disk as the records are read back) it is
    empty, and ``tally`` (a ``report.class_report.Tally``) holds what was
    counted on the way: nothing of a class that size is kept per student but
    its score and its roster row, and of those only the lowest 500."""

    assignment: str
    max_score: float
    students: list[StudentRecord]
    identical: list
    meta: dict[str, Any]            # the run's metadata, as results.json writes it
    tally: Any = None               # report.class_report.Tally of a streamed class (not a record: no JSON)

    def head_json(self) -> dict[str, Any]:
        """results.json without its students, in results.json's order."""
        return {"assignment": self.assignment, "max_score": self.max_score, "identical": self.identical,
                "meta": self.meta}

    def to_json(self) -> dict[str, Any]:
        """results.json as one object (``outputs.results_json_chunks`` streams the same)."""
        return dict(self.head_json(), students=[r.to_json() for r in self.students])

    @classmethod
    def from_json(cls, data: Any) -> ClassResults:
        """A results.json read back (a regrade, the gradebook, an LMS export), checked."""
        if not isinstance(data, Mapping):
            raise RecordError("results.json is not an object")
        meta, identical = data.get("meta"), data.get("identical")
        max_score = data.get("max_score", MAX_SCORE)          # older files may lack it
        return cls(str(data.get("assignment", "")), max_score if isinstance(max_score, _NUMBER) else MAX_SCORE,
                   [StudentRecord.from_json(r) for r in _need(data, "students", list)],
                   identical if isinstance(identical, list) else [], meta if isinstance(meta, dict) else {})



def _failed_test(c, result: GradeResult) -> TestRecord:
    """A failed check's record: its detail in the student's terms, the same on
    every page and in Gradescope's output (its ``Finding`` worded by
    ``findings.say_parts``), with the input kept apart too."""
    what, inputs = say_parts(c.finding, c) if c.finding is not None else ("", "")
    detail = joined(what, inputs)
    return TestRecord(c.name, c.function, c.kind, c.score, c.max_score, False, tuple(c.mistakes), tuple(c.carried),
                      detail, _feedback(c, detail, c.mistakes), inputs,
                      c.finding.kind.value if c.finding is not None else "")


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


def graded_record(student: str, result: GradeResult, isolation: Isolation) -> StudentRecord:
    tests = tuple(
        TestRecord(c.name, c.function, c.kind, c.score, c.max_score, True, tuple(c.mistakes), tuple(c.carried),
                   "", _carried(c, result) if c.carried else f"Passed: {c.title}.")
        if c.passed else _failed_test(c, result)
        for c in result.checks)
    return StudentRecord(
        student, Status.GRADED, None, None, round(result.score, 6), result.max_score, Isolation(isolation),
        {name: FunctionRecord(f.score, f.max_score, tuple(f.mistakes)) for name, f in result.functions.items()},
        tests)


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


def error_record(student: str, reason: str, isolation: Isolation, kind: ErrorKind) -> StudentRecord:
    """A submission that could not be graded: one row, zero, the reason
    (``student_reason``: it is shown to the student as it is) and its kind,
    decided by whoever saw the cause (``errors``)."""
    reason = student_reason(reason)
    points = function_points()
    return StudentRecord(
        student, Status.ERROR, reason, ErrorKind(kind), 0.0, MAX_SCORE, Isolation(isolation),
        {name: FunctionRecord(0.0, points[name]) for name in FUNCTIONS},
        tuple(TestRecord(c.name, c.function, c.kind, 0.0, c.points, False, feedback=f"Not graded: {reason}")
              for c in RUBRIC))
