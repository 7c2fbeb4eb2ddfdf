"""Part 4: output layer and loss speak the same language (stable forms)."""
import numpy as np

from autograder.grading.checks.base import (
    CORRECTNESS,
    SCENARIO,
    Call,
    binary_labels,
    check,
    f64,
    inputs_unchanged,
    quiet_and_matching,
    shape_check,
    sizes,
    unchanged_check,
    writable_then_readonly,
)


def _huge(rng, shape, scale):
    z = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 1.0, size=shape) * scale
    z.flat[0], z.flat[-1] = -scale, scale
    return z


def _far_apart_rows(rng):
    """Two samples whose logits lie far apart: one max for the whole batch
    (instead of each row's own) sends the second row to exp(-2000) = 0."""
    top = float(rng.uniform(900, 1100))
    row = f64([0.0, 1.0, -1.0])
    return np.stack([top + row, -top + row])


def _unlikely_true_class(rng):
    """Nothing overflows, but the true classes (0, then 2) are so unlikely that
    their softmax probability rounds to 0: log(softmax(z)) is -inf there."""
    gap = float(rng.uniform(780, 900))
    return f64([[-gap, 0.0, 1.0], [2.0, 0.5, -gap]])


# ---------------------------------------------------------------- sigmoid

@check("sigmoid", "values", CORRECTNESS, 2, "the logistic function, elementwise, keeping the input's shape")
def SIGMOID_VALUES(rng):
    m, k = sizes(rng)
    return [Call("sigmoid", (f64(rng.normal(0, 4, m)),)),
            Call("sigmoid", (f64(rng.normal(0, 4, (m, k))),)),
            Call("sigmoid", (rng.normal(0, 4, m).tolist(),))]


@check("sigmoid", "large-inputs", SCENARIO, 1,
       "very large positive and negative inputs give 1 and 0 with no overflow warning and no NaN",
       judge=quiet_and_matching, targets=("unstable-sigmoid",))
def SIGMOID_LARGE(rng):
    return [Call("sigmoid", (f64(_huge(rng, 6, 1e3)),)), Call("sigmoid", (f64([-1e300, 1e300, -745.2]),))]


@check("sigmoid", "read-only-input", CORRECTNESS, 1, "works on a read-only array and leaves its input unchanged",
       judge=inputs_unchanged, targets=("mutates-input",))
def SIGMOID_READONLY(rng):
    m, _ = sizes(rng)
    return writable_then_readonly("sigmoid", (f64(rng.normal(0, 4, m)),))


# ---------------------------------------------------------------- softmax

@check("softmax", "values", CORRECTNESS, 1.5, "row-wise softmax of an (m, K) batch and of a single (K,) sample")
def SOFTMAX_VALUES(rng):
    m, k = sizes(rng)
    return [Call("softmax", (f64(rng.normal(0, 2, (m, k))),)),
            Call("softmax", (f64(rng.normal(0, 2, k)),))]


@check("softmax", "rows-sum-to-one", SCENARIO, 1,
       "each sample's probabilities are normalised over its classes, not over the batch",
       targets=("softmax-wrong-axis",))
def SOFTMAX_AXIS(rng):
    m, k = sizes(rng)
    return [Call("softmax", (f64(rng.normal(0, 1, (m, k))),))]


@check("softmax", "large-logits", SCENARIO, 1,
       "large logits give a valid distribution with no overflow and no NaN (subtract the row max)",
       judge=quiet_and_matching, targets=("unstable-softmax",))
def SOFTMAX_LARGE(rng):
    m, k = sizes(rng)
    return [Call("softmax", (f64(_huge(rng, (m, k), 1e3)),)), Call("softmax", (f64(_huge(rng, k, 1e4)),)),
            Call("softmax", (_far_apart_rows(rng),))]


@check("softmax", "empty", CORRECTNESS, 1, "an empty batch is refused")
def SOFTMAX_EMPTY(rng):
    return [Call("softmax", (np.zeros((0, 3)),)), Call("softmax", (f64([]),))]


# ---------------------------------------------------------------- bce_with_logits

@check("bce_with_logits", "values", CORRECTNESS, 1.5, "the mean BCE computed from logits")
def BWL_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("bce_with_logits", (f64(rng.normal(0, 3, m)), binary_labels(rng, m))),
            Call("bce_with_logits", (f64(rng.normal(0, 3, m)), f64(rng.uniform(0, 1, m))))]


@check("bce_with_logits", "large-logits", SCENARIO, 1,
       "large logits of either sign give the right finite loss with no warning",
       judge=quiet_and_matching, targets=("naive-logits-loss",))
def BWL_LARGE(rng):
    m, _ = sizes(rng)
    return [Call("bce_with_logits", (f64(_huge(rng, m, 1e3)), binary_labels(rng, m))),
            Call("bce_with_logits", (f64([-1e4, 1e4]), f64([1.0, 0.0])))]


BWL_SHAPES = shape_check("bce_with_logits", binary_labels)


# ---------------------------------------------------------------- bce_with_logits_grad

@check("bce_with_logits_grad", "values", CORRECTNESS, 1.5, "(sigmoid(z) - y) / m",
       targets=("grad-missing-mean", "grad-sign-flipped"))
def BWLG_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("bce_with_logits_grad", (f64(rng.normal(0, 3, m)), binary_labels(rng, m))),
            Call("bce_with_logits_grad", (f64(rng.normal(0, 3, m)), f64(rng.uniform(0, 1, m))))]


@check("bce_with_logits_grad", "large-logits", SCENARIO, 1,
       "large logits give a bounded gradient with no warning",
       judge=quiet_and_matching, targets=("unstable-sigmoid",))
def BWLG_LARGE(rng):
    m, _ = sizes(rng)
    return [Call("bce_with_logits_grad", (f64(_huge(rng, m, 1e3)), binary_labels(rng, m)))]


BWLG_SHAPES = shape_check("bce_with_logits_grad", binary_labels)


# ---------------------------------------------------------------- softmax_cross_entropy

@check("softmax_cross_entropy", "values", CORRECTNESS, 1.5,
       "the mean CCE from logits, for labels and for soft targets",
       targets=("softmax-wrong-axis",))
def SCE_VALUES(rng):
    m, k = sizes(rng)
    soft = rng.dirichlet(np.ones(k), m)
    return [Call("softmax_cross_entropy", (f64(rng.normal(0, 2, (m, k))), rng.integers(0, k, m))),
            Call("softmax_cross_entropy", (f64(rng.normal(0, 2, (m, k))), soft))]


@check("softmax_cross_entropy", "large-logits", SCENARIO, 1,
       "large logits give the right finite loss with no overflow (log-sum-exp with the max subtracted)",
       judge=quiet_and_matching, targets=("naive-logits-loss", "unstable-softmax"))
def SCE_LARGE(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy", (f64(_huge(rng, (m, k), 1e3)), rng.integers(0, k, m))),
            Call("softmax_cross_entropy", (_far_apart_rows(rng), [1, 0])),
            Call("softmax_cross_entropy", (_unlikely_true_class(rng), [0, 2]))]


@check("softmax_cross_entropy", "bad-input", CORRECTNESS, 1, "refuses bad labels and an empty batch")
def SCE_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy", (f64(rng.normal(size=(m, k))), np.full(m, k))),
            Call("softmax_cross_entropy", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


# ---------------------------------------------------------------- softmax_cross_entropy_grad

@check("softmax_cross_entropy_grad", "values", CORRECTNESS, 1.5, "(softmax(z) - t) / m, for labels and soft targets",
       targets=("grad-missing-mean", "grad-sign-flipped"))
def SCEG_VALUES(rng):
    m, k = sizes(rng)
    soft = rng.dirichlet(np.ones(k), m)
    return [Call("softmax_cross_entropy_grad", (f64(rng.normal(0, 2, (m, k))), rng.integers(0, k, m))),
            Call("softmax_cross_entropy_grad", (f64(rng.normal(0, 2, (m, k))), soft))]


@check("softmax_cross_entropy_grad", "large-logits", SCENARIO, 1,
       "large logits give a finite gradient with no overflow",
       judge=quiet_and_matching, targets=("unstable-softmax",))
def SCEG_LARGE(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy_grad", (f64(_huge(rng, (m, k), 1e3)), rng.integers(0, k, m))),
            Call("softmax_cross_entropy_grad", (_far_apart_rows(rng), [1, 0]))]


@check("softmax_cross_entropy_grad", "bad-input", CORRECTNESS, 1, "refuses bad labels and an empty batch")
def SCEG_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy_grad", (f64(rng.normal(size=(m, k))), np.full(m, 1.5))),
            Call("softmax_cross_entropy_grad", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


def _logits_and_targets(rng):
    return f64(rng.normal(0, 3, (4, 3))), f64([[0, 1, 0], [0, 0, 1], [1, 0, 0], [0.2, 0.3, 0.5]])


SOFTMAX_UNCHANGED = unchanged_check("softmax", lambda rng: (f64(rng.normal(0, 3, (4, 3))),))
BWL_UNCHANGED = unchanged_check("bce_with_logits", lambda rng: (f64(rng.normal(0, 3, 5)), f64([1, 0, 1, 0, 1])))
BWLG_UNCHANGED = unchanged_check("bce_with_logits_grad",
                                 lambda rng: (f64(rng.normal(0, 3, 5)), f64([1, 0, 1, 0, 1])))
SCE_UNCHANGED = unchanged_check("softmax_cross_entropy", _logits_and_targets)
SCEG_UNCHANGED = unchanged_check("softmax_cross_entropy_grad", _logits_and_targets)


CHECKS = [SIGMOID_VALUES, SIGMOID_LARGE, SIGMOID_READONLY,
          SOFTMAX_VALUES, SOFTMAX_AXIS, SOFTMAX_LARGE, SOFTMAX_EMPTY, SOFTMAX_UNCHANGED,
          BWL_VALUES, BWL_LARGE, BWL_SHAPES, BWL_UNCHANGED,
          BWLG_VALUES, BWLG_LARGE, BWLG_SHAPES, BWLG_UNCHANGED,
          SCE_VALUES, SCE_LARGE, SCE_ERRORS, SCE_UNCHANGED,
          SCEG_VALUES, SCEG_LARGE, SCEG_ERRORS, SCEG_UNCHANGED]
