"""Property tests (hypothesis) of the contract's losses.

A mean loss does not depend on how often a batch is repeated or on the order
of its samples; the stable logit forms equal the probability forms where
both are exact; every loss is non-negative; and the stable forms and the
clipped forms stay finite at the extremes the lesson warns about.
"""
import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograder.reference import losses as L

SETTINGS = settings(max_examples=60, deadline=None, database=None)
RTOL, ATOL = 1e-9, 1e-12

batch_sizes = st.integers(min_value=1, max_value=8)
class_counts = st.integers(min_value=2, max_value=5)


def close(a, b, rtol=RTOL, atol=ATOL):
    return abs(a - b) <= atol + rtol * abs(b)


def floats(lo, hi):
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def vectors(m, lo, hi):
    return hnp.arrays(np.float64, m, elements=floats(lo, hi))


def matrices(m, k, lo, hi):
    return hnp.arrays(np.float64, (m, k), elements=floats(lo, hi))


@st.composite
def regression_batches(draw):
    m = draw(batch_sizes)
    shape = draw(st.sampled_from([(m,), (m, 1), (m, 3)]))
    y_hat = draw(hnp.arrays(np.float64, shape, elements=floats(-100, 100)))
    y = draw(hnp.arrays(np.float64, shape, elements=floats(-100, 100)))
    return y_hat, y


@st.composite
def binary_batches(draw, p_lo=0.0, p_hi=1.0):
    m = draw(batch_sizes)
    p = draw(vectors(m, p_lo, p_hi))
    hard = draw(st.booleans())
    y = draw(hnp.arrays(np.float64, m, elements=st.sampled_from([0.0, 1.0]) if hard else floats(0, 1)))
    return p, y


@st.composite
def class_targets(draw, m, k):
    kind = draw(st.sampled_from(["labels", "float-labels", "one-hot", "soft"]))
    labels = draw(hnp.arrays(np.int64, m, elements=st.integers(0, k - 1)))
    if kind == "labels":
        return labels
    if kind == "float-labels":
        return labels.astype(np.float64)
    if kind == "one-hot":
        return np.eye(k)[labels]
    weights = draw(matrices(m, k, 0.0, 1.0)) + 1e-3
    return weights / weights.sum(axis=1, keepdims=True)


@st.composite
def distributions(draw, m, k):
    weights = draw(matrices(m, k, 0.0, 1.0)) + 1e-3
    return weights / weights.sum(axis=1, keepdims=True)


@st.composite
def categorical_batches(draw):
    m, k = draw(batch_sizes), draw(class_counts)
    return draw(distributions(m, k)), draw(class_targets(m, k))


@st.composite
def logit_batches(draw, lo=-30.0, hi=30.0):
    m, k = draw(batch_sizes), draw(class_counts)
    return draw(matrices(m, k, lo, hi)), draw(class_targets(m, k))


@st.composite
def binary_logit_batches(draw, lo=-30.0, hi=30.0):
    m = draw(batch_sizes)
    z = draw(vectors(m, lo, hi))
    y = draw(vectors(m, 0.0, 1.0))
    return z, y


def losses_of(kind, a, y):
    """Every mean loss of the contract for one kind of batch."""
    if kind == "regression":
        return {"mse": L.mse(a, y), "batch_mean": L.batch_mean(L.squared_error(a, y))}
    if kind == "binary":
        return {"bce": L.bce(a, y), "batch_mean": L.batch_mean(L.binary_cross_entropy(a, y))}
    if kind == "categorical":
        return {"cce": L.cce(a, y), "batch_mean": L.batch_mean(L.categorical_cross_entropy(a, y))}
    if kind == "binary-logits":
        return {"bce_with_logits": L.bce_with_logits(a, y)}
    assert kind == "logits"
    return {"softmax_cross_entropy": L.softmax_cross_entropy(a, y)}


any_batch = st.one_of(
    st.tuples(st.just("regression"), regression_batches()),
    st.tuples(st.just("binary"), binary_batches()),
    st.tuples(st.just("categorical"), categorical_batches()),
    st.tuples(st.just("binary-logits"), binary_logit_batches()),
    st.tuples(st.just("logits"), logit_batches()),
)


# ---------------------------------------------------------------------------
# Means over the batch
# ---------------------------------------------------------------------------

@SETTINGS
@given(any_batch)
def test_duplicating_a_batch_leaves_every_mean_loss_unchanged(case):
    kind, (a, y) = case
    once = losses_of(kind, a, y)
    twice = losses_of(kind, np.concatenate([a, a]), np.concatenate([y, y]))
    for name, value in once.items():
        assert type(twice[name]) is float
        assert close(twice[name], value), (name, value, twice[name])


@SETTINGS
@given(any_batch, st.data())
def test_permuting_the_samples_leaves_every_mean_loss_unchanged(case, data):
    kind, (a, y) = case
    order = np.array(data.draw(st.permutations(range(len(a)))), dtype=np.int64)
    before = losses_of(kind, a, y)
    after = losses_of(kind, a[order], y[order])
    for name, value in before.items():
        assert close(after[name], value), (name, value, after[name])


@SETTINGS
@given(st.data())
def test_batch_mean_of_a_duplicated_or_permuted_batch(data):
    losses = data.draw(vectors(data.draw(batch_sizes), 0.0, 1e3))
    value = L.batch_mean(losses)
    assert type(value) is float
    assert close(L.batch_mean(np.concatenate([losses, losses])), value)
    order = data.draw(st.permutations(range(losses.size)))
    assert close(L.batch_mean(losses[list(order)]), value)
    assert close(value, float(np.sum(losses)) / losses.size)


# ---------------------------------------------------------------------------
# The stable forms equal the probability forms away from the clip
# ---------------------------------------------------------------------------

@SETTINGS
@given(binary_logit_batches(lo=-15.0, hi=15.0))
def test_bce_with_logits_equals_bce_of_sigmoid(batch):
    z, y = batch
    p = L.sigmoid(z)
    assert np.all((p >= 1e-8) & (p <= 1 - 1e-8))  # away from the clip
    assert close(L.bce_with_logits(z, y), L.bce(p, y))


@SETTINGS
@given(logit_batches(lo=-8.0, hi=8.0))
def test_softmax_cross_entropy_equals_cce_of_softmax(batch):
    # |z| <= 8 and K <= 5 keep every probability above eps = 1e-8
    z, y = batch
    probs = L.softmax(z)
    assert probs.min() > 1e-8
    assert close(L.softmax_cross_entropy(z, y), L.cce(probs, y))


# ---------------------------------------------------------------------------
# Losses are never negative
# ---------------------------------------------------------------------------

@SETTINGS
@given(regression_batches())
def test_squared_losses_are_non_negative(batch):
    y_hat, y = batch
    assert np.all(L.squared_error(y_hat, y) >= 0)
    assert L.mse(y_hat, y) >= 0


@SETTINGS
@given(binary_batches())
def test_binary_cross_entropies_are_non_negative(batch):
    p, y = batch
    assert np.all(L.binary_cross_entropy(p, y) >= 0)
    assert L.bce(p, y) >= 0


@SETTINGS
@given(categorical_batches())
def test_categorical_cross_entropies_are_non_negative(batch):
    probs, y = batch
    assert np.all(L.categorical_cross_entropy(probs, y) >= 0)
    assert L.cce(probs, y) >= 0


@SETTINGS
@given(binary_logit_batches(lo=-1e4, hi=1e4))
def test_bce_with_logits_is_non_negative(batch):
    z, y = batch
    assert L.bce_with_logits(z, y) >= 0


@SETTINGS
@given(st.data())
def test_softmax_cross_entropy_is_non_negative(data):
    m, k = data.draw(batch_sizes), data.draw(class_counts)
    z = data.draw(matrices(m, k, -1e4, 1e4))
    labels = data.draw(hnp.arrays(np.int64, m, elements=st.integers(0, k - 1)))
    assert L.softmax_cross_entropy(z, labels) >= 0
    assert L.softmax_cross_entropy(z, np.eye(k)[labels]) >= 0


# ---------------------------------------------------------------------------
# Finite at the extremes
# ---------------------------------------------------------------------------

def extreme_logits(lo, hi):
    return st.one_of(floats(lo, hi), st.sampled_from([lo, hi, 0.0]))


@SETTINGS
@given(st.data())
def test_binary_logit_forms_are_finite_for_large_logits(data):
    m = data.draw(batch_sizes)
    z = data.draw(hnp.arrays(np.float64, m, elements=extreme_logits(-1e4, 1e4)))
    y = data.draw(hnp.arrays(np.float64, m, elements=st.one_of(st.sampled_from([0.0, 1.0]), floats(0, 1))))
    loss = L.bce_with_logits(z, y)
    assert type(loss) is float and np.isfinite(loss)
    grad = L.bce_with_logits_grad(z, y)
    assert grad.shape == (m,) and np.all(np.isfinite(grad))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warning from sigmoid
        p = L.sigmoid(z)
    assert p.shape == z.shape and np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1))


@SETTINGS
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=2, max_side=5),
                  elements=extreme_logits(-1e300, 1e300)))
def test_sigmoid_has_no_overflow_for_any_finite_z(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = L.sigmoid(z)
    assert p.shape == z.shape and p.dtype == np.float64
    assert np.all((p >= 0) & (p <= 1))


@SETTINGS
@given(st.data())
def test_softmax_forms_are_finite_for_large_logits(data):
    m, k = data.draw(batch_sizes), data.draw(class_counts)
    z = data.draw(hnp.arrays(np.float64, (m, k), elements=extreme_logits(-1e4, 1e4)))
    y = data.draw(class_targets(m, k))
    loss = L.softmax_cross_entropy(z, y)
    assert type(loss) is float and np.isfinite(loss)
    grad = L.softmax_cross_entropy_grad(z, y)
    assert grad.shape == (m, k) and np.all(np.isfinite(grad))
    probs = L.softmax(z)
    assert probs.shape == (m, k) and np.all(np.isfinite(probs)) and np.all(probs >= 0)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=0, atol=1e-12)
    one = L.softmax(z[0])
    assert one.shape == (k,)
    np.testing.assert_allclose(one, probs[0], rtol=1e-12, atol=1e-300)


@SETTINGS
@given(st.data())
def test_binary_cross_entropies_are_finite_at_probabilities_0_and_1(data):
    m = data.draw(batch_sizes)
    p = data.draw(hnp.arrays(np.float64, m, elements=st.one_of(st.sampled_from([0.0, 1.0]), floats(0, 1))))
    y = data.draw(hnp.arrays(np.float64, m, elements=st.one_of(st.sampled_from([0.0, 1.0]), floats(0, 1))))
    per_sample = L.binary_cross_entropy(p, y)
    assert per_sample.shape == (m,) and np.all(np.isfinite(per_sample))
    loss = L.bce(p, y)
    assert type(loss) is float and np.isfinite(loss)
    grad = L.bce_grad(p, y)
    assert grad.shape == (m,) and np.all(np.isfinite(grad))


@SETTINGS
@given(st.data())
def test_categorical_cross_entropies_are_finite_for_one_hot_probs(data):
    m, k = data.draw(batch_sizes), data.draw(class_counts)
    predicted = data.draw(hnp.arrays(np.int64, m, elements=st.integers(0, k - 1)))
    probs = np.eye(k)[predicted]  # entries exactly 0 and 1
    y = data.draw(class_targets(m, k))
    per_sample = L.categorical_cross_entropy(probs, y)
    assert per_sample.shape == (m,) and np.all(np.isfinite(per_sample))
    loss = L.cce(probs, y)
    assert type(loss) is float and np.isfinite(loss)
    grad = L.cce_grad(probs, y)
    assert grad.shape == (m, k) and np.all(np.isfinite(grad))
