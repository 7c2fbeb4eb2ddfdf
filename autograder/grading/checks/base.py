"""Pieces every hidden check is made of.

A ``Check`` belongs to one contract function, is worth some points, and is
either *correctness* (values, shapes, dtypes, the contract's errors) or a
*scenario* (a common mistake from the lesson made into a situation). It
declares its probe calls, built from a seeded random generator, and a judge
that reads the student's outcomes next to the reference's and returns a
``Verdict``. Judges see only decoded plain data (``Outcome``).
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from autograder.grading.compare import mismatch, same_value
from autograder.grading.findings import Finding, FindingKind
from autograder.grading.outcomes import Outcome
from autograder.sandbox.runtime.values import encode_arg

CORRECTNESS = "correctness"
SCENARIO = "scenario"


@dataclass(frozen=True)
class Call:
    fn: str
    args: tuple
    kwargs: dict = field(default_factory=dict)

    def encoded(self) -> dict:
        return {"fn": self.fn, "args": [encode_arg(a) for a in self.args],
                "kwargs": {k: encode_arg(v) for k, v in self.kwargs.items()}}


@dataclass(frozen=True)
class Verdict:
    """A check's judgement. ``finding`` is what a failed check saw the
    function do, as data that holds no probe, no right value and none of the
    student's own text (``compare.mismatch``); the student reads it in words
    (``findings.say``). ``call`` is the position, among the check's calls, of
    the one that failed, when one did: the grader describes that input by its
    kinds and shapes."""
    passed: bool
    finding: Finding | None = None
    call: int | None = None


Judge = Callable[[Sequence[Outcome], Sequence[Outcome]], Verdict]


def matches_reference(student: Sequence[Outcome], reference: Sequence[Outcome]) -> Verdict:
    """Every probe behaves as the reference does: same kind, shape, dtype and
    values (to 1e-6 relative), the same ValueErrors. Where the right result
    is NaN (a NaN input), a ValueError is accepted too. Writing into an
    input is judged by the function's own ``inputs-unchanged`` check only
    (``inputs_unchanged``), so one cause costs one check."""
    for index, (got, want) in enumerate(zip(student, reference)):
        if got.ok and want.ok and same_value(got.result, want.result, nan_equal=True):
            continue
        if want.status == "raised" and got.raised_value_error:
            continue
        if want.ok and got.raised_value_error and _has_nan(want):
            continue
        ran = got.status in ("ok", "raised") and not got.not_implemented
        return Verdict(False, mismatch(got, want), index if ran else None)
    return Verdict(True)


def _has_nan(outcome: Outcome) -> bool:
    payload = outcome.result.payload
    return isinstance(payload, (float, np.ndarray)) and bool(np.isnan(payload).any())


def inputs_unchanged(student: Sequence[Outcome], reference: Sequence[Outcome]) -> Verdict:
    """The calls come in pairs: the same inputs, writable and then read-only
    (``unchanged_check``). No call writes into an argument, and the
    read-only copy does not make the function fail where the writable one
    did not. The values are judged elsewhere: a wrong but pure function
    passes this check; one that returns nothing on valid inputs does not."""
    for index, got in enumerate(student):
        if got.status != "ok":
            if got.status == "raised" and index % 2 == 1 and student[index - 1].status == "ok":
                break                   # the read-only copy failed: said below
            return Verdict(False, mismatch(got, reference[index]), index)
        if reference[index].ok and not _same_kind(got.value, reference[index].value):
            return Verdict(False, mismatch(got, reference[index]), index)
    for index, got in enumerate(student):
        if got.mutated:
            return Verdict(False, Finding(FindingKind.MUTATED_INPUT, argument=got.mutated[0]), index)
    for index in range(0, len(student) - 1, 2):
        writable, frozen = student[index], student[index + 1]
        if writable.status == "ok" and frozen.status != "ok":
            return Verdict(False, Finding(FindingKind.READ_ONLY_FAILED), index + 1)
    return Verdict(True)


def _same_kind(got, want) -> bool:
    """The same kind of result, and for arrays the same shape (values aside)."""
    if got.kind != want.kind or got.kind == "other":
        return False
    if want.kind == "tuple":
        return len(got.payload) == len(want.payload) and all(map(_same_kind, got.payload, want.payload))
    if want.kind == "array":
        return got.payload.shape == want.payload.shape
    return True


def quiet_and_matching(student, reference) -> Verdict:
    """Matches the reference and raises no floating-point overflow, divide
    or invalid warning on the way (large inputs must be handled stably)."""
    for got in student:
        if got.ok and got.fp:
            return Verdict(False, Finding(FindingKind.FP_WARNING, got=", ".join(sorted(got.fp))))
    return matches_reference(student, reference)


def increasing(student, reference) -> Verdict:
    """Matches the reference, and each probe's result is larger than the
    previous one's (e.g. a confident mistake costs more than a hesitant one)."""
    verdict = matches_reference(student, reference)
    if not verdict.passed:
        return verdict
    numbers = [float(np.sum(o.value.payload)) for o in student]
    if not all(b > a for a, b in zip(numbers, numbers[1:])):
        return Verdict(False, Finding(FindingKind.NOT_ORDERED))
    return Verdict(True)


@dataclass(frozen=True)
class Check:
    name: str
    function: str
    kind: str
    points: float
    title: str
    probes: Callable[[np.random.Generator], list[Call]]
    judge: Judge = matches_reference
    targets: tuple = ()

    def __post_init__(self):
        if self.kind not in (CORRECTNESS, SCENARIO):
            raise ValueError(f"check {self.name}: unknown kind {self.kind!r}")
        if self.points <= 0:
            raise ValueError(f"check {self.name}: points must be positive")


def check(function: str, name: str, kind: str, points: float, title: str,
          judge: Judge = matches_reference, targets=()):
    """Decorator: turn a probe builder into a ``Check``."""
    def wrap(probes):
        return Check(f"{function}:{name}", function, kind, points, title, probes, judge, tuple(targets))
    return wrap


# ------------------------------------------------------------ probe helpers

def f64(x) -> np.ndarray:
    return np.array(x, dtype=np.float64)


def readonly(x) -> np.ndarray:
    a = np.array(x, dtype=x.dtype if isinstance(x, np.ndarray) else np.float64)   # a copy
    a.setflags(write=False)
    return a


def writable_then_readonly(function: str, args: tuple, kwargs: dict | None = None) -> list[Call]:
    """Two calls with the same inputs: writable arrays, then read-only copies."""
    frozen = tuple(readonly(a) if isinstance(a, np.ndarray) else a for a in args)
    return [Call(function, args, kwargs or {}), Call(function, frozen, kwargs or {})]


def unchanged_check(function: str, make_args, points: float = 0.5, name: str = "inputs-unchanged",
                    title: str = "leaves its inputs unchanged (read-only inputs work)") -> Check:
    """The function's one check of the contract's rule that inputs never
    change: ``make_args(rng)`` gives valid inputs (a tuple of arrays and
    scalars), called once writable and once read-only."""
    @check(function, name, CORRECTNESS, points, title, judge=inputs_unchanged, targets=("mutates-input",))
    def probes(rng):
        return writable_then_readonly(function, tuple(make_args(rng)))
    return probes


def sizes(rng: np.random.Generator) -> tuple[int, int]:
    """A batch size m and a class count K with m != K (so a wrong axis shows)."""
    m = int(rng.integers(4, 8))
    k = int(rng.integers(3, 6))
    return m, (k if k != m else k + 1)


def probs_matrix(rng, m, k) -> np.ndarray:
    z = rng.normal(size=(m, k))
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def binary_labels(rng, m) -> np.ndarray:
    y = rng.integers(0, 2, size=m).astype(np.float64)
    y[0], y[-1] = 1.0, 0.0
    return y


def shape_check(function: str, targets_for=None) -> Check:
    """The contract's shape rules for a function of two same-shape arrays: an
    (m, 1) column against (m,) targets is refused (never broadcast to m x m),
    and so is an empty batch. ``targets_for(rng, m)`` makes the (m,) targets."""
    targets_for = targets_for or (lambda rng, m: f64(rng.normal(size=m)))

    @check(function, "shapes", CORRECTNESS, 1,
           "refuses an (m, 1) column against (m,) targets (either way round) and an empty batch",
           targets=("silent-broadcast",))
    def probes(rng):
        m, _ = sizes(rng)
        return [Call(function, (f64(rng.normal(size=(m, 1))), targets_for(rng, m))),
                Call(function, (f64(rng.normal(size=m)), targets_for(rng, m)[:, None])),
                Call(function, (f64([]), f64([])))]
    return probes
