"""One-dimensional sweeps: a student's loss or gradient drawn as a curve.

Each sweep moves one input along a fixed grid (everything else held still)
and reads one number per grid point from the results, so the feedback can
plot the student's function against the correct one. A per-sample function
takes the whole grid as ONE call (a vector of grid points); a batch loss or
a batch gradient gets one call per grid point, on a small batch in which only
one sample moves.

The grids are fixed and public: they are not the hidden checks' probes
(those are random draws from the run's seed), so a curve shows nothing a
student could use to reconstruct the hidden checks. Apart from round
integers (0, 1, labels, batch sizes, +-1000), no grid or batch value equals a
value the checks use either (tests/test_reports.py holds this).

The engine appends ``encoded_sweep_calls()`` to the batch it sends to the
student's (sandboxed) process and hands the outcomes to ``curves``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from autograder.grading.checks.base import Call, f64
from autograder.grading.compare import exception_name, student_shape
from autograder.grading.outcomes import Outcome

Picker = Callable[[np.ndarray], "np.ndarray | float"]


@dataclass(frozen=True)
class Sweep:
    """``calls`` produce, through ``pick``, one y value per entry of ``x``.

    ``vector``: one call whose result holds the whole curve (``pick`` turns
    the result into len(x) numbers); otherwise one call per x value (``pick``
    turns each result into one number).
    """

    name: str
    function: str
    title: str
    x_label: str
    y_label: str
    x: tuple
    calls: tuple
    pick: Picker
    vector: bool
    x_scale: str = "linear"      # "linear" or "symlog" (matplotlib scales)
    y_scale: str = "linear"

    def read(self, outcomes: Sequence[Outcome | None], reference: Sequence[Outcome]) -> tuple[list, list[str]]:
        """The y values (None where there is no finite number) and, in plain
        words, why points are missing (no values quoted)."""
        problems: list[str] = []
        if self.vector:
            ys = _read_vector(outcomes[0] if outcomes else None, reference[0], self.pick, len(self.x), problems)
        else:
            ys = [_read_point(got, want, self.pick, problems)
                  for got, want in zip(_padded(outcomes, len(self.calls)), reference)]
        return ys, problems


def _padded(outcomes, n):
    outcomes = list(outcomes or [])
    return outcomes + [None] * (n - len(outcomes))


def _result_array(got: Outcome | None, want: Outcome, problems: list[str]) -> np.ndarray | None:
    """The student's numeric result when it has the shape the reference's has."""
    reason = None
    if got is None:
        reason = "no result came back"
    elif got.status == "missing":
        reason = "the function is not defined"
    elif got.not_implemented:
        reason = "not implemented yet (raises NotImplementedError)"
    elif got.status == "raised":
        reason = f"raised {exception_name(got.error_type)}"      # not a class name the student chose
    elif not got.ok:
        reason = {"timeout": "ran out of time", "crashed": "the process crashed"}.get(got.status, "unreadable result")
    elif got.result.kind not in ("float", "int", "array"):
        reason = f"returned a {got.result.kind} instead of numbers"
    if reason is None and got is not None:
        array = np.asarray(got.result.payload, dtype=np.float64)
        expected = np.shape(want.result.payload) if want.ok else None
        if expected is None or array.shape == expected:
            return array
        # the student's shape only where its numbers are the right result's (``student_shape``)
        reason = (f"returned an array of {student_shape(array.shape, expected)} where {expected} was expected"
                  if expected else f"returned an array of {student_shape(array.shape, ())} where a single number "
                  "was expected")
    if reason is not None and reason not in problems:
        problems.append(reason)
    return None


def _finite_or_none(values, problems) -> list[float | None]:
    out: list[float | None] = []
    for v in np.asarray(values, dtype=np.float64).ravel():
        if math.isfinite(v):
            out.append(float(v))
        else:
            out.append(None)
            if "returned inf or NaN" not in problems:
                problems.append("returned inf or NaN")
    return out


def _read_vector(got, want, pick, n, problems) -> list:
    array = _result_array(got, want, problems)
    return [None] * n if array is None else _finite_or_none(pick(array), problems)


def _read_point(got, want, pick, problems):
    array = _result_array(got, want, problems)
    return None if array is None else _finite_or_none(pick(array), problems)[0]


def _reference_values(sweep: Sweep, reference: Sequence[Outcome]) -> list:
    ys, problems = sweep.read(reference, reference)
    if problems:   # the grids are chosen so that the reference is finite everywhere
        raise RuntimeError(f"sweep {sweep.name}: the reference gave no value ({problems[0]})")
    return ys


# ------------------------------------------------------------------ grids

def _unit_grid(n: int) -> np.ndarray:
    """0, the midpoints of n equal steps, 1: the ends exactly, and interior
    points off every round value the checks use (0.5, 0.51, 0.2, ...) when
    n is 40 or 100 (steps of 1/80 or 1/200)."""
    return np.concatenate([[0.0], (np.arange(n) + 0.5) / n, [1.0]])


def _line(lo: float, hi: float, n: int) -> np.ndarray:
    """n points across [lo, hi], midpoints of equal steps (no round values)."""
    return lo + (hi - lo) * (np.arange(n) + 0.5) / n


def _wide_logits() -> np.ndarray:
    """From -1000 to 1000: dense near 0 (the curve's bend), sparse far out
    (where naive formulas overflow); drawn on a symlog axis."""
    far = np.geomspace(11.3, 1000.0, 8)
    return np.concatenate([-far[::-1], _line(-10.0, 10.0, 21), far])


def _class_rows(q: np.ndarray) -> np.ndarray:
    """Rows of three probabilities: q for class 0, the rest split 55:45."""
    return np.stack([q, (1.0 - q) * 0.55, (1.0 - q) * 0.45], axis=1)


# ------------------------------------------------------------------ builders

_BUILDING: dict[str, Sweep] = {}


def _add(sweep: Sweep) -> None:
    if sweep.name in _BUILDING:
        raise KeyError(f"two sweeps named {sweep.name}")
    _BUILDING[sweep.name] = sweep


def _vector(name, function, title, x_label, y_label, x, args, pick=np.ravel, **scales):
    _add(Sweep(name, function, title, x_label, y_label, tuple(float(v) for v in x),
               (Call(function, args),), pick, True, **scales))


def _pointwise(name, function, title, x_label, y_label, x, make_args, pick=lambda a: a, **scales):
    _add(Sweep(name, function, title, x_label, y_label, tuple(float(v) for v in x),
               tuple(Call(function, make_args(float(v))) for v in x), pick, False, **scales))


def _first(a):
    return a.ravel()[0]


# A batch of four regression samples; sample 0 moves through its target.
REG_Y = f64([0.35, 1.15, -0.65, 0.85])
REG_REST = f64([0.95, -0.15, 1.45])
# A batch of four binary samples (two positives, two negatives).
BIN_REST = f64([0.85, 0.35, 0.65])
# Three samples of three classes; sample 0 (label 0) moves.
CLS_REST = f64([[0.15, 0.65, 0.35], [0.35, 0.15, 0.65]]) / f64([[1.15], [1.15]])
CLS_LABELS = np.array([0, 1, 2])
LOGIT_REST = f64([[0.35, 1.85, -1.15], [1.35, 0.15, 0.45]])
BIN_LOGIT_REST = f64([1.65, -2.15, 0.45])


def _build() -> None:
    d = _line(-2.0, 2.0, 101)
    _vector("squared_error", "squared_error",
            "Per-sample squared error as the prediction passes its target (y = 0.35)",
            "prediction y_hat", "loss", REG_Y[0] + d, (REG_Y[0] + d, np.full(d.size, REG_Y[0])))

    p = _unit_grid(100)
    _vector("binary_cross_entropy", "binary_cross_entropy",
            "Per-sample BCE of a positive example (y = 1) as p goes from 0 to 1",
            "predicted probability p", "loss", p, (p, np.ones(p.size)))
    _vector("binary_cross_entropy:negative", "binary_cross_entropy",
            "Per-sample BCE of a negative example (y = 0) as p goes from 0 to 1",
            "predicted probability p", "loss", p, (p, np.zeros(p.size)))
    _vector("categorical_cross_entropy", "categorical_cross_entropy",
            "Per-sample CCE (3 classes) as the probability of the true class goes from 0 to 1",
            "probability of the true class", "loss", p, (_class_rows(p), np.zeros(p.size, dtype=int)))

    q = _unit_grid(24)
    _pointwise("batch_mean", "batch_mean",
               "Mean of four per-sample losses as one of them grows",
               "loss of sample 0", "batch loss", _line(0.0, 3.2, 27),
               lambda x: (f64([x, 0.45, 1.15, 0.65]),))
    _pointwise("mse", "mse",
               "MSE of a batch of 4 as one prediction passes its target (y = 0.35)",
               "prediction of sample 0", "batch loss", REG_Y[0] + _line(-2.0, 2.0, 27),
               lambda x: (np.concatenate([[x], REG_REST]), REG_Y))
    _pointwise("bce", "bce",
               "Mean BCE of a batch of 4 as the prediction for one negative example (y = 0) goes from 0 to 1",
               "predicted probability of sample 0", "batch loss", q,
               lambda x: (np.concatenate([[x], BIN_REST]), f64([0, 1, 0, 1])))
    _pointwise("cce", "cce",
               "Mean CCE of a batch of 3 as one sample's probability of its true class goes from 0 to 1",
               "probability of the true class (sample 0)", "batch loss", q,
               lambda x: (np.vstack([_class_rows(f64([x])), CLS_REST]), CLS_LABELS))
    sizes = np.arange(1, 25)
    _pointwise("epoch_mean", "epoch_mean",
               "Epoch loss from batch means 0.95, 0.75 (24 samples each) and 0.15 (the last batch)",
               "samples in the last batch", "epoch loss", sizes,
               lambda s: (f64([0.95, 0.75, 0.15]), f64([24, 24, s])))

    _pointwise("mse_grad", "mse_grad",
               "MSE gradient for sample 0 of a batch of 4 as its prediction passes the target (y = 0.35)",
               "prediction of sample 0", "dL/dy_hat of sample 0", REG_Y[0] + _line(-2.0, 2.0, 27),
               lambda x: (np.concatenate([[x], REG_REST]), REG_Y), pick=_first)
    _pointwise("bce_grad", "bce_grad",
               "BCE gradient for a positive example (y = 1) in a batch of 4 as p goes from 0 to 1",
               "predicted probability of sample 0", "dL/dp of sample 0", q,
               lambda x: (np.concatenate([[x], BIN_REST]), f64([1, 1, 0, 0])), pick=_first, y_scale="symlog")
    _pointwise("cce_grad", "cce_grad",
               "CCE gradient for the true class of one sample in a batch of 3",
               "probability of the true class (sample 0)", "dL/dprobs[0, true class]", q,
               lambda x: (np.vstack([_class_rows(f64([x])), CLS_REST]), CLS_LABELS),
               pick=_first, y_scale="symlog")

    z = _line(-8.0, 8.0, 101)
    _vector("sigmoid", "sigmoid", "Sigmoid of a logit from -8 to 8", "logit z", "sigmoid(z)", z, (z,))
    rows = np.stack([z, np.full(z.size, 1.15), np.full(z.size, -0.45)], axis=1)
    _vector("softmax", "softmax",
            "Softmax probability of class 0 as its logit moves (the other two logits: 1.15 and -0.45)",
            "logit of class 0", "probability of class 0", z, (rows,), pick=lambda a: a[:, 0])
    _vector("softmax:large-logits", "softmax",
            "The same logits plus 1000: softmax does not change when every logit shifts",
            "logit of class 0, minus the 1000 shift", "probability of class 0", z, (rows + 1000.0,),
            pick=lambda a: a[:, 0])

    wide = _wide_logits()
    _pointwise("bce_with_logits", "bce_with_logits",
               "Mean BCE from logits, batch of 4, as the logit of one positive example goes from -1000 to 1000",
               "logit of sample 0 (y = 1)", "batch loss", wide,
               lambda x: (np.concatenate([[x], BIN_LOGIT_REST]), f64([1, 1, 0, 0])), x_scale="symlog")
    zl = _line(-10.0, 10.0, 27)
    _pointwise("bce_with_logits_grad", "bce_with_logits_grad",
               "Gradient of BCE from logits for a positive example (y = 1) in a batch of 4",
               "logit of sample 0", "dL/dz of sample 0", zl,
               lambda x: (np.concatenate([[x], BIN_LOGIT_REST]), f64([1, 1, 0, 0])), pick=_first)
    _pointwise("softmax_cross_entropy", "softmax_cross_entropy",
               "Softmax cross-entropy, batch of 3, as the true-class logit of one sample goes from -1000 to 1000",
               "true-class logit of sample 0 (other logits 1.15, -0.45)", "batch loss", wide,
               lambda x: (np.vstack([[x, 1.15, -0.45], LOGIT_REST]), CLS_LABELS), x_scale="symlog")
    _pointwise("softmax_cross_entropy_grad", "softmax_cross_entropy_grad",
               "Softmax cross-entropy gradient for the true-class logit of one sample in a batch of 3",
               "true-class logit of sample 0", "dL/dz[0, true class]", zl,
               lambda x: (np.vstack([[x, 1.15, -0.45], LOGIT_REST]), CLS_LABELS), pick=_first)


@lru_cache(maxsize=1)
def table() -> dict[str, Sweep]:
    """Every sweep by name, in a fixed order (built on first use, not at import)."""
    _BUILDING.clear()
    _build()
    built = dict(_BUILDING)
    _BUILDING.clear()
    return built


# ------------------------------------------------------------------ API

@lru_cache(maxsize=1)
def spans() -> dict[str, range]:
    """Where each sweep's calls sit in ``sweep_calls()``."""
    found, start = {}, 0
    for name, sweep in table().items():
        found[name] = range(start, start + len(sweep.calls))
        start += len(sweep.calls)
    return found


def sweep_calls() -> list[Call]:
    """Every sweep's calls, flattened in the fixed order of ``table()``."""
    return [call for sweep in table().values() for call in sweep.calls]


@lru_cache(maxsize=1)
def _encoded() -> tuple:
    return tuple(call.encoded() for call in sweep_calls())


def encoded_sweep_calls() -> list[dict]:
    """``sweep_calls()`` encoded for a handle (computed once per process)."""
    return list(_encoded())


@lru_cache(maxsize=1)
def _reference() -> tuple:
    from autograder.grading.handle import InProcessHandle
    from autograder.grading.mistakes.variants import reference_namespace
    return tuple(InProcessHandle(reference_namespace()).run(encoded_sweep_calls()))


def reference_outcomes() -> list[Outcome]:
    """The reference's outcomes on ``sweep_calls()`` (computed once per process)."""
    return list(_reference())


@lru_cache(maxsize=1)
def _default_reference_values() -> dict[str, tuple]:
    reference = reference_outcomes()
    return {name: tuple(_reference_values(sweep, reference[spans()[name].start:spans()[name].stop]))
            for name, sweep in table().items()}


@dataclass(frozen=True)
class Curve:
    """One sweep of one student: the student's values and the right ones along
    ``x``. A y value is None where the student's call raised, gave inf/NaN or
    a result of the wrong shape (``problems`` says which, in words)."""

    function: str
    title: str
    x_label: str
    y_label: str
    x: list[float]
    student: list[float | None]
    reference: list[float | None]
    x_scale: str | None = None
    y_scale: str | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"function": self.function, "title": self.title, "x_label": self.x_label, "y_label": self.y_label,
                "x": self.x, "student": self.student, "reference": self.reference,
                "x_scale": self.x_scale, "y_scale": self.y_scale, "problems": self.problems}

    @classmethod
    def from_json(cls, data: Any) -> Curve:
        """A curve read back from the run's state (``ValueError`` if it is not one)."""
        if not isinstance(data, dict):
            raise ValueError("a curve is not an object")
        try:
            return cls(str(data["function"]), str(data["title"]), str(data["x_label"]), str(data["y_label"]),
                       [float(v) for v in data["x"]], [_optional(v) for v in data["student"]],
                       [_optional(v) for v in data["reference"]], data.get("x_scale"), data.get("y_scale"),
                       [str(p) for p in data.get("problems", [])])
        except (KeyError, TypeError) as exc:
            raise ValueError(f"a curve lacks {exc}") from None


def _optional(value: Any) -> float | None:
    return None if value is None else float(value)


def curves(outcomes: Sequence[Outcome | None] | None, reference: Sequence[Outcome] | None = None,
           functions: Collection[str] | None = None) -> dict[str, Curve]:
    """Turn the outcomes of ``sweep_calls()`` into one ``Curve`` per sweep
    name (of ``functions`` only, when given: the others are not read at all).
    A shorter ``outcomes`` list (a run cut off) leaves the rest as None.
    """
    default = reference is None
    reference = reference_outcomes() if reference is None else list(reference)
    if len(reference) != len(sweep_calls()):
        raise ValueError(f"{len(reference)} reference outcomes for {len(sweep_calls())} sweep calls")
    outcomes = list(outcomes or [])
    result = {}
    for name, sweep in table().items():
        if functions is not None and sweep.function not in functions:
            continue
        span = spans()[name]
        want = reference[span.start:span.stop]
        student, problems = sweep.read(outcomes[span.start:span.stop], want)
        result[name] = Curve(
            sweep.function, sweep.title, sweep.x_label, sweep.y_label, list(sweep.x), student,
            list(_default_reference_values()[name]) if default else _reference_values(sweep, want),
            sweep.x_scale, sweep.y_scale, problems)
    return result


def student_curves(namespace: dict) -> dict[str, Curve]:
    """Curves for trusted code run in this process (tests, demos)."""
    from autograder.grading.handle import InProcessHandle
    return curves(InProcessHandle(namespace).run(encoded_sweep_calls()))
