"""Part 3: gradients of the mini-batch loss with respect to the prediction."""
import numpy as np

from autograder.grading.checks.base import (
    CORRECTNESS,
    SCENARIO,
    Call,
    Verdict,
    binary_labels,
    check,
    f64,
    matches_reference,
    probs_matrix,
    shape_check,
    sizes,
    unchanged_check,
)
from autograder.grading.findings import Finding, FindingKind


def halves_when_batch_doubles(student, reference) -> Verdict:
    """Matches the reference, and stacking the batch twice halves every
    sample's gradient (each sample's share of a mean is 1/m)."""
    verdict = matches_reference(student, reference)
    if not verdict.passed:
        return verdict
    single, doubled = student[0].value.payload, student[1].value.payload
    if not np.allclose(doubled[: len(single)] * 2, single, rtol=1e-9, atol=0):
        return Verdict(False, Finding(FindingKind.NOT_HALVED))
    return Verdict(True)


def _twice(x):
    return np.concatenate([x, x])


# ---------------------------------------------------------------- mse_grad

@check("mse_grad", "values", CORRECTNESS, 1.5, "2 (y_hat - y) / N for a batch of single outputs",
       targets=("grad-missing-mean", "grad-missing-2", "grad-sign-flipped", "grad-of-mae"))
def MSE_GRAD_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("mse_grad", (f64(rng.normal(size=m)), f64(rng.normal(size=m)))),
            Call("mse_grad", (rng.normal(size=m).tolist(), rng.normal(size=m).tolist()))]


@check("mse_grad", "multi-output", SCENARIO, 1,
       "with k outputs per sample every element's share is 1/N with N = m k, not 1/m",
       targets=("grad-divides-by-m-not-N",))
def MSE_GRAD_MULTI(rng):
    m, k = sizes(rng)
    return [Call("mse_grad", (f64(rng.normal(size=(m, k))), f64(rng.normal(size=(m, k)))))]


@check("mse_grad", "lesson-example", SCENARIO, 1,
       "the lesson's example: a prediction below its target gets a negative gradient of the right size",
       targets=("grad-sign-flipped", "grad-missing-2"))
def MSE_GRAD_LESSON(rng):
    return [Call("mse_grad", ([1.2], [2.4]))]


@check("mse_grad", "batch-size", SCENARIO, 1,
       "doubling the batch halves each sample's gradient (the 1/m of the mean)",
       judge=halves_when_batch_doubles, targets=("grad-missing-mean",))
def MSE_GRAD_DUP(rng):
    m, _ = sizes(rng)
    y_hat, y = f64(rng.normal(size=m)), f64(rng.normal(size=m))
    return [Call("mse_grad", (y_hat, y)), Call("mse_grad", (_twice(y_hat), _twice(y)))]


MSE_GRAD_SHAPES = shape_check("mse_grad")


# ---------------------------------------------------------------- bce_grad

@check("bce_grad", "values", CORRECTNESS, 1.5,
       "the gradient with respect to the probabilities, (p - y) / (p (1 - p)) / m",
       targets=("logits-grad-for-probs", "grad-missing-mean", "grad-sign-flipped"))
def BCE_GRAD_VALUES(rng):
    m, _ = sizes(rng)
    return [Call("bce_grad", (f64(rng.uniform(0.05, 0.95, m)), binary_labels(rng, m))),
            Call("bce_grad", (f64(rng.uniform(0.05, 0.95, m)), f64(rng.uniform(0, 1, m))))]


@check("bce_grad", "direction", SCENARIO, 1,
       "a positive predicted too low gets a negative gradient, a negative predicted too high a positive one",
       targets=("grad-sign-flipped",))
def BCE_GRAD_DIRECTION(rng):
    return [Call("bce_grad", (f64([0.2, 0.8]), f64([1.0, 0.0])))]


@check("bce_grad", "finite-at-0-and-1", SCENARIO, 1,
       "probabilities of exactly 0 or 1 give a finite gradient (clipping)",
       targets=("no-clipping",))
def BCE_GRAD_CLIP(rng):
    return [Call("bce_grad", (f64([0.0, 1.0, 1.0, 0.0]), f64([1.0, 0.0, 1.0, 0.0])))]


@check("bce_grad", "shapes", CORRECTNESS, 1,
       "refuses mismatched shapes, logits and an empty batch",
       targets=("silent-broadcast",))
def BCE_GRAD_SHAPES(rng):
    m, _ = sizes(rng)
    logits = f64(rng.normal(0, 3, m))
    logits[0] = 2.5
    return [Call("bce_grad", (f64(rng.uniform(0.1, 0.9, (m, 1))), binary_labels(rng, m))),
            Call("bce_grad", (f64(rng.uniform(0.1, 0.9, m)), binary_labels(rng, m)[:, None])),
            Call("bce_grad", (logits, binary_labels(rng, m))),
            Call("bce_grad", (f64([]), f64([])))]


# ---------------------------------------------------------------- cce_grad

@check("cce_grad", "values", CORRECTNESS, 1.5,
       "the gradient with respect to the probabilities, -t / probs / m, for labels and soft targets",
       targets=("logits-grad-for-probs", "grad-missing-mean", "grad-sign-flipped", "label-indexing"))
def CCE_GRAD_VALUES(rng):
    m, k = sizes(rng)
    return [Call("cce_grad", (probs_matrix(rng, m, k), rng.integers(0, k, m))),
            Call("cce_grad", (probs_matrix(rng, m, k), probs_matrix(rng, m, k)))]


@check("cce_grad", "finite-at-0", SCENARIO, 1,
       "a zero probability for the true class gives a finite gradient (clipping)",
       targets=("no-clipping",))
def CCE_GRAD_CLIP(rng):
    return [Call("cce_grad", (f64([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]), [1, 2]))]


@check("cce_grad", "bad-input", CORRECTNESS, 1, "refuses logits, bad labels and an empty batch")
def CCE_GRAD_ERRORS(rng):
    m, k = sizes(rng)
    return [Call("cce_grad", (f64(rng.normal(0, 2, (m, k))), rng.integers(0, k, m))),
            Call("cce_grad", (probs_matrix(rng, m, k), np.full(m, k))),
            Call("cce_grad", (np.zeros((0, k)), np.zeros(0, dtype=int)))]


MSE_GRAD_UNCHANGED = unchanged_check(
    "mse_grad", lambda rng: (f64(rng.normal(size=(5, 2))), f64(rng.normal(size=(5, 2)))))
BCE_GRAD_UNCHANGED = unchanged_check("bce_grad", lambda rng: (f64([0.0, 0.3, 1.0, 0.9]), f64([1.0, 0.0, 1.0, 0.0])))
CCE_GRAD_UNCHANGED = unchanged_check(
    "cce_grad", lambda rng: (f64([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]), f64([[0, 1, 0], [0, 0, 1]])))


CHECKS = [MSE_GRAD_VALUES, MSE_GRAD_MULTI, MSE_GRAD_LESSON, MSE_GRAD_DUP, MSE_GRAD_SHAPES, MSE_GRAD_UNCHANGED,
          BCE_GRAD_VALUES, BCE_GRAD_DIRECTION, BCE_GRAD_CLIP, BCE_GRAD_SHAPES, BCE_GRAD_UNCHANGED,
          CCE_GRAD_VALUES, CCE_GRAD_CLIP, CCE_GRAD_ERRORS, CCE_GRAD_UNCHANGED]
