"""Score a submission: judge every check, total the points, name the mistakes.

Partial credit is per check: a failed check costs its own points and
nothing else. ``grade_outcomes`` works on outcomes alone, so the engine can
collect them from a sandboxed child and score them here, in the trusted
parent.

Error carried forward (``carry``): a function that fails a check and may
call other contract functions is run again with the reference's helpers
served; a check it passes that way is passed, its ``carried`` naming the
student's helpers that made the first run fail, and its mistakes are named
from that second run (its own code), so one cause is charged once.

A failed check's ``finding`` is what the function did (``compare.mismatch``)
and, where one call failed, that call's inputs by kind and shape, never
their values; its ``detail`` is that in the words the student reads
(``findings.say``).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np

from autograder.authoring.public_cases import all_cases as all_public_cases
from autograder.authoring.public_cases import decode_arg as decode_public_arg
from autograder.grading.carry import helpers_of, rerun_calls
from autograder.grading.checks.base import Call
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.findings import Arg, Finding, Input, say, say_input
from autograder.grading.handle import StudentHandle
from autograder.grading.outcomes import Outcome
from autograder.grading.probes import ProbeSet
from autograder.grading.rubric import FUNCTIONS


@dataclass
class CheckResult:
    name: str
    function: str
    kind: str
    title: str
    max_score: float
    score: float
    passed: bool
    finding: Finding | None = None      # what a failed check saw, as data
    mistakes: list[str] = field(default_factory=list)
    carried: list[str] = field(default_factory=list)   # passed only with these helpers of the student's replaced

    @property
    def detail(self) -> str:
        """What a failed check saw, in the words the student reads."""
        return say(self.finding, self) if self.finding is not None else ""


@dataclass
class FunctionResult:
    name: str
    score: float
    max_score: float
    implemented: bool
    mistakes: list[str] = field(default_factory=list)


@dataclass
class GradeResult:
    score: float
    max_score: float
    checks: list[CheckResult]
    functions: dict[str, FunctionResult]

    @property
    def mistakes(self) -> list[str]:
        """Every mistake named, once, in contract order."""
        seen: list[str] = []
        for f in self.functions.values():
            seen.extend(m for m in f.mistakes if m not in seen)
        return seen


# (types, one of them, several of them); bool before int, as bool is an int
_SCALAR_KINDS = (((bool, np.bool_), "bool", "bools"), ((int, np.integer), "integer", "integers"),
                 ((float, np.floating), "number", "numbers"), (str, "string", "strings"))


def _arg(arg) -> Arg:
    """One argument of a probe by its kind and shape, never its values (the
    shapes are the contract's; the values are the hidden part)."""
    if isinstance(arg, np.ndarray):
        return Arg("array", tuple(int(n) for n in arg.shape), read_only=not arg.flags.writeable)
    if isinstance(arg, (list, tuple)):
        kinds = {_item_kind(a) for a in arg}
        return Arg("list" if isinstance(arg, list) else "tuple", (len(arg),),
                   holds=kinds.pop() if len(kinds) == 1 else "items")
    for types, one, _ in _SCALAR_KINDS:
        if isinstance(arg, types):
            return Arg(one)
    return Arg("None" if arg is None else "object")


def _item_kind(item) -> str:
    for types, _, many in _SCALAR_KINDS:
        if isinstance(item, types):
            return many
    return "lists" if isinstance(item, (list, tuple)) else "items"


def call_input(call: Call) -> Input:
    """The inputs of a probe call as data: its arguments' kinds and shapes
    and the names of its keyword arguments."""
    return Input(args=tuple(_arg(a) for a in call.args), keywords=tuple(sorted(call.kwargs)))


def describe_call(call: Call) -> str:
    """The inputs of a probe call by kind and shape: 'a (5, 3) array and a
    list of 5 integers, with eps'."""
    return say_input(call_input(call))


def _key(fn: str, args, kwargs: dict) -> str | None:
    def plain(a):
        if isinstance(a, str):
            return a
        return ["array" if isinstance(a, np.ndarray) else type(a).__name__, np.asarray(a, dtype=float).tolist()]
    try:
        return json.dumps([fn, [plain(a) for a in args], {k: plain(v) for k, v in sorted(kwargs.items())}])
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=1)
def _public_calls() -> dict[str, str]:
    """Every call of the public cases (exercises/public_cases.json), by its
    key: the id of its case ("mse: the lesson's example")."""
    calls: dict[str, str] = {}
    for function, note, case_calls in all_public_cases():
        for _what, args, kwargs in case_calls:
            key = _key(function, [decode_public_arg(a) for a in args], kwargs)
            if key is not None:
                calls.setdefault(key, f"{function}: {note}")
    return calls


def public_case(call: Call) -> str | None:
    """The id of the public case a hidden probe call is (some are: the
    lesson's example), or None."""
    key = _key(call.fn, call.args, call.kwargs)
    return None if key is None else _public_calls().get(key)


def _finding(verdict, calls: list[Call]) -> Finding | None:
    """What the student reads of a failed check, as data. The failing call,
    if one is known, is named by its inputs' kinds and shapes, or as the
    public case it is (the student has its numbers). No number of a probe or
    of the student's result is kept, a public probe's neither: a function
    can remember the hidden inputs it saw and return them, coded, on the
    public one, so a precise factor there would read them out."""
    if verdict.passed or verdict.finding is None or verdict.call is None or not 0 <= verdict.call < len(calls):
        return verdict.finding
    call = calls[verdict.call]
    public = public_case(call)
    return replace(verdict.finding, input=Input(public_case=public) if public else call_input(call))


def _implemented(outcomes: list[Outcome]) -> bool:
    return not all(o.status == "missing" or o.not_implemented for o in outcomes)


def rerun_plan(probes: ProbeSet, outcomes: list[Outcome], diagnoser: Diagnoser) -> list[str]:
    """The functions to run again with their helpers served: implemented,
    failing a check, and calling other contract functions."""
    plan = []
    for name in FUNCTIONS:
        if not helpers_of(name) or not _implemented([outcomes[i] for i in diagnoser.indices(name)]):
            continue
        for check in probes.checks:
            if check.function == name:
                span = probes.spans[check.name]
                if not check.judge([outcomes[i] for i in span], [probes.reference[i] for i in span]).passed:
                    plan.append(name)
                    break
    return plan


def rerun_requests(probes: ProbeSet, function: str, diagnoser: Diagnoser) -> list[dict]:
    return rerun_calls([probes.encoded[i] for i in diagnoser.indices(function)], function)


def grade_outcomes(probes: ProbeSet, outcomes: list[Outcome], diagnoser: Diagnoser | None = None,
                   reruns: dict[str, list[Outcome]] | None = None) -> GradeResult:
    """Judge every check. ``reruns``: for a function of ``rerun_plan``, its
    outcomes (in the order of its probes) with the reference's helpers served."""
    if len(outcomes) != len(probes.calls):
        raise ValueError(f"{len(outcomes)} outcomes for {len(probes.calls)} probes")
    diagnoser = diagnoser or Diagnoser(probes)
    own_code = list(outcomes)          # each function's outcomes with its helpers served, where rerun
    for name, rerun in (reruns or {}).items():
        for i, outcome in zip(diagnoser.indices(name), rerun):
            own_code[i] = outcome
    checks: list[CheckResult] = []
    carried: list[CheckResult] = []
    for check in probes.checks:
        span = probes.spans[check.name]
        reference = [probes.reference[i] for i in span]
        verdict = check.judge([outcomes[i] for i in span], reference)
        if not verdict.passed and check.function in (reruns or {}) \
                and check.judge([own_code[i] for i in span], reference).passed:
            carried.append(CheckResult(check.name, check.function, check.kind, check.title,
                                       check.points, check.points, True))
            checks.append(carried[-1])
            continue
        checks.append(CheckResult(check.name, check.function, check.kind, check.title,
                                  check.points, check.points if verdict.passed else 0.0,
                                  verdict.passed, _finding(verdict, [probes.calls[i] for i in span])))
    failing = {c.function for c in checks if not c.passed}
    for c in carried:       # the student's helpers to blame: those failing checks of their own, where known
        c.carried = [h for h in helpers_of(c.function) if h in failing] or list(helpers_of(c.function))
    check_named = {check.name: check for check in probes.checks}
    functions: dict[str, FunctionResult] = {}
    for name in FUNCTIONS:
        own = [c for c in checks if c.function == name]
        implemented = _implemented([outcomes[i] for i in diagnoser.indices(name)])
        failed = [c for c in own if not c.passed]
        mistakes = diagnoser.diagnose(name, own_code) if failed and implemented else []
        for c in failed:            # only the mistakes that explain this check's failure
            c.mistakes = [m for m in mistakes if diagnoser.fails(m, check_named[c.name])]
        functions[name] = FunctionResult(name, sum(c.score for c in own), sum(c.max_score for c in own),
                                         implemented, mistakes)
    total = sum(c.score for c in checks)
    return GradeResult(total, sum(c.max_score for c in checks), checks, functions)


def grade(handle: StudentHandle, probes: ProbeSet, diagnoser: Diagnoser | None = None) -> GradeResult:
    """Run the probes, then rerun failing functions with their helpers served."""
    diagnoser = diagnoser or Diagnoser(probes)
    outcomes = handle.run(probes.encoded)
    reruns = {name: handle.run(rerun_requests(probes, name, diagnoser), helpers_for=name)
              for name in rerun_plan(probes, outcomes, diagnoser)}
    return grade_outcomes(probes, outcomes, diagnoser, reruns)
