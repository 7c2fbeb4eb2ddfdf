"""Part 1: per-sample losses."""
import numpy as np

from autograder.grading.checks.base import (
    CORRECTNESS,
    SCENARIO,
    Call,
    binary_labels,
    check,
    f64,
    increasing,
    probs_matrix,
    shape_check,
    sizes,
    unchanged_check,
)

# ------------------------------------------------------------ squared_error

@check("squared_error", "values", CORRECTNESS, 1.5,
       "per-sample squared errors for one and for several outputs per sample",
       targets=("abs-not-square",))
def SQUARED_ERROR_VALUES(rng):
    m, k = sizes(rng)
    return [Call("squared_error", (f64(rng.normal(size=m)), f64(rng.normal(size=m)))),
            Call("squared_error", (f64(rng.normal(size=(m, k))), f64(rng.normal(size=(m, k))))),
            Call("squared_error", (rng.normal(size=m).tolist(), rng.normal(size=m).tolist()))]


@check("squared_error", "large-misses-cost-more", SCENARIO, 1,
       "a large miss costs disproportionately more than a small one: errors are squared, not absolute",
       targets=("abs-not-square",))
def SQUARED_ERROR_LARGE(rng):
    y = f64(rng.normal(size=4))
    return [Call("squared_error", (y + f64([0.5, -0.5, 3.0, -3.0]), y))]


SQUARED_ERROR_SHAPES = shape_check("squared_error")
SQUARED_ERROR_UNCHANGED = unchanged_check(
    "squared_error", lambda rng: (f64(rng.normal(size=(5, 2))), f64(rng.normal(size=(5, 2)))))


# ---------------------------------------------------------- binary cross-entropy

@check("binary_cross_entropy", "values", CORRECTNESS, 1.5,
       "per-sample BCE for hard and soft targets",
       targets=("missing-negative-class-term", "wrong-log-base"))
def BCE_PS_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("binary_cross_entropy", (f64(rng.uniform(0.05, 0.95, m)), binary_labels(rng, m))),
            Call("binary_cross_entropy", (f64(rng.uniform(0.05, 0.95, m)), f64(rng.uniform(0, 1, m)))),
            Call("binary_cross_entropy", (f64(rng.uniform(0.05, 0.95, m)), binary_labels(rng, m)),
                 {"eps": 1e-3})]


@check("binary_cross_entropy", "finite-at-0-and-1", SCENARIO, 1,
       "probabilities of exactly 0 or 1 give a large but finite loss (clipping)",
       targets=("no-clipping",))
def BCE_PS_CLIP(rng):
    return [Call("binary_cross_entropy", (f64([0.0, 1.0, 1.0, 0.0, 0.5]), f64([1.0, 1.0, 0.0, 0.0, 1.0])))]


@check("binary_cross_entropy", "confident-wrong-costs-more", SCENARIO, 1,
       "a confidently wrong prediction costs more than a hesitant wrong one, for positive and for negative examples",
       judge=increasing, targets=("accuracy-as-loss", "missing-negative-class-term"))
def BCE_PS_CONFIDENT(rng):
    return [Call("binary_cross_entropy", (f64([0.51, 0.49]), f64([1.0, 0.0]))),
            Call("binary_cross_entropy", (f64([0.001, 0.999]), f64([1.0, 0.0])))]


@check("binary_cross_entropy", "refuses-logits", SCENARIO, 1,
       "values outside [0, 1] are refused with a ValueError (they are logits)",
       targets=("accepts-logits",))
def BCE_PS_LOGITS(rng):
    m, _ = sizes(rng)
    z = f64(rng.normal(0, 3, m))
    z[0] = 2.5
    return [Call("binary_cross_entropy", (z, binary_labels(rng, m)))]


@check("binary_cross_entropy", "shapes", CORRECTNESS, 1,
       "refuses mismatched shapes and an empty batch",
       targets=("silent-broadcast",))
def BCE_PS_SHAPES(rng):
    m, _ = sizes(rng)
    return [Call("binary_cross_entropy", (f64(rng.uniform(0.1, 0.9, (m, 1))), binary_labels(rng, m))),
            Call("binary_cross_entropy", (f64(rng.uniform(0.1, 0.9, m)), binary_labels(rng, m)[:, None])),
            Call("binary_cross_entropy", (f64([]), f64([])))]


BCE_PS_UNCHANGED = unchanged_check(
    "binary_cross_entropy", lambda rng: (f64([0.0, 0.3, 1.0, 0.9]), f64([1.0, 0.0, 1.0, 0.0])))


# ----------------------------------------------------- categorical cross-entropy

@check("categorical_cross_entropy", "values", CORRECTNESS, 1.5,
       "per-sample CCE for integer labels, float labels and one-hot/soft targets",
       targets=("mean-over-classes", "wrong-log-base", "label-indexing"))
def CCE_PS_VALUES(rng):
    m, k = sizes(rng)
    labels = rng.integers(0, k, m)
    soft = probs_matrix(rng, m, k)
    return [Call("categorical_cross_entropy", (probs_matrix(rng, m, k), labels.tolist())),
            Call("categorical_cross_entropy", (probs_matrix(rng, m, k), f64(labels))),
            Call("categorical_cross_entropy", (probs_matrix(rng, m, k), soft))]


@check("categorical_cross_entropy", "one-entry-per-row", SCENARIO, 1,
       "integer labels pick one probability per sample (probs[range(m), y]), not an m x m block",
       targets=("label-indexing",))
def CCE_PS_PICK(rng):
    m, k = sizes(rng)
    return [Call("categorical_cross_entropy", (probs_matrix(rng, m, k), np.arange(m) % k))]


@check("categorical_cross_entropy", "finite-at-0", SCENARIO, 1,
       "a zero probability for the true class gives a finite loss (clipping)",
       targets=("no-clipping",))
def CCE_PS_CLIP(rng):
    return [Call("categorical_cross_entropy", (f64([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), [1, 2]))]


@check("categorical_cross_entropy", "refuses-logits", SCENARIO, 1,
       "rows that are not probability distributions are refused (they are logits)",
       targets=("accepts-logits",))
def CCE_PS_LOGITS(rng):
    m, k = sizes(rng)
    return [Call("categorical_cross_entropy", (f64(rng.normal(0, 2, (m, k))), rng.integers(0, k, m)))]


@check("categorical_cross_entropy", "bad-input", CORRECTNESS, 1,
       "refuses labels out of range, non-integer labels, mismatched targets and an empty batch")
def CCE_PS_ERRORS(rng):
    m, k = sizes(rng)
    p = probs_matrix(rng, m, k)
    return [Call("categorical_cross_entropy", (p, np.full(m, k))),
            Call("categorical_cross_entropy", (p, np.full(m, 0.5))),
            Call("categorical_cross_entropy", (p, np.zeros(m + 1, dtype=int))),
            Call("categorical_cross_entropy", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


CCE_PS_UNCHANGED = unchanged_check(
    "categorical_cross_entropy", lambda rng: (f64([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]), f64([[0, 1, 0], [0, 0, 1]])))


CHECKS = [SQUARED_ERROR_VALUES, SQUARED_ERROR_LARGE, SQUARED_ERROR_SHAPES, SQUARED_ERROR_UNCHANGED,
          BCE_PS_VALUES, BCE_PS_CLIP, BCE_PS_CONFIDENT, BCE_PS_LOGITS, BCE_PS_SHAPES, BCE_PS_UNCHANGED,
          CCE_PS_VALUES, CCE_PS_PICK, CCE_PS_CLIP, CCE_PS_LOGITS, CCE_PS_ERRORS, CCE_PS_UNCHANGED]
