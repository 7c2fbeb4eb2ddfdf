"""The public checks' expected values, generated from the reference.

Students get ``exercises/public_cases.json`` (inputs and expected outputs as
data) and ``exercises/test_losses.py`` (which reads it). No formula of the
reference reaches them. These inputs are fixed and deliberately different
from the hidden probes in ``autograder/checks``.
"""
from __future__ import annotations

import json

import numpy as np

from .single_source import ROOT

PUBLIC_CASES = ROOT / "exercises" / "public_cases.json"


def A(values):
    """Mark an argument to be passed as a numpy array (not a list)."""
    return {"array": values}


# (function, args, kwargs, what the case shows)
CASES = [
    ("squared_error", [[1.0, 2.0, 3.0], [1.5, 2.0, 1.0]], {}, "three samples, one output each"),
    ("squared_error", [A([[1.0, 0.0], [2.0, 2.0], [0.0, 3.0]]), A([[0.0, 0.0], [2.0, 4.0], [1.0, 1.0]])], {}, "two outputs per sample are averaged"),
    ("squared_error", [A([[1.0], [2.0]]), A([1.0, 2.0])], {}, "an (m, 1) column against (m,) targets is refused"),
    ("binary_cross_entropy", [[0.9, 0.2, 0.51], [1.0, 0.0, 1.0]], {}, "per-sample BCE"),
    ("binary_cross_entropy", [[0.0, 1.0], [1.0, 0.0]], {}, "p exactly 0 or 1 still gives a finite loss"),
    ("binary_cross_entropy", [[2.5, -1.0], [1.0, 0.0]], {}, "values outside [0, 1] are logits: refused"),
    ("categorical_cross_entropy", [[[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], [0, 2]], {}, "integer labels"),
    ("categorical_cross_entropy", [[[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], [[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]]], {}, "one-hot and soft targets"),
    ("categorical_cross_entropy", [[[2.0, 1.0, -1.0]], [0]], {}, "rows that are not distributions are logits: refused"),
    ("batch_mean", [[0.5, 1.5, 4.0]], {}, "the mean, not the sum"),
    ("batch_mean", [[]], {}, "an empty batch is refused"),
    ("mse", [[1.2], [2.4]], {}, "the lesson's example: 1.44"),
    ("mse", [[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0]], {}, "a batch of four"),
    ("bce", [[0.51], [1.0]], {}, "a hesitant miss on a positive example"),
    ("bce", [[0.001], [1.0]], {}, "a confident miss on a positive example costs far more"),
    ("cce", [[[0.25, 0.25, 0.5], [0.6, 0.3, 0.1]], [2, 0]], {}, "mean over samples"),
    ("epoch_mean", [[0.5, 0.7, 1.0], [32, 32, 8]], {}, "a small last batch counts less"),
    ("mse_grad", [[1.2], [2.4]], {}, "the lesson's example: negative, the prediction is too low"),
    ("mse_grad", [A([[1.0, 2.0], [3.0, 0.0], [0.5, 0.5]]), A([[0.0, 2.0], [1.0, 1.0], [0.5, 1.5]])], {}, "multi-output: divide by N = m * k"),
    ("bce_grad", [[0.8, 0.3], [1.0, 0.0]], {}, "gradient with respect to probabilities"),
    ("cce_grad", [[[0.7, 0.2, 0.1], [0.2, 0.5, 0.3]], [0, 1]], {}, "only the true class gets a signal"),
    ("sigmoid", [[-2.0, 0.0, 3.0]], {}, "values"),
    ("sigmoid", [[-1000.0, 1000.0]], {}, "large logits: 0 and 1, no overflow"),
    ("softmax", [[[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]], {}, "row-wise"),
    ("softmax", [[1000.0, 1001.0, 1002.0]], {}, "one sample with large logits"),
    ("bce_with_logits", [[0.5, -1.5, 2.0], [1.0, 0.0, 0.0]], {}, "equals bce(sigmoid(z), y)"),
    ("bce_with_logits", [[-800.0, 800.0], [1.0, 0.0]], {}, "large logits stay finite"),
    ("bce_with_logits_grad", [[0.5, -1.5, 2.0], [1.0, 0.0, 0.0]], {}, "sigmoid(z) - y, averaged"),
    ("softmax_cross_entropy", [[[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]], [0, 1]], {}, "equals cce(softmax(z), y)"),
    ("softmax_cross_entropy", [[[1000.0, 0.0, -1000.0]], [2]], {}, "large logits stay finite"),
    ("softmax_cross_entropy_grad", [[[2.0, 1.0, 0.1], [0.5, 2.5, 0.0]], [0, 1]], {}, "softmax(z) - t, averaged"),
    ("sgd_step", [A([1.0, -2.0, 0.5]), A([0.5, 0.5, -1.0]), 0.1], {}, "one step downhill"),
    ("linear_regression_step", [A([[1.0, 2.0], [0.0, 1.0], [1.0, -1.0]]), A([3.0, 1.0, 0.0]), A([0.5, 0.5]), 0.0, 0.1], {}, "loss before the step, then the update"),
    ("accuracy", [[0.51, 0.001, 0.9, 0.2], [1.0, 1.0, 1.0, 0.0]], {}, "0.51 and 0.001 for a positive: both wrong"),
    ("loss_for_output", ["sigmoid"], {}, "sigmoid output pairs with BCE"),
    ("loss_for_output", ["Softmax"], {}, "case-insensitive"),
    ("loss_for_output", ["relu"], {}, "an unknown activation is refused"),
    ("best_epoch", [[1.0, 0.6, 0.4, 0.3, 0.2], [1.1, 0.8, 0.7, 0.75, 0.9]], {}, "the validation curve picks the epoch"),
]


def decode_arg(arg):
    if isinstance(arg, dict) and "array" in arg:
        return np.array(arg["array"], dtype=np.float64)
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


def build_cases(reference) -> list[dict]:
    out = []
    for index, (name, args, kwargs, note) in enumerate(CASES):
        case = {"id": f"{name}-{index}", "function": name, "args": args, "kwargs": kwargs, "note": note}
        try:
            result = getattr(reference, name)(*[decode_arg(a) for a in args], **kwargs)
        except ValueError:
            case["expected"] = {"raises": "ValueError"}
        else:
            case["expected"] = encode_result(result)
        out.append(case)
    return out


def render(reference) -> str:
    """The JSON text of exercises/public_cases.json (strict JSON: no NaN or inf)."""
    return json.dumps({"cases": build_cases(reference)}, indent=1, allow_nan=False) + "\n"
