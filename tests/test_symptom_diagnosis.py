"""Diagnosis by symptom on code written the way students write it (issue 9).

Each student below is written by hand from the lesson, not from the
catalogue's variants: silenced warnings, NaN where a variant gives inf, a
guard, a global max. Each makes one mistake and must be named for it, in its
function, and nowhere else; an in-place update loses only its mutation check.
"""
import textwrap

import pytest

from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import reference_namespace
from autograder.grading.probes import make_probes
from autograder.grading.scoring import grade

STUDENTS = {
    ("binary_cross_entropy", "no-clipping"): """
        def binary_cross_entropy(p, y, eps=1e-8):
            p, y = as_float_array(p, "p"), as_float_array(y, "y")
            require_same_shape(p, y, "p", "y")
            require_batch(p, "p")
            if np.any((p < 0) | (p > 1)):
                raise ValueError("p must be probabilities: use bce_with_logits for logits")
            with np.errstate(all="ignore"):
                return -(y * np.log(p) + (1 - y) * np.log(1 - p))
    """,
    ("softmax", "unstable-softmax"): """
        def softmax(z):
            z = as_float_array(z, "z")
            require_batch(z, "z", ndims=(1, 2))
            with np.errstate(all="ignore"):
                e = np.exp(z)
                return e / np.sum(e, axis=-1, keepdims=True)
    """,
    ("softmax", "unstable-softmax", "global max"): """
        def softmax(z):
            z = as_float_array(z, "z")
            require_batch(z, "z", ndims=(1, 2))
            shifted = z - np.max(z)
            e = np.exp(shifted)
            return e / e.sum(axis=-1, keepdims=True)
    """,
    ("bce_with_logits", "naive-logits-loss"): """
        def bce_with_logits(z, y):
            z, y = as_float_array(z, "z"), as_float_array(y, "y")
            require_same_shape(z, y, "z", "y")
            require_batch(z, "z")
            p = sigmoid(z)
            with np.errstate(all="ignore"):
                return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))
    """,
    ("categorical_cross_entropy", "label-indexing"): """
        def categorical_cross_entropy(probs, y, eps=1e-8):
            probs = as_float_array(probs, "probs")
            require_batch(probs, "probs", ndims=(2,))
            if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
                raise ValueError("not distributions: use softmax_cross_entropy for logits")
            y = np.asarray(y)
            if y.ndim == 1:
                t = class_targets(y, probs.shape)
                return -np.log(np.clip(probs[:, y.astype(int)], eps, 1 - eps)).mean(axis=1)
            t = class_targets(y, probs.shape)
            return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    """,
    ("batch_mean", "mean-off-by-one"): """
        def batch_mean(losses):
            losses = as_float_array(losses, "losses")
            require_batch(losses, "losses")
            n = losses.shape[0]
            return float(losses.sum() / (n - 1 if n > 1 else 1))
    """,
    ("categorical_cross_entropy", "wrong-log-base"): """
        def categorical_cross_entropy(probs, y, eps=1e-8):
            probs = as_float_array(probs, "probs")
            require_batch(probs, "probs", ndims=(2,))
            if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
                raise ValueError("not distributions: use softmax_cross_entropy for logits")
            t = class_targets(y, probs.shape)
            return -np.sum(t * np.log10(np.clip(probs, eps, 1 - eps)), axis=1)
    """,
    ("sigmoid", "unstable-sigmoid"): """
        def sigmoid(z):
            z = as_float_array(z, "z")
            return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
    """,
}


@pytest.fixture(scope="module")
def run():
    probes = make_probes(7)
    return probes, Diagnoser(probes)


def _student(source: str) -> dict:
    namespace = reference_namespace()
    exec(textwrap.dedent(source), namespace)
    return namespace


@pytest.mark.parametrize("key", list(STUDENTS), ids=[" ".join(k) for k in STUDENTS])
def test_a_hand_written_mistake_is_named_in_its_function_only(run, key):
    probes, diagnoser = run
    function, mistake = key[0], key[1]
    result = grade(InProcessHandle(_student(STUDENTS[key])), probes, diagnoser)
    assert result.functions[function].score < result.functions[function].max_score
    assert mistake in result.functions[function].mistakes
    assert {m for name, f in result.functions.items() if name != function for m in f.mistakes} <= {mistake}, \
        {name: f.mistakes for name, f in result.functions.items() if f.mistakes}


def test_an_in_place_sgd_step_loses_only_its_mutation_check(run):
    probes, diagnoser = run
    result = grade(InProcessHandle(_student("""
        def sgd_step(w, grad, lr):
            w, grad = as_float_array(w, "w"), as_float_array(grad, "grad")
            require_same_shape(w, grad, "w", "grad")
            if not lr > 0:
                raise ValueError("lr must be positive")
            w -= lr * grad
            return w
    """)), probes, diagnoser)
    failed = [c.name for c in result.checks if not c.passed]
    assert failed == ["sgd_step:inputs-unchanged"]
    assert result.functions["sgd_step"].mistakes == ["mutates-input"]
    assert result.score == 99


def test_a_function_that_refuses_everything_is_not_called_mutating(run):
    probes, diagnoser = run
    result = grade(InProcessHandle(_student("""
        def sgd_step(w, grad, lr):
            raise ValueError("no")
    """)), probes, diagnoser)
    assert "mutates-input" not in result.functions["sgd_step"].mistakes


def test_nan_everywhere_is_not_an_unstable_softmax(run):
    probes, diagnoser = run
    result = grade(InProcessHandle(_student("""
        def softmax(z):
            z = as_float_array(z, "z")
            require_batch(z, "z", ndims=(1, 2))
            return np.full(z.shape, np.nan)
    """)), probes, diagnoser)
    assert result.functions["softmax"].mistakes == []
