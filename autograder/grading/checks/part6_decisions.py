"""Part 6: the common mistakes, as decisions."""
import numpy as np

from autograder.grading.checks.base import CORRECTNESS, SCENARIO, Call, check, f64, sizes, unchanged_check

# ---------------------------------------------------------------- accuracy

@check("accuracy", "values", CORRECTNESS, 1.5,
       "the fraction of thresholded predictions equal to the label, threshold included")
def ACCURACY_VALUES(rng):
    m, _ = sizes(rng)
    p = f64(rng.uniform(0, 1, m))
    p[0] = 0.5
    y = f64(rng.integers(0, 2, m))
    return [Call("accuracy", (p, y)),
            Call("accuracy", (p, y), {"threshold": 0.7}),
            Call("accuracy", (p.tolist(), y.tolist()))]


@check("accuracy", "bad-input", CORRECTNESS, 1, "refuses mismatched shapes and an empty batch")
def ACCURACY_ERRORS(rng):
    m, _ = sizes(rng)
    return [Call("accuracy", (f64(rng.uniform(0, 1, (m, 1))), f64(rng.integers(0, 2, m)))),
            Call("accuracy", (f64(rng.uniform(0, 1, m)), f64(rng.integers(0, 2, (m, 1))))),
            Call("accuracy", (f64([]), f64([])))]


# ---------------------------------------------------------------- loss_for_output

@check("loss_for_output", "regression", CORRECTNESS, 1, "a real-valued output pairs with MSE")
def LFO_REGRESSION(rng):
    return [Call("loss_for_output", ("identity",)), Call("loss_for_output", ("linear",))]


@check("loss_for_output", "classification", SCENARIO, 1,
       "sigmoid pairs with BCE and softmax with CCE, not with MSE",
       targets=("mse-for-classification",))
def LFO_CLASSIFICATION(rng):
    return [Call("loss_for_output", ("sigmoid",)), Call("loss_for_output", ("softmax",))]


@check("loss_for_output", "case-insensitive", CORRECTNESS, 1, "names are matched whatever their case")
def LFO_CASE(rng):
    return [Call("loss_for_output", ("Sigmoid",)), Call("loss_for_output", ("SOFTMAX",)),
            Call("loss_for_output", ("Linear",))]


@check("loss_for_output", "unknown", CORRECTNESS, 1, "an unknown activation is refused with a ValueError")
def LFO_UNKNOWN(rng):
    return [Call("loss_for_output", ("relu",)), Call("loss_for_output", ("",)),
            Call("loss_for_output", ("tanh",))]


# ---------------------------------------------------------------- best_epoch

def _curves(rng, n):
    """A training curve that keeps falling and a validation curve that turns up."""
    epochs = np.arange(n)
    train = 2.0 * np.exp(-epochs / 4) + rng.uniform(0, 0.01, n)
    turn = int(rng.integers(2, n - 2))
    val = 1.0 + 0.05 * (epochs - turn) ** 2 + rng.uniform(0, 0.01, n)
    return f64(np.sort(train)[::-1]), f64(val)


@check("best_epoch", "values", CORRECTNESS, 1, "the index of the lowest validation loss, the first on a tie, as an int")
def BEST_VALUES(rng):
    n = int(rng.integers(6, 12))
    train, val = _curves(rng, n)
    tied = f64([0.9, 0.5, 0.7, 0.5, 0.6])
    return [Call("best_epoch", (train, val)), Call("best_epoch", ([1.0, 0.8, 0.6, 0.4, 0.2], tied))]


@check("best_epoch", "validation-decides", SCENARIO, 1.5,
       "when the training loss keeps falling but the validation loss turns up, the validation curve picks the epoch",
       targets=("best-by-train-loss",))
def BEST_VALIDATION(rng):
    calls = []
    for n in (8, 12):
        calls.append(Call("best_epoch", _curves(rng, n)))
    return calls


@check("best_epoch", "bad-input", CORRECTNESS, 1, "refuses curves of different lengths and empty curves")
def BEST_ERRORS(rng):
    return [Call("best_epoch", (f64([1.0, 0.5]), f64([1.0]))), Call("best_epoch", (f64([]), f64([])))]


ACCURACY_UNCHANGED = unchanged_check("accuracy", lambda rng: (f64([0.2, 0.5, 0.9, 0.7]), f64([0, 1, 1, 0])))
BEST_UNCHANGED = unchanged_check("best_epoch", lambda rng: _curves(rng, 8))


CHECKS = [ACCURACY_VALUES, ACCURACY_ERRORS, ACCURACY_UNCHANGED,
          LFO_REGRESSION, LFO_CLASSIFICATION, LFO_CASE, LFO_UNKNOWN,
          BEST_VALUES, BEST_VALIDATION, BEST_ERRORS, BEST_UNCHANGED]
