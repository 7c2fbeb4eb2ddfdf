"""The grader judges behaviour, not style, and never trusts a student's objects.

1. Correct submissions written in styles other than the reference's (plain
   Python loops with ``math``; ``np.logaddexp``; a ``tanh`` sigmoid;
   ``np.take_along_axis``; ``np.float64`` where a float is asked; ``np.einsum``
   with ``np.eye(K)[labels]``; in-place arithmetic on private copies) get full
   marks on several seeds and have no mistake named.
2. A function that returns an object claiming equality with anything (a float,
   int or str subclass, an ndarray subclass, an object with ``__array__``)
   earns nothing, while every function that does not call it keeps its points.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

import numpy as np
import pytest
from contract import CONTRACT_FUNCTIONS

from autograder.authoring.single_source import REFERENCE
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import reference_namespace
from autograder.grading.probes import make_probes
from autograder.grading.rubric import FUNCTIONS
from autograder.grading.scoring import grade

SEEDS = (1, 2, 3)
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "styles"


# ===========================================================================
# Part 1: correct submissions in other styles (tests/fixtures/styles/*.py)
# ===========================================================================

# (a) Plain Python: for-loops over the samples, math.log / math.exp, lists,
#     np.array(list, dtype=float) for arrays and float(...) for scalars.

# (b) Vectorised numpy with the stable forms written with np.logaddexp
#     (softplus for BCE with logits, np.logaddexp.reduce for logsumexp, and a
#     sigmoid as exp(-softplus(-z))).

# (c) A tanh sigmoid 0.5 * (1 + tanh(z / 2)), log1p forms, log-sigmoid BCE
#     with logits, softmax as exp(z - logsumexp), BCE gradient written as
#     -y/p + (1-y)/(1-p), accuracy through np.where.

# (d) np.take_along_axis to pick the label probabilities (put_along_axis for
#     the gradient), sigmoid through exp(-|z|) and np.where.

# (e) numpy scalars where a float is asked: np.mean(...) / np.sum(...) results
#     returned as np.float64 (and np.argmin's np.int64), a sigmoid via
#     np.piecewise, mse as the mean over all N elements in one go.

# (f) np.einsum for every reduction and product, one-hot targets as
#     np.eye(K)[labels], sigmoid as exp(min(z, 0)) / (1 + exp(-|z|)).

# (g) Extra: in-place arithmetic (out=, -=, *=) on private copies made with
#     np.array(..., copy=True): inputs, read-only ones included, stay untouched.

STYLES = {path.stem.replace("_", "-"): path.read_text() for path in sorted(FIXTURES.glob("*.py"))}


def load_student(source: str) -> dict:
    namespace = {"__name__": "student"}
    exec(compile(source, "student.py", "exec"), namespace)
    return namespace


@functools.cache
def probes_for(seed: int):
    return make_probes(seed)


@functools.cache
def diagnoser_for(seed: int) -> Diagnoser:
    return Diagnoser(probes_for(seed))


def failures(result) -> str:
    lines = [f"  {c.name}: {c.detail} {c.mistakes or ''}".rstrip()
             for c in result.checks if not c.passed]
    return "\n".join(lines) or "  (no failed check)"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_module_is_a_self_contained_submission(style):
    """Each alternative defines the 22 contract functions and leans on neither
    the reference nor the grader."""
    source = STYLES[style]
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(CONTRACT_FUNCTIONS) <= defined, sorted(set(CONTRACT_FUNCTIONS) - defined)
    assert set(CONTRACT_FUNCTIONS) == set(FUNCTIONS)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"math", "numpy"}, imported
    namespace = load_student(source)
    assert all(callable(namespace[name]) for name in CONTRACT_FUNCTIONS)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style", sorted(STYLES))
def test_correct_alternative_style_gets_full_marks(style, seed):
    probes = probes_for(seed)
    result = grade(InProcessHandle(load_student(STYLES[style])), probes, diagnoser_for(seed))
    assert result.max_score == 100
    assert result.score == 100, (
        f"style {style!r}, seed {seed}: {result.score}/100; failed checks:\n{failures(result)}")
    assert all(c.passed for c in result.checks), failures(result)
    assert result.mistakes == [], f"style {style!r} was told it made {result.mistakes}"
    for name, f in result.functions.items():
        assert f.implemented and f.score == f.max_score and not f.mistakes, (name, f)


def test_numpy_scalar_style_really_returns_numpy_scalars():
    """The np.float64 style is tested for what it claims: its scalars are
    np.float64 (not float) and best_epoch gives a numpy integer."""
    ns = load_student(STYLES["numpy-float64-scalars"])
    assert type(ns["mse"]([1.2], [2.4])) is np.float64
    assert type(ns["batch_mean"]([1.0, 2.0])) is np.float64
    assert type(ns["accuracy"]([0.9, 0.1], [1.0, 1.0])) is np.float64
    w, b, loss = ns["linear_regression_step"](np.eye(2), np.ones(2), np.zeros(2), 0.0, 0.1)
    assert type(b) is np.float64 and type(loss) is np.float64
    assert isinstance(ns["best_epoch"]([1, 2], [2, 1]), np.integer)


# ===========================================================================
# Part 2: results that claim equality with anything earn nothing
# ===========================================================================

class LyingFloat(float):
    """float() gives the right number, but it equals, and is close to, anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __sub__(self, other):
        return LyingFloat(0.0)

    def __rsub__(self, other):
        return LyingFloat(0.0)

    def __abs__(self):
        return LyingFloat(0.0)

    def __lt__(self, other):
        return False

    def __le__(self, other):
        return True

    def __gt__(self, other):
        return False

    def __ge__(self, other):
        return True

    def __float__(self):
        return float.__float__(self)


class LyingArray(np.ndarray):
    """A view of the right result whose comparisons all say "equal" and whose
    differences are all zero."""

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)

    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, LyingArray) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, LyingArray) else o
                                  for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
            return np.ones(np.shape(result), dtype=bool)
        if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
            return np.zeros(np.shape(result), dtype=bool)
        if ufunc in (np.subtract, np.absolute):
            return np.zeros(np.shape(result)).view(LyingArray)
        if isinstance(result, np.ndarray) and type(result) is np.ndarray:
            return result.view(LyingArray)
        return result


class ArrayLikeLiar:
    """Not an array at all: it converts to the right array through __array__
    but claims equality with anything, also through numpy's ufuncs."""

    def __init__(self, value):
        self._value = np.array(value, dtype=np.float64)

    def __array__(self, dtype=None, copy=None):
        return np.array(self._value, dtype=dtype)

    @property
    def shape(self):
        return self._value.shape

    @property
    def dtype(self):
        return self._value.dtype

    def __len__(self):
        return len(self._value)

    def __float__(self):
        return float(self._value)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
            return True
        if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
            return False
        return ArrayLikeLiar(np.zeros(self._value.shape))


class LyingInt(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class LyingStr(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    def lower(self):
        return self

    def __contains__(self, item):
        return True


class LyingTuple(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = tuple.__hash__


def _as_lying_array(value):
    return np.array(value, dtype=np.float64).view(LyingArray)


LIARS = {
    "float-subclass": lambda v: LyingFloat(float(v)),
    "ndarray-subclass": _as_lying_array,
    "array-like-object": ArrayLikeLiar,
    "int-subclass": lambda v: LyingInt(int(v)),
    "str-subclass": lambda v: LyingStr(v),
    "tuple-of-liars": lambda v: (_as_lying_array(v[0]), LyingFloat(v[1]), LyingFloat(v[2])),
    "tuple-subclass": lambda v: LyingTuple(v),
}

# what to return when the honest function raises: the liar answers every call
FALLBACK = {
    "float-subclass": 0.0, "ndarray-subclass": np.zeros(0), "array-like-object": np.zeros(0),
    "int-subclass": 0, "str-subclass": "mse",
    "tuple-of-liars": (np.zeros(0), 0.0, 0.0), "tuple-subclass": (np.zeros(0), 0.0, 0.0),
}

CASES = [
    ("mse", "float-subclass"),
    ("bce", "float-subclass"),
    ("batch_mean", "float-subclass"),
    ("bce_with_logits", "float-subclass"),
    ("squared_error", "ndarray-subclass"),
    ("mse_grad", "ndarray-subclass"),
    ("softmax", "ndarray-subclass"),
    ("sigmoid", "ndarray-subclass"),
    ("squared_error", "array-like-object"),
    ("mse_grad", "array-like-object"),
    ("softmax", "array-like-object"),
    ("mse", "array-like-object"),
    ("best_epoch", "int-subclass"),
    ("loss_for_output", "str-subclass"),
    ("linear_regression_step", "tuple-of-liars"),
    ("linear_regression_step", "tuple-subclass"),
]


@functools.cache
def reference_callers() -> dict[str, set[str]]:
    """For every contract function, the contract functions that call it,
    directly or through others, in the reference (they run the replaced
    function in the reference namespace, so they may lose points too)."""
    tree = ast.parse(REFERENCE.read_text())
    calls: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            calls[node.name] = {n.func.id for n in ast.walk(node)
                                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                                and n.func.id in FUNCTIONS and n.func.id != node.name}
    callers: dict[str, set[str]] = {name: set() for name in FUNCTIONS}
    changed = True
    while changed:
        changed = False
        for caller, callees in calls.items():
            for callee in callees:
                new = {caller} | callers[caller]
                if not new <= callers[callee]:
                    callers[callee] |= new
                    changed = True
    return callers


def namespace_with_liar(function: str, liar: str) -> dict:
    namespace = reference_namespace()
    honest = namespace[function]
    wrap, fallback = LIARS[liar], FALLBACK[liar]

    def lying(*args, **kwargs):
        try:
            value = honest(*args, **kwargs)
        except Exception:
            value = fallback
        return wrap(value)

    namespace[function] = lying
    return namespace


def namespace_with_honest_wrapper(function: str) -> dict:
    namespace = reference_namespace()
    honest = namespace[function]
    namespace[function] = lambda *args, **kwargs: honest(*args, **kwargs)
    return namespace


def test_the_liars_really_lie():
    """The test objects do what they claim, so a zero below means something."""
    x = LyingFloat(1.44)
    assert x == 99.0 and not (x != 99.0) and abs(x - 99.0) <= 1e-12 and float(x) == 1.44
    assert type(float(x)) is float
    a = _as_lying_array([1.0, 2.0])
    assert np.all(a == np.array([5.0, 6.0])) and np.allclose(a, [5.0, 6.0])
    assert np.array_equal(np.asarray(a), [1.0, 2.0])
    o = ArrayLikeLiar([1.0, 2.0])
    assert o == [7.0] and np.array_equal(np.asarray(o), [1.0, 2.0])
    assert LyingInt(3) == 0 and int(LyingInt(3)) == 3
    assert LyingStr("bce") == "mse" and str.__str__(LyingStr("bce")) == "bce"
    assert LyingTuple((1, 2)) == (3, 4, 5)
    assert reference_callers()["mse"] == {"linear_regression_step"}
    assert reference_callers()["squared_error"] == {"mse", "linear_regression_step"}


@pytest.mark.parametrize("function, liar", CASES)
def test_result_claiming_equality_with_anything_earns_nothing(function, liar):
    seed = SEEDS[0]
    probes = probes_for(seed)
    result = grade(InProcessHandle(namespace_with_liar(function, liar)), probes, diagnoser_for(seed))
    own = result.functions[function]
    assert own.max_score > 0
    assert own.score == 0, (
        f"{function} returning a {liar} kept {own.score}/{own.max_score} points; passed checks: "
        + ", ".join(c.name for c in result.checks if c.function == function and c.passed))
    dependents = reference_callers()[function]
    independent = [name for name in FUNCTIONS if name != function and name not in dependents]
    assert len(independent) >= len(FUNCTIONS) - 5, dependents
    kept = {name: (result.functions[name].score, result.functions[name].max_score)
            for name in independent}
    lost = {name: s for name, s in kept.items() if s[0] != s[1]}
    assert not lost, f"functions that do not call {function} lost points: {lost}\n{failures(result)}"
    expected_total = sum(s[1] for s in kept.values())
    assert sum(s[0] for s in kept.values()) == expected_total
    assert result.score <= 100 - own.max_score


@pytest.mark.parametrize("function", sorted({f for f, _ in CASES}))
def test_honest_wrapper_keeps_full_marks(function):
    """Control: the same wrapping returning the honest (exact-type) value loses nothing."""
    seed = SEEDS[0]
    result = grade(InProcessHandle(namespace_with_honest_wrapper(function)), probes_for(seed),
                   diagnoser_for(seed))
    assert result.score == 100, failures(result)
