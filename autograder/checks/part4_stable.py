"""Part 4: output layer and loss speak the same language (stable forms)."""
import numpy as np

from .base import (CORRECTNESS, SCENARIO, Call, binary_labels, check, f64,
                   quiet_and_matching, readonly, shape_check, sizes)


def _huge(rng, shape, scale):
    z = rng.choice([-1.0, 1.0], size=shape) * rng.uniform(0.5, 1.0, size=shape) * scale
    z.flat[0], z.flat[-1] = -scale, scale
    return z


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
       targets=("mutates-input",))
def SIGMOID_READONLY(rng):
    m, _ = sizes(rng)
    return [Call("sigmoid", (readonly(rng.normal(0, 4, m)),)), Call("sigmoid", (f64(rng.normal(0, 4, m)),))]


# ---------------------------------------------------------------- softmax

@check("softmax", "values", CORRECTNESS, 2, "row-wise softmax of an (m, K) batch and of a single (K,) sample")
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
    return [Call("softmax", (f64(_huge(rng, (m, k), 1e3)),)), Call("softmax", (f64(_huge(rng, k, 1e4)),))]


@check("softmax", "empty", CORRECTNESS, 1, "an empty batch is refused")
def SOFTMAX_EMPTY(rng):
    return [Call("softmax", (np.zeros((0, 3)),)), Call("softmax", (f64([]),))]


# ---------------------------------------------------------------- bce_with_logits

@check("bce_with_logits", "values", CORRECTNESS, 2, "the mean BCE computed from logits")
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

@check("bce_with_logits_grad", "values", CORRECTNESS, 2, "(sigmoid(z) - y) / m",
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

@check("softmax_cross_entropy", "values", CORRECTNESS, 2,
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
    return [Call("softmax_cross_entropy", (f64(_huge(rng, (m, k), 1e3)), rng.integers(0, k, m)))]


@check("softmax_cross_entropy", "bad-input", CORRECTNESS, 1, "refuses bad labels and an empty batch")
def SCE_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy", (f64(rng.normal(size=(m, k))), np.full(m, k))),
            Call("softmax_cross_entropy", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


# ---------------------------------------------------------------- softmax_cross_entropy_grad

@check("softmax_cross_entropy_grad", "values", CORRECTNESS, 2, "(softmax(z) - t) / m, for labels and soft targets",
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
    return [Call("softmax_cross_entropy_grad", (f64(_huge(rng, (m, k), 1e3)), rng.integers(0, k, m)))]


@check("softmax_cross_entropy_grad", "bad-input", CORRECTNESS, 1, "refuses bad labels and an empty batch")
def SCEG_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("softmax_cross_entropy_grad", (f64(rng.normal(size=(m, k))), np.full(m, 1.5))),
            Call("softmax_cross_entropy_grad", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


CHECKS = [SIGMOID_VALUES, SIGMOID_LARGE, SIGMOID_READONLY,
          SOFTMAX_VALUES, SOFTMAX_AXIS, SOFTMAX_LARGE, SOFTMAX_EMPTY,
          BWL_VALUES, BWL_LARGE, BWL_SHAPES,
          BWLG_VALUES, BWLG_LARGE, BWLG_SHAPES,
          SCE_VALUES, SCE_LARGE, SCE_ERRORS,
          SCEG_VALUES, SCEG_LARGE, SCEG_ERRORS]
