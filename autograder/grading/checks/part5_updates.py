"""Part 5: from training signal to weight update."""

from autograder.grading.checks.base import CORRECTNESS, SCENARIO, Call, check, f64, inputs_unchanged, sizes, writable_then_readonly

# ---------------------------------------------------------------- sgd_step

@check("sgd_step", "values", CORRECTNESS, 1, "w - lr * grad for vectors and matrices")
def SGD_VALUES(rng):
    m, k = sizes(rng)
    return [Call("sgd_step", (f64(rng.normal(size=m)), f64(rng.normal(size=m)), float(rng.uniform(0.01, 0.5)))),
            Call("sgd_step", (f64(rng.normal(size=(m, k))), f64(rng.normal(size=(m, k))), 0.1))]


@check("sgd_step", "uses-the-gradient", SCENARIO, 1,
       "each weight moves by its own gradient: a weight whose gradient is zero stays where it is",
       targets=("loss-as-update",))
def SGD_OWN_GRADIENT(rng):
    m, _ = sizes(rng)
    grad = f64(rng.normal(size=m))
    grad[::2] = 0.0
    return [Call("sgd_step", (f64(rng.normal(size=m)), grad, 0.5))]


@check("sgd_step", "downhill", SCENARIO, 1,
       "a positive gradient lowers the weight and a negative one raises it (descent, not ascent)",
       targets=("gradient-ascent",))
def SGD_DOWNHILL(rng):
    return [Call("sgd_step", (f64([1.0, 1.0]), f64([2.0, -2.0]), 0.25))]


@check("sgd_step", "inputs-unchanged", SCENARIO, 1,
       "returns a new array and leaves w and grad unchanged (read-only inputs work)",
       judge=inputs_unchanged, targets=("mutates-input",))
def SGD_UNCHANGED(rng):
    m, _ = sizes(rng)
    return writable_then_readonly("sgd_step", (f64(rng.normal(size=m)), f64(rng.normal(size=m)), 0.1))


@check("sgd_step", "bad-input", CORRECTNESS, 1, "refuses mismatched shapes and a learning rate that is not positive")
def SGD_ERRORS(rng):
    m, _ = sizes(rng)
    w = f64(rng.normal(size=m))
    return [Call("sgd_step", (w, f64(rng.normal(size=m + 1)), 0.1)),
            Call("sgd_step", (f64(rng.normal(size=(m, 1))), f64(rng.normal(size=m)), 0.1)),
            Call("sgd_step", (w, f64(rng.normal(size=m)), 0.0)),
            Call("sgd_step", (w, f64(rng.normal(size=m)), -0.1))]


# ---------------------------------------------------------------- linear_regression_step

def _regression(rng, m=None, d=None):
    m = m or int(rng.integers(5, 9))
    d = d or int(rng.integers(2, 4))
    X = f64(rng.normal(size=(m, d)))
    y = f64(X @ rng.normal(size=d) + rng.normal(0, 0.1, m) + 1.5)
    return X, y, f64(rng.normal(size=d)), float(rng.normal())


@check("linear_regression_step", "values", CORRECTNESS, 2,
       "returns (w_new, b_new, loss) with the right values and types",
       targets=("loss-as-update", "gradient-ascent", "bias-grad-mean", "loss-after-update"))
def LRS_VALUES(rng):
    X, y, w, b = _regression(rng)
    return [Call("linear_regression_step", (X, y, w, b, float(rng.uniform(0.01, 0.2))))]


@check("linear_regression_step", "loss-before-step", SCENARIO, 1,
       "the loss reported is the one of the weights that came in, before the step",
       targets=("loss-after-update",))
def LRS_LOSS_BEFORE(rng):
    X, y, w, b = _regression(rng)
    return [Call("linear_regression_step", (X, y, w, b, 0.3))]


@check("linear_regression_step", "bias-gradient", SCENARIO, 1,
       "the bias moves by lr times the sum of the per-sample gradients, which already carry 1/m",
       targets=("bias-grad-mean",))
def LRS_BIAS(rng):
    X, y, w, b = _regression(rng, m=8)
    return [Call("linear_regression_step", (X, y, w, b, 0.1))]


@check("linear_regression_step", "inputs-unchanged", CORRECTNESS, 1,
       "leaves X, y and w unchanged (read-only inputs work)",
       judge=inputs_unchanged, targets=("mutates-input",))
def LRS_UNCHANGED(rng):
    X, y, w, b = _regression(rng)
    return writable_then_readonly("linear_regression_step", (X, y, w, b, 0.05))


CHECKS = [SGD_VALUES, SGD_OWN_GRADIENT, SGD_DOWNHILL, SGD_UNCHANGED, SGD_ERRORS,
          LRS_VALUES, LRS_LOSS_BEFORE, LRS_BIAS, LRS_UNCHANGED]
