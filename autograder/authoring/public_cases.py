"""The public checks' expected values, generated from the reference.

Students get ``exercises/public_cases.json`` (inputs and expected outputs as
data) and ``exercises/test_losses.py`` (which reads it). No formula of the
reference reaches them. These inputs are fixed and deliberately different
from the hidden probes in ``autograder/checks``.
"""
from __future__ import annotations

import inspect
import json
from typing import Any

import numpy as np

from autograder.authoring.single_source import ROOT

PUBLIC_CASES = ROOT / "exercises" / "public_cases.json"


def A(values, dtype=None, readonly=False, shape=None):
    """Mark an argument to be passed as a numpy array (not a list): float64
    unless ``dtype`` says otherwise, read-only when asked, reshaped to
    ``shape`` (for empty arrays with columns)."""
    arg = {"array": values}
    if dtype is not None:
        arg["dtype"] = dtype
    if readonly:
        arg["readonly"] = True
    if shape is not None:
        arg["shape"] = list(shape)
    return arg


def R(values, dtype=None):
    """A read-only numpy array argument."""
    return A(values, dtype=dtype, readonly=True)


# The stable forms: the contract asks for no overflow warning, so their public
# cases run with numpy's floating-point warnings turned into errors.
QUIET = ("sigmoid", "softmax", "bce_with_logits", "bce_with_logits_grad",
         "softmax_cross_entropy", "softmax_cross_entropy_grad")


P3 = [[0.7, 0.1, 0.1, 0.1], [0.1, 0.2, 0.6, 0.1], [0.25, 0.25, 0.25, 0.25]]      # m = 3 samples, K = 4 classes
SOFT3 = [[1.0, 0.0, 0.0, 0.0], [0.0, 0.5, 0.5, 0.0], [0.25, 0.25, 0.25, 0.25]]
Z3 = [[2.0, 1.0, 0.1, 0.0], [0.5, 2.5, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
INT = "int64"

# (function, args, kwargs, what the case shows): one call each. Every kind of
# requirement a hidden check scores has a case here (tests/test_public_preview.py
# checks it), with other values than the hidden probes.
CASES = [
    ("squared_error", [[1.0, 2.0, 3.0], [1.5, 2.0, 1.0]], {}, "three samples, one output each"),
    ("squared_error", [A([[1.0, 0.0], [2.0, 2.0], [0.0, 3.0]]), A([[0.0, 0.0], [2.0, 4.0], [1.0, 1.0]])], {},
     "two outputs per sample are averaged"),
    ("squared_error", [R([1.5, 0.5, 4.0, -2.0]), R([1.0, 1.0, 1.0, 1.0])], {},
     "a miss of 3 costs 36 times a miss of 0.5 (read-only arrays)"),
    ("binary_cross_entropy", [[0.51, 0.001, 0.49, 0.999, 0.9], [1.0, 1.0, 0.0, 0.0, 1.0]], {},
     "hesitant and confident misses on both classes"),
    ("binary_cross_entropy", [R([0.0, 1.0, 1.0, 0.0, 0.5]), R([1.0, 1.0, 0.0, 0.0, 1.0])], {},
     "p exactly 0 or 1 gives a large but finite loss (read-only arrays)"),
    ("binary_cross_entropy", [A([0.3, 0.8, 0.6]), A([0.2, 1.0, 0.5])], {"eps": 1e-3}, "soft targets, eps given"),
    ("categorical_cross_entropy", [A(P3), A([0, 2, 3], dtype=INT)], {},
     "integer labels pick one entry per row, not an m x m block"),
    ("categorical_cross_entropy", [A(P3), A([1.0, 2.0, 0.0])], {}, "float labels with integral values: 2.0 is class 2"),
    ("categorical_cross_entropy", [A(P3), A(SOFT3)], {}, "one-hot and soft targets"),
    ("categorical_cross_entropy", [R([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), [1, 2]], {},
     "a zero probability for the true class gives a finite loss (read-only array)"),
    ("batch_mean", [[0.5, 1.5, 4.0]], {}, "the mean, not the sum"),
    ("batch_mean", [A([0.5, 1.5, 4.0, 0.5, 1.5, 4.0])], {}, "the same batch stacked twice has the same mean"),
    ("batch_mean", [R([2.5])], {}, "a single sample is its own mean (read-only array)"),
    ("mse", [[1.2], [2.4]], {}, "the lesson's example: 1.44"),
    ("mse", [A([1.0, 2.0, 3.0, 4.0]), A([2.0, 2.0, 2.0, 2.0])], {}, "a batch of four"),
    ("mse", [A([[1.0, 0.0], [2.0, 2.0], [0.0, 3.0]]), A([[0.0, 0.0], [2.0, 4.0], [1.0, 1.0]])], {},
     "two outputs per sample: the mean over all N elements"),
    ("mse", [R([1.0, 2.0, 3.0, 4.0] * 2), R([2.0, 2.0, 2.0, 2.0] * 2)], {},
     "the batch of four stacked twice has the same loss (read-only arrays)"),
    ("bce", [[0.51], [1.0]], {}, "a hesitant miss on a positive example"),
    ("bce", [[0.001], [1.0]], {}, "a confident miss on a positive example costs far more"),
    ("bce", [A([1.0, 0.0, 0.6]), A([0.0, 1.0, 1.0])], {}, "predictions of exactly 0 or 1 give a finite loss"),
    ("bce", [A([0.2, 0.7, 0.9]), A([0.0, 0.5, 1.0])], {}, "a batch of three with a soft target"),
    ("bce", [R([0.2, 0.7, 0.9] * 2), R([0.0, 0.5, 1.0] * 2)], {},
     "the batch of three stacked twice has the same loss (read-only arrays)"),
    ("cce", [A(P3), A([0, 2, 3], dtype=INT)], {}, "the mean over samples, not over classes"),
    ("cce", [A(P3), A(SOFT3)], {}, "soft targets"),
    ("cce", [R(P3 * 2), R([0, 2, 3] * 2, dtype=INT)], {}, "the batch stacked twice has the same loss (read-only arrays)"),
    ("cce", [A([[0.0, 1.0], [0.5, 0.5], [0.2, 0.8]]), [0, 1, 1]], {}, "a zero probability for the true class gives a finite loss"),
    ("epoch_mean", [[0.5, 0.7, 1.0], [32, 32, 8]], {}, "a small last batch counts less"),
    ("epoch_mean", [A([0.4, 0.9, 0.6, 1.2]), A([16, 16, 16, 4], dtype=INT)], {}, "batch sizes as an int array"),
    ("epoch_mean", [R([0.3, 0.5, 2.0]), R([16.0, 16.0, 4.0])], {}, "a last batch of 4 counts a quarter (read-only arrays)"),
    ("mse_grad", [[1.2], [2.4]], {}, "the lesson's example: negative, the prediction is too low"),
    ("mse_grad", [A([1.0, -0.5, 2.0]), A([0.5, 0.5, 0.5])], {}, "a batch of three: 2 (y_hat - y) / m"),
    ("mse_grad", [A([[1.0, 2.0], [3.0, 0.0], [0.5, 0.5]]), A([[0.0, 2.0], [1.0, 1.0], [0.5, 1.5]])], {},
     "multi-output: divide by N = m * k"),
    ("mse_grad", [R([1.0, -0.5, 2.0] * 2), R([0.5, 0.5, 0.5] * 2)], {},
     "the batch of three stacked twice: each gradient halves (read-only arrays)"),
    ("bce_grad", [A([0.8, 0.3, 0.6]), A([1.0, 0.0, 0.5])], {}, "gradient with respect to the probabilities"),
    ("bce_grad", [[0.3, 0.7], [1.0, 0.0]], {}, "a positive predicted too low gets a negative gradient"),
    ("bce_grad", [R([0.0, 1.0, 1.0, 0.0, 0.5]), R([1.0, 0.0, 1.0, 0.0, 1.0])], {},
     "p exactly 0 or 1 gives a finite gradient (read-only arrays)"),
    ("cce_grad", [A(P3), A([0, 2, 3], dtype=INT)], {}, "only the true class gets a signal"),
    ("cce_grad", [A(P3), A(SOFT3)], {}, "soft targets"),
    ("cce_grad", [R([[0.0, 1.0, 0.0], [0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]), [0, 0, 2]], {},
     "a zero probability for the true class gives a finite gradient (read-only array)"),
    ("sigmoid", [[-2.0, 0.0, 3.0]], {}, "values"),
    ("sigmoid", [A([[-1.0, 0.5], [2.0, -3.0], [0.0, 4.0]])], {}, "a 2-D array keeps its shape"),
    ("sigmoid", [R([-1000.0, 1000.0, -1e300, 1e300, -745.2, 50.0])], {},
     "huge z of both signs: 0 and 1 with no overflow (read-only array)"),
    ("softmax", [A([[1.0, 2.0, 3.0, 0.0], [0.0, 0.0, 0.0, 0.0], [-1.0, 0.5, 2.0, 1.0]])], {},
     "row-wise: each row sums to 1"),
    ("softmax", [A([1e4, 9999.0, -1e4])], {}, "one sample with huge logits keeps its shape, no overflow"),
    ("softmax", [R([[1000.0, 1001.0, 1002.0], [-1000.0, -1001.0, -999.0]])], {},
     "large logits: no overflow (read-only array)"),
    ("bce_with_logits", [A([0.5, -1.5, 2.0]), A([1.0, 0.0, 0.3])], {}, "equals bce(sigmoid(z), y)"),
    ("bce_with_logits", [R([-800.0, 800.0, -1e4, 1e4]), R([1.0, 0.0, 1.0, 0.0])], {},
     "large logits of both signs stay finite, no overflow (read-only arrays)"),
    ("bce_with_logits_grad", [A([0.5, -1.5, 2.0]), A([1.0, 0.0, 0.3])], {}, "sigmoid(z) - y, averaged"),
    ("bce_with_logits_grad", [R([-1000.0, 1000.0, -5.0, 800.0]), R([1.0, 0.0, 1.0, 1.0])], {},
     "large logits: a bounded gradient, no overflow (read-only arrays)"),
    ("softmax_cross_entropy", [A(Z3), A([0, 1, 3], dtype=INT)], {}, "equals cce(softmax(z), y)"),
    ("softmax_cross_entropy", [A(Z3), A(SOFT3)], {}, "soft targets"),
    ("softmax_cross_entropy", [R([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -999.0]]), [2, 0]], {},
     "large logits stay finite, no overflow (read-only arrays)"),
    ("softmax_cross_entropy_grad", [A(Z3), A([0, 1, 3], dtype=INT)], {}, "softmax(z) - t, averaged"),
    ("softmax_cross_entropy_grad", [A(Z3), A(SOFT3)], {}, "soft targets"),
    ("softmax_cross_entropy_grad", [R([[1000.0, 0.0, -1000.0], [-1000.0, -1001.0, -999.0]]), [2, 0]], {},
     "large logits: a finite gradient, no overflow (read-only arrays)"),
    ("sgd_step", [A([1.0, -2.0, 0.5]), A([0.5, 0.5, -1.0]), 0.1], {}, "one step downhill"),
    ("sgd_step", [A([[1.0, 2.0], [3.0, 4.0]]), A([[0.5, 0.0], [-1.0, 0.0]]), 0.5], {},
     "a matrix of weights: a zero gradient leaves its weight where it is"),
    ("sgd_step", [R([0.5, 1.5]), R([2.0, -2.0]), 0.25], {}, "a new array; w and grad unchanged (read-only arrays)"),
    ("linear_regression_step", [A([[1.0, 2.0], [0.0, 1.0], [1.0, -1.0]]), A([3.0, 1.0, 0.0]), A([0.5, 0.5]), 0.0, 0.1], {},
     "loss before the step, then the update"),
    ("linear_regression_step", [R([[1.0, 0.0], [2.0, 1.0], [0.0, 1.0], [1.0, 1.0]]), R([1.0, 3.0, 2.0, 0.5]),
                                R([0.2, -0.1]), 0.5, 0.2], {},
     "X, y and w unchanged (read-only arrays); the bias moves by lr * g.sum()"),
    ("accuracy", [[0.51, 0.001, 0.9, 0.2], [1.0, 1.0, 1.0, 0.0]], {}, "0.51 and 0.001 for a positive: both wrong"),
    ("accuracy", [A([0.5, 0.7, 0.3, 0.69]), A([1.0, 1.0, 0.0, 0.0])], {},
     "a prediction equal to the threshold counts as positive (p >= threshold)"),
    ("accuracy", [R([0.5, 0.7, 0.3, 0.69]), R([1.0, 1.0, 0.0, 0.0])], {"threshold": 0.7},
     "threshold given: 0.7 itself counts as positive (read-only arrays)"),
    ("loss_for_output", ["identity"], {}, "a real-valued output pairs with MSE"),
    ("loss_for_output", ["sigmoid"], {}, "sigmoid output pairs with BCE"),
    ("loss_for_output", ["Softmax"], {}, "case-insensitive"),
    ("loss_for_output", ["LINEAR"], {}, "linear is identity, in any case"),
    ("best_epoch", [[1.0, 0.6, 0.4, 0.3, 0.2], [1.1, 0.8, 0.7, 0.75, 0.9]], {}, "the validation curve picks the epoch"),
    ("best_epoch", [R([3.0, 2.0, 1.0, 0.5]), R([0.8, 0.4, 0.4, 0.9])], {}, "a tie: the first lowest epoch (read-only arrays)"),
]

# (function, what the case shows, [(the input that must be refused, args, kwargs), ...]):
# every ValueError of the contract, one case per function; the first input
# that slips through is the one a failure names.
REFUSALS: list[tuple[str, str, list[tuple[str, list, dict]]]] = [
    ("squared_error", "refuses mismatched shapes and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[1.0], [2.0], [0.5]]), A([1.0, 2.0, 3.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([1.0, 2.0, 0.5]), A([[1.0], [2.0], [3.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("binary_cross_entropy", "refuses logits, bad targets, mismatched shapes and an empty batch", [
        ("p outside [0, 1]: logits", [A([2.5, -1.0, 0.3]), A([1.0, 0.0, 1.0])], {}),
        ("a target outside [0, 1]", [A([0.2, 0.7, 0.5]), A([2.0, 0.0, 1.0])], {}),
        ("an (m, 1) column against (m,) targets", [A([[0.2], [0.7], [0.5]]), A([1.0, 0.0, 1.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([0.2, 0.7, 0.5]), A([[1.0], [0.0], [1.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("categorical_cross_entropy", "refuses logits, bad labels, mismatched targets and an empty batch", [
        ("rows that are not distributions: logits", [A(Z3), A([0, 1, 2], dtype=INT)], {}),
        ("a label equal to K", [A(P3), A([0, 4, 1], dtype=INT)], {}),
        ("a label that is not a whole number", [A(P3), A([0.5, 1.0, 2.0])], {}),
        ("m + 1 labels for m rows", [A(P3), A([0, 1, 2, 3], dtype=INT)], {}),
        ("an empty batch", [A([], shape=(0, 4)), A([], dtype=INT)], {})]),
    ("batch_mean", "refuses an empty batch", [
        ("an empty array", [A([])], {}),
        ("an empty list", [[]], {})]),
    ("mse", "refuses mismatched shapes and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[1.0], [2.0], [0.5]]), A([1.0, 2.0, 3.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([1.0, 2.0, 0.5]), A([[1.0], [2.0], [3.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("bce", "refuses logits, mismatched shapes and an empty batch", [
        ("p outside [0, 1]: logits", [A([0.3, 1.5]), A([1.0, 0.0])], {}),
        ("an (m, 1) column against (m,) targets", [A([[0.2], [0.7]]), A([1.0, 0.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([0.2, 0.7]), A([[1.0], [0.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("cce", "refuses logits, bad labels and an empty batch", [
        ("rows that are not distributions: logits", [A(Z3), A([0, 1, 2], dtype=INT)], {}),
        ("a negative label", [A(P3), A([0, -1, 1], dtype=INT)], {}),
        ("an empty batch", [A([], shape=(0, 4)), A([], dtype=INT)], {})]),
    ("epoch_mean", "refuses mismatched lengths, no batches and a batch size that is not positive", [
        ("two means for one size", [A([0.4, 0.5]), A([32.0])], {}),
        ("an (B, 1) column of sizes against (B,) means", [A([0.4, 0.5]), A([[32.0], [16.0]])], {}),
        ("no batches at all", [A([]), A([])], {}),
        ("a batch size of 0", [A([0.4, 0.5]), A([32.0, 0.0])], {})]),
    ("mse_grad", "refuses mismatched shapes and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[1.0], [2.0], [0.5]]), A([1.0, 2.0, 3.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([1.0, 2.0, 0.5]), A([[1.0], [2.0], [3.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("bce_grad", "refuses mismatched shapes, logits and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[0.2], [0.7], [0.5]]), A([1.0, 0.0, 1.0])], {}),
        ("(m,) predictions against an (m, 1) column of targets", [A([0.2, 0.7, 0.5]), A([[1.0], [0.0], [1.0]])], {}),
        ("p outside [0, 1]: logits", [A([2.5, -1.0, 0.3]), A([1.0, 0.0, 1.0])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("cce_grad", "refuses logits, bad labels and an empty batch", [
        ("rows that are not distributions: logits", [A(Z3), A([0, 1, 2], dtype=INT)], {}),
        ("a label equal to K", [A(P3), A([0, 4, 1], dtype=INT)], {}),
        ("an empty batch", [A([], shape=(0, 4)), A([], dtype=INT)], {})]),
    ("softmax", "refuses an empty batch", [
        ("a batch of no rows", [A([], shape=(0, 3))], {}),
        ("an empty sample", [A([])], {})]),
    ("bce_with_logits", "refuses mismatched shapes and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[0.5], [-1.0], [2.0]]), A([1.0, 0.0, 1.0])], {}),
        ("(m,) logits against an (m, 1) column of targets", [A([0.5, -1.0, 2.0]), A([[1.0], [0.0], [1.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("bce_with_logits_grad", "refuses mismatched shapes and an empty batch", [
        ("an (m, 1) column against (m,) targets", [A([[0.5], [-1.0], [2.0]]), A([1.0, 0.0, 1.0])], {}),
        ("(m,) logits against an (m, 1) column of targets", [A([0.5, -1.0, 2.0]), A([[1.0], [0.0], [1.0]])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("softmax_cross_entropy", "refuses bad labels and an empty batch", [
        ("a label equal to K", [A(Z3), A([0, 4, 1], dtype=INT)], {}),
        ("a label that is not a whole number", [A(Z3), A([0.0, 1.5, 2.0])], {}),
        ("an empty batch", [A([], shape=(0, 4)), A([], dtype=INT)], {})]),
    ("softmax_cross_entropy_grad", "refuses bad labels and an empty batch", [
        ("a label equal to K", [A(Z3), A([0, 4, 1], dtype=INT)], {}),
        ("a label that is not a whole number", [A(Z3), A([0.0, 1.5, 2.0])], {}),
        ("an empty batch", [A([], shape=(0, 4)), A([], dtype=INT)], {})]),
    ("sgd_step", "refuses mismatched shapes and a learning rate that is not positive", [
        ("w and grad of different lengths", [A([1.0, 2.0]), A([0.5, 0.5, 0.5]), 0.1], {}),
        ("an (m, 1) column w against an (m,) grad", [A([[1.0], [2.0]]), A([0.5, 0.5]), 0.1], {}),
        ("lr = 0", [A([1.0, 2.0]), A([0.5, 0.5]), 0.0], {}),
        ("a negative lr", [A([1.0, 2.0]), A([0.5, 0.5]), -0.5], {})]),
    ("accuracy", "refuses mismatched shapes, labels other than 0 and 1, and an empty batch", [
        ("an (m, 1) column against (m,) labels", [A([[0.2], [0.7], [0.5]]), A([1.0, 0.0, 1.0])], {}),
        ("(m,) predictions against an (m, 1) column of labels", [A([0.2, 0.7, 0.5]), A([[1.0], [0.0], [1.0]])], {}),
        ("a label of 2", [A([0.2, 0.7]), A([2.0, 0.0])], {}),
        ("an empty batch", [A([]), A([])], {})]),
    ("loss_for_output", "refuses an unknown activation", [
        ("relu", ["relu"], {}),
        ("an empty name", [""], {}),
        ("tanh", ["tanh"], {})]),
    ("best_epoch", "refuses curves of different lengths and empty curves", [
        ("curves of different lengths", [A([1.0, 0.5, 0.4]), A([1.0, 0.6])], {}),
        ("empty curves", [A([]), A([])], {})]),
]


def decode_arg(arg):
    """The argument a case passes (as exercises/test_losses.py's ``as_argument``)."""
    if isinstance(arg, dict) and "array" in arg:
        a = np.array(arg["array"], dtype=arg.get("dtype", "float64"))
        if "shape" in arg:
            a = a.reshape(arg["shape"])
        if arg.get("readonly"):
            a.setflags(write=False)
        return a
    return arg


def encode_result(value):
    """Describe a reference result as JSON data (the type matters, not just the value)."""
    if isinstance(value, tuple):
        return {"tuple": [encode_result(v) for v in value]}
    if isinstance(value, np.ndarray):
        return {"array": value.tolist(), "shape": list(value.shape)}
    if isinstance(value, bool):
        raise TypeError("the contract has no boolean results")
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": value}
    if isinstance(value, str):
        return {"str": value}
    raise TypeError(f"unexpected reference result {type(value)}")


def run_reference(function, name, args, kwargs) -> dict:
    """The expected outcome of one call, as JSON data."""
    quiet: dict[str, Any] = dict(over="raise", divide="raise", invalid="raise") if name in QUIET else {}
    try:
        with np.errstate(**quiet):
            result = function(*[decode_arg(a) for a in args], **kwargs)
    except ValueError:
        return {"raises": "ValueError"}
    return encode_result(result)


def all_cases() -> list[tuple[str, str, list[tuple[str, list, dict]]]]:
    """Every public case as (function, note, [(what, args, kwargs), ...]), a
    function's value cases first and its refusals after them."""
    order = list(dict.fromkeys(name for name, *_ in CASES))
    out = []
    for function in order:
        out += [(name, note, [("", args, kwargs)]) for name, args, kwargs, note in CASES if name == function]
        out += [(name, note, calls) for name, note, calls in REFUSALS if name == function]
    extra = {name for name, *_ in REFUSALS} - set(order)
    if extra:
        raise ValueError(f"refusals for functions without a value case: {sorted(extra)}")
    return out


def build_cases(reference) -> list[dict]:
    out = []
    seen = set()
    for name, note, calls in all_cases():
        if (name, note) in seen:
            raise ValueError(f"two public cases of {name} share the note {note!r}: the note is the case's id")
        seen.add((name, note))
        function = getattr(reference, name)
        params = list(inspect.signature(function).parameters)[:max(len(args) for _, args, _ in calls)]
        case: dict[str, Any] = {"id": f"{name}: {note}", "function": name, "note": note, "params": params}
        if name in QUIET:
            case["quiet"] = True
        case["calls"] = [{"what": what, "args": args, "kwargs": kwargs,
                          "expected": run_reference(function, name, args, kwargs)}
                         for what, args, kwargs in calls]
        out.append(case)
    return out


def render(reference) -> str:
    """The JSON text of exercises/public_cases.json (strict JSON: no NaN or inf)."""
    return json.dumps({"cases": build_cases(reference)}, indent=1, allow_nan=False) + "\n"
