"""Part 2: mini-batch averaging (scalar objectives)."""
import numpy as np

from autograder.grading.checks.base import (
    CORRECTNESS,
    SCENARIO,
    Call,
    Verdict,
    binary_labels,
    check,
    f64,
    increasing,
    matches_reference,
    probs_matrix,
    shape_check,
    sizes,
    unchanged_check,
)
from autograder.grading.findings import Finding, FindingKind


def unchanged_by_duplication(student, reference) -> Verdict:
    """Matches the reference, and a batch stacked twice has the same mean loss."""
    verdict = matches_reference(student, reference)
    if not verdict.passed:
        return verdict
    first, doubled = student[0].value.payload, student[1].value.payload
    if not np.isclose(first, doubled, rtol=1e-9, atol=0):
        return Verdict(False, Finding(FindingKind.DEPENDS_ON_BATCH_SIZE))
    return Verdict(True)


def _twice(x):
    return np.concatenate([x, x])


# ---------------------------------------------------------------- batch_mean

@check("batch_mean", "values", CORRECTNESS, 1.5,
       "the mean of the per-sample losses, as a Python float",
       targets=("sum-not-mean", "mean-off-by-one"))
def BATCH_MEAN_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("batch_mean", (f64(rng.uniform(0, 3, m)),)),
            Call("batch_mean", (rng.uniform(0, 3, m).tolist(),)),
            Call("batch_mean", (f64([2.5]),))]


@check("batch_mean", "batch-size-independent", SCENARIO, 1,
       "duplicating the batch leaves its mean loss unchanged",
       judge=unchanged_by_duplication, targets=("sum-not-mean", "mean-off-by-one"))
def BATCH_MEAN_DUP(rng):
    losses = f64(rng.uniform(0, 2, int(rng.integers(3, 7))))
    return [Call("batch_mean", (losses,)), Call("batch_mean", (_twice(losses),))]


@check("batch_mean", "empty", CORRECTNESS, 1, "an empty batch is refused with a ValueError")
def BATCH_MEAN_EMPTY(rng):
    return [Call("batch_mean", (f64([]),)), Call("batch_mean", ([],))]


# ---------------------------------------------------------------- mse

@check("mse", "values", CORRECTNESS, 1.5,
       "the mean over all N elements, for one and for several outputs",
       targets=("sum-not-mean", "abs-not-square"))
def MSE_VALUES(rng):
    m, k = sizes(rng)
    return [Call("mse", (f64(rng.normal(size=m)), f64(rng.normal(size=m)))),
            Call("mse", (f64(rng.normal(size=(m, k))), f64(rng.normal(size=(m, k)))))]


@check("mse", "lesson-example", SCENARIO, 1,
       "the lesson's regression example gives the lesson's loss",
       targets=("abs-not-square",))
def MSE_LESSON(rng):
    return [Call("mse", ([1.2], [2.4]))]


@check("mse", "batch-size-independent", SCENARIO, 1,
       "duplicating the batch leaves the mean squared error unchanged",
       judge=unchanged_by_duplication, targets=("sum-not-mean",))
def MSE_DUP(rng):
    m, _ = sizes(rng)
    y_hat, y = f64(rng.normal(size=m)), f64(rng.normal(size=m))
    return [Call("mse", (y_hat, y)), Call("mse", (_twice(y_hat), _twice(y)))]


MSE_SHAPES = shape_check("mse")


# ---------------------------------------------------------------- bce

@check("bce", "values", CORRECTNESS, 1, "the batch mean of the per-sample BCE",
       targets=("sum-not-mean", "missing-negative-class-term", "wrong-log-base"))
def BCE_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("bce", (f64(rng.uniform(0.05, 0.95, m)), binary_labels(rng, m))),
            Call("bce", (f64(rng.uniform(0.05, 0.95, m)), f64(rng.uniform(0, 1, m))))]


@check("bce", "batch-size-independent", SCENARIO, 1,
       "duplicating the batch leaves the mean BCE unchanged",
       judge=unchanged_by_duplication, targets=("sum-not-mean",))
def BCE_DUP(rng):
    m, _ = sizes(rng)
    p, y = f64(rng.uniform(0.05, 0.95, m)), binary_labels(rng, m)
    return [Call("bce", (p, y)), Call("bce", (_twice(p), _twice(y)))]


@check("bce", "confident-wrong-costs-more", SCENARIO, 1,
       "a confidently wrong prediction costs more than a hesitant wrong one, although both are wrong answers",
       judge=increasing, targets=("accuracy-as-loss",))
def BCE_CONFIDENT(rng):
    return [Call("bce", ([0.51], [1.0])), Call("bce", ([0.001], [1.0]))]


@check("bce", "finite-at-0-and-1", SCENARIO, 1,
       "predictions of exactly zero or one give a finite loss (clipping)",
       targets=("no-clipping",))
def BCE_CLIP(rng):
    return [Call("bce", (f64([0.0, 1.0, 0.3]), f64([1.0, 0.0, 1.0])))]


# ---------------------------------------------------------------- cce

@check("cce", "values", CORRECTNESS, 1.5, "the batch mean of the per-sample CCE (over samples, not classes)",
       targets=("sum-not-mean", "mean-over-classes", "label-indexing", "wrong-log-base"))
def CCE_VALUES(rng):
    m, k = sizes(rng)
    return [Call("cce", (probs_matrix(rng, m, k), rng.integers(0, k, m))),
            Call("cce", (probs_matrix(rng, m, k), probs_matrix(rng, m, k)))]


@check("cce", "batch-size-independent", SCENARIO, 1,
       "duplicating the batch leaves the mean CCE unchanged",
       judge=unchanged_by_duplication, targets=("sum-not-mean",))
def CCE_DUP(rng):
    m, k = sizes(rng)
    p, y = probs_matrix(rng, m, k), rng.integers(0, k, m)
    return [Call("cce", (p, y)), Call("cce", (_twice(p), _twice(y)))]


@check("cce", "finite-at-0", SCENARIO, 1,
       "a zero probability for the true class gives a finite loss (clipping)",
       targets=("no-clipping",))
def CCE_CLIP(rng):
    return [Call("cce", (f64([[0.0, 1.0], [0.5, 0.5]]), [0, 1]))]


@check("cce", "bad-input", CORRECTNESS, 1, "refuses logits, labels out of range and an empty batch")
def CCE_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("cce", (f64(rng.normal(0, 2, (m, k))), rng.integers(0, k, m))),
            Call("cce", (probs_matrix(rng, m, k), np.full(m, -1))),
            Call("cce", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


# ---------------------------------------------------------------- epoch_mean

@check("epoch_mean", "values", CORRECTNESS, 1.5,
       "the epoch loss from batch means weighted by batch size",
       targets=("unweighted-epoch-mean",))
def EPOCH_VALUES(rng):
    b = int(rng.integers(3, 6))
    sizes_ = rng.integers(8, 64, b)
    return [Call("epoch_mean", (f64(rng.uniform(0.1, 2, b)), sizes_)),
            Call("epoch_mean", (rng.uniform(0.1, 2, b).tolist(), sizes_.tolist()))]


@check("epoch_mean", "small-last-batch", SCENARIO, 1,
       "a small last batch counts in proportion to its size, not as much as a full one",
       targets=("unweighted-epoch-mean",))
def EPOCH_LAST(rng):
    return [Call("epoch_mean", (f64([0.4, 0.5, 3.0]), f64([32, 32, 2])))]


@check("epoch_mean", "bad-input", CORRECTNESS, 1,
       "refuses mismatched lengths, no batches and non-positive batch sizes")
def EPOCH_ERRORS(rng):
    return [Call("epoch_mean", (f64([0.4, 0.5]), f64([32]))),
            Call("epoch_mean", (f64([0.4, 0.5, 3.0]), f64([[32], [32], [2]]))),
            Call("epoch_mean", (f64([]), f64([]))),
            Call("epoch_mean", (f64([0.4, 0.5]), f64([32, 0])))]


BATCH_MEAN_UNCHANGED = unchanged_check("batch_mean", lambda rng: (f64(rng.uniform(0, 3, 6)),))
MSE_UNCHANGED = unchanged_check("mse", lambda rng: (f64(rng.normal(size=(5, 2))), f64(rng.normal(size=(5, 2)))))
@check("bce", "shapes", CORRECTNESS, 0.5,
       "refuses an (m, 1) column against (m,) targets, either way round",
       targets=("silent-broadcast",))
def BCE_SHAPES(rng):
    m, _ = sizes(rng)
    return [Call("bce", (f64(rng.uniform(0.1, 0.9, (m, 1))), binary_labels(rng, m))),
            Call("bce", (f64(rng.uniform(0.1, 0.9, m)), binary_labels(rng, m)[:, None]))]


BCE_UNCHANGED = unchanged_check("bce", lambda rng: (f64([0.0, 0.3, 1.0, 0.9]), f64([1.0, 0.0, 1.0, 0.0])))
CCE_UNCHANGED = unchanged_check(
    "cce", lambda rng: (f64([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]), f64([[0, 1, 0], [0, 0, 1]])))
EPOCH_UNCHANGED = unchanged_check("epoch_mean", lambda rng: (f64([0.4, 0.5, 3.0]), f64([32, 32, 2])))


CHECKS = [BATCH_MEAN_VALUES, BATCH_MEAN_DUP, BATCH_MEAN_EMPTY, BATCH_MEAN_UNCHANGED,
          MSE_VALUES, MSE_LESSON, MSE_DUP, MSE_SHAPES, MSE_UNCHANGED,
          BCE_VALUES, BCE_DUP, BCE_CONFIDENT, BCE_CLIP, BCE_SHAPES, BCE_UNCHANGED,
          CCE_VALUES, CCE_DUP, CCE_CLIP, CCE_ERRORS, CCE_UNCHANGED,
          EPOCH_VALUES, EPOCH_LAST, EPOCH_ERRORS, EPOCH_UNCHANGED]
