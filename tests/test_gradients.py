"""Every gradient of Parts 3-4 and the weight update of Part 5 agree with a
central finite difference of the scalar loss they belong to.

The finite differences are taken of the reference's own scalar losses (mse,
bce, bce_with_logits, softmax_cross_entropy); for cce, whose input must stay a
distribution, of the unconstrained per-entry function the gradient is defined
on, plus a directional check along row-sum-preserving directions.
"""
import numpy as np
import pytest

from autograder.reference import losses as L

H = 1e-5
TOL = 1e-6
SEEDS = [0, 1, 2, 3]


def rel_err(g, fd):
    g = np.asarray(g, dtype=np.float64)
    fd = np.asarray(fd, dtype=np.float64)
    assert g.shape == fd.shape, (g.shape, fd.shape)
    return float(np.linalg.norm(g - fd) / max(np.linalg.norm(g) + np.linalg.norm(fd), 1e-300))


def central_fd(f, x, h=H):
    """Central finite difference of the scalar function f at x, one entry at a time."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        plus = x.copy()
        minus = x.copy()
        plus[idx] += h
        minus[idx] -= h
        fp, fm = f(plus), f(minus)
        assert isinstance(fp, float) and isinstance(fm, float)
        grad[idx] = (fp - fm) / (2 * h)
    return grad


def soft_targets(rng, m, k):
    t = rng.uniform(0.0, 1.0, size=(m, k))
    return t / t.sum(axis=1, keepdims=True)


# ---------------------------------------------------------------------------
# Part 3
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("shape", [(1,), (4,), (7,), (1, 1), (4, 1), (3, 5), (5, 2)])
def test_mse_grad_matches_finite_difference(seed, shape):
    rng = np.random.default_rng(seed)
    y_hat = rng.normal(size=shape)
    y = rng.normal(size=shape)
    g = L.mse_grad(y_hat, y)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == shape
    fd = central_fd(lambda a: L.mse(a, y), y_hat)
    assert rel_err(g, fd) < TOL


@pytest.mark.parametrize("shape", [(3, 5), (5, 2)])
def test_multi_output_mse_grad_divides_by_n_not_m(shape):
    # the finite difference sees the mean over all N = m * k elements
    rng = np.random.default_rng(42)
    y_hat = rng.normal(size=shape)
    y = rng.normal(size=shape)
    fd = central_fd(lambda a: L.mse(a, y), y_hat)
    g = L.mse_grad(y_hat, y)
    assert rel_err(g, fd) < TOL
    m = shape[0]
    assert rel_err(g, 2 * (y_hat - y) / m) > 0.1  # the m-not-N mistake is far away


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("m", [1, 3, 8])
@pytest.mark.parametrize("targets", ["hard", "soft"])
def test_bce_grad_matches_finite_difference(seed, m, targets):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.05, 0.95, size=m)
    y = rng.integers(0, 2, size=m).astype(float) if targets == "hard" else rng.uniform(0, 1, size=m)
    g = L.bce_grad(p, y)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (m,)
    fd = central_fd(lambda a: L.bce(a, y), p)
    assert rel_err(g, fd) < TOL


def cce_unconstrained(P, t):
    """The per-entry function cce_grad differentiates: mean_i(-sum_k t_ik log P_ik)."""
    return float(np.mean(-(t * np.log(P)).sum(axis=1)))


def cce_case(seed, m, k, targets):
    rng = np.random.default_rng(seed)
    probs = L.softmax(rng.uniform(-1.0, 1.0, size=(m, k)))
    if targets == "labels":
        y = rng.integers(0, k, size=m)
        t = np.eye(k)[y]
    elif targets == "one-hot":
        t = np.eye(k)[rng.integers(0, k, size=m)]
        y = t
    else:
        t = soft_targets(rng, m, k)
        y = t
    return probs, y, t


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("m,k", [(1, 2), (3, 3), (4, 5), (6, 2)])
@pytest.mark.parametrize("targets", ["labels", "one-hot", "soft"])
def test_cce_grad_matches_finite_difference(seed, m, k, targets):
    probs, y, t = cce_case(seed, m, k, targets)
    assert probs.min() > 0.01  # far from the clip region
    # cce is that function at the (valid) point itself
    assert abs(L.cce(probs, y) - cce_unconstrained(probs, t)) <= 1e-12 * max(1.0, cce_unconstrained(probs, t))
    g = L.cce_grad(probs, y)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (m, k)
    fd = central_fd(lambda P: cce_unconstrained(P, t), probs)
    assert rel_err(g, fd) < TOL


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("targets", ["labels", "soft"])
def test_cce_grad_gives_directional_derivative_of_cce(seed, targets):
    # along directions whose rows sum to 0 the perturbed probs stay distributions,
    # so cce itself can be differenced: d/dh cce(P + hD) = <cce_grad, D>
    m, k = 4, 3
    probs, y, _ = cce_case(seed, m, k, targets)
    rng = np.random.default_rng(100 + seed)
    for _ in range(3):
        D = rng.normal(size=(m, k))
        D -= D.mean(axis=1, keepdims=True)
        fd = (L.cce(probs + H * D, y) - L.cce(probs - H * D, y)) / (2 * H)
        g = float(np.sum(L.cce_grad(probs, y) * D))
        assert abs(g - fd) <= TOL * max(abs(g) + abs(fd), 1e-300)


# ---------------------------------------------------------------------------
# Part 4
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("m", [1, 4, 9])
@pytest.mark.parametrize("targets", ["hard", "soft"])
def test_bce_with_logits_grad_matches_finite_difference(seed, m, targets):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=3.0, size=m)
    y = rng.integers(0, 2, size=m).astype(float) if targets == "hard" else rng.uniform(0, 1, size=m)
    g = L.bce_with_logits_grad(z, y)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (m,)
    fd = central_fd(lambda a: L.bce_with_logits(a, y), z)
    assert rel_err(g, fd) < TOL


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("m,k", [(1, 2), (3, 4), (5, 3), (2, 6)])
@pytest.mark.parametrize("targets", ["labels", "one-hot", "soft"])
def test_softmax_cross_entropy_grad_matches_finite_difference(seed, m, k, targets):
    rng = np.random.default_rng(seed)
    z = rng.normal(scale=2.0, size=(m, k))
    if targets == "labels":
        y = rng.integers(0, k, size=m)
    elif targets == "one-hot":
        y = np.eye(k)[rng.integers(0, k, size=m)]
    else:
        y = soft_targets(rng, m, k)
    g = L.softmax_cross_entropy_grad(z, y)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (m, k)
    fd = central_fd(lambda a: L.softmax_cross_entropy(a, y), z)
    assert rel_err(g, fd) < TOL


# ---------------------------------------------------------------------------
# Part 5: the update follows the negative gradient of the loss
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("m,d", [(1, 1), (5, 2), (3, 4), (8, 3)])
def test_linear_regression_step_descends_the_mse(seed, m, d):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(m, d))
    y = rng.normal(size=m)
    w = rng.normal(size=d)
    b = float(rng.normal())
    lr = 0.05

    def loss_of(params):
        return L.mse(X @ params[:d] + params[d], y)

    fd = central_fd(loss_of, np.append(w, b))
    fd_w, fd_b = fd[:d], fd[d]

    w_new, b_new, loss = L.linear_regression_step(X, y, w, b, lr)
    assert isinstance(w_new, np.ndarray) and w_new.dtype == np.float64 and w_new.shape == (d,)
    assert type(b_new) is float and type(loss) is float
    # the loss reported is the loss before the step
    assert loss == pytest.approx(L.mse(X @ w + b, y), rel=1e-12, abs=1e-15)
    # the step is -lr times the finite-difference gradient
    assert rel_err(np.append(w - w_new, b - b_new) / lr, fd) < TOL
    assert rel_err(w_new, w - lr * fd_w) < TOL
    assert abs(b_new - (b - lr * fd_b)) <= TOL * max(abs(b_new) + abs(b - lr * fd_b), 1e-300)


@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_step_is_minus_lr_times_grad(seed):
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(3, 2))
    grad = rng.normal(size=(3, 2))
    out = L.sgd_step(w, grad, 0.3)
    assert isinstance(out, np.ndarray) and out.dtype == np.float64 and out.shape == w.shape
    np.testing.assert_allclose(out, w - 0.3 * grad, rtol=1e-15, atol=0)


# ---------------------------------------------------------------------------
# The lesson's numbers
# ---------------------------------------------------------------------------

def test_lesson_mse_example():
    value = L.mse([1.2], [2.4])
    assert type(value) is float
    assert abs(value - 1.44) <= 1e-12


def test_lesson_mse_grad_example():
    g = L.mse_grad([1.2], [2.4])
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (1,)
    assert abs(g[0] - (-2.4)) <= 1e-12
    assert g[0] < 0  # negative: the prediction is too low


def test_lesson_confident_miss_costs_more_while_accuracy_cannot_tell():
    # "Both predictions are technically wrong if the thresholded answer becomes
    # class 0, but they are not wrong in the same way."
    hesitant, confident = L.bce([0.51], [1]), L.bce([0.001], [1])
    assert type(hesitant) is float and type(confident) is float
    assert confident - hesitant > 5
    assert L.accuracy([0.51], [1], threshold=0.6) == 0.0
    assert L.accuracy([0.001], [1], threshold=0.6) == 0.0
    # with the default threshold 0.5, 0.51 is counted as correct
    assert L.accuracy([0.51], [1]) == 1.0
    assert L.accuracy([0.001], [1]) == 0.0
    # the training signal also pushes harder on the confident miss
    assert L.bce_grad([0.001], [1])[0] < L.bce_grad([0.51], [1])[0] < 0
