# corpus: full-module
# expect: correct
# style: np.logaddexp everywhere (softplus, logsumexp via logaddexp.reduce), validators built by closures
import numpy as np


def _validator(name, ndims):
    """Return a function that reads `name` as float64 and checks its dimensions and size."""
    def read(x):
        try:
            a = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be numeric") from None
        if a.ndim not in ndims:
            raise ValueError(f"{name} must have ndim in {ndims}, got shape {a.shape}")
        if a.size == 0:
            raise ValueError(f"{name} is empty: a batch needs at least one sample")
        return a
    return read


def _matching(first, second):
    def read(a, b):
        a, b = first(a), np.asarray(b, dtype=np.float64)
        if a.shape != b.shape:
            raise ValueError(f"shapes differ: {a.shape} vs {b.shape} (no broadcasting)")
        return a, b
    return read


_vec = _validator("input", (1,))
_vec_or_mat = _validator("input", (1, 2))
_mat = _validator("matrix", (2,))
_pair_vec = _matching(_vec, None)
_pair_any = _matching(_vec_or_mat, None)


def _softplus(x):
    with np.errstate(invalid="ignore"):      # NaN in, NaN out, no warning
        return np.logaddexp(0.0, x)


def _logsumexp_rows(Z, keepdims=False):
    with np.errstate(invalid="ignore"):
        return np.logaddexp.reduce(Z, axis=-1, keepdims=keepdims)


def _targets(y, shape):
    m, k = shape
    y = np.asarray(y, dtype=np.float64)
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError("y must be labels (m,) or targets (m, K)")
    if not np.all(np.isfinite(y)) or np.any(y != np.trunc(y)) or np.any((y < 0) | (y >= k)):
        raise ValueError(f"labels must be whole numbers in [0, {k})")
    return (np.arange(k) == y[:, None]).astype(np.float64)


def _distributions(probs, hint):
    P = _mat(probs)
    if np.any(P < 0) or np.any(np.abs(P.sum(axis=1) - 1) > 1e-6):
        raise ValueError(f"rows of probs must be distributions; looks like logits: use {hint}")
    return P


def _probabilities(p, y, hint):
    p, y = _pair_vec(p, y)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must be probabilities in [0, 1]; logits? use {hint}")
    return p, y


def squared_error(y_hat, y):
    a, b = _pair_any(y_hat, y)
    sq = np.square(a - b)
    return sq if sq.ndim == 1 else sq.mean(axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _probabilities(p, y, "bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _distributions(probs, "softmax_cross_entropy")
    T = _targets(y, P.shape)
    return -(T * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)


def batch_mean(losses):
    return float(_vec(losses).mean())


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _pair_vec(batch_means, batch_sizes)
    if not np.all(sizes > 0):
        raise ValueError("batch sizes must be > 0")
    return float(np.average(means, weights=sizes))


def mse_grad(y_hat, y):
    a, b = _pair_any(y_hat, y)
    return 2 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _probabilities(p, y, "bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / len(p)


def cce_grad(probs, y, eps=1e-8):
    P = _distributions(probs, "softmax_cross_entropy_grad")
    return -_targets(y, P.shape) / np.clip(P, eps, 1 - eps) / len(P)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    # sigmoid(z) = exp(-softplus(-z)); logaddexp never overflows
    return np.asarray(np.exp(-_softplus(-z)), dtype=np.float64)


def softmax(z):
    z = _vec_or_mat(z)
    return np.exp(z - _logsumexp_rows(z, keepdims=True))


def bce_with_logits(z, y):
    z, y = _pair_vec(z, y)
    # softplus(z) - z*y, with softplus(z) = max(z, 0) + softplus(-|z|) to keep small losses exact
    return float(np.mean(np.maximum(z, 0) - z * y + _softplus(-np.abs(z))))


def bce_with_logits_grad(z, y):
    z, y = _pair_vec(z, y)
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    Z = _mat(logits)
    T = _targets(y, Z.shape)
    return float(np.mean(_logsumexp_rows(Z) - (T * Z).sum(axis=1)))


def softmax_cross_entropy_grad(logits, y):
    Z = _mat(logits)
    return (softmax(Z) - _targets(y, Z.shape)) / len(Z)


def sgd_step(w, grad, lr):
    w = np.asarray(w, dtype=np.float64)
    g = np.asarray(grad, dtype=np.float64)
    if w.shape != g.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * g


def linear_regression_step(X, y, w, b, lr):
    X = _mat(X)
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (X.shape[1],):
        raise ValueError("w must have one entry per column of X")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b - lr * g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _pair_vec(p, y)
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN cannot be thresholded")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must be 0/1 labels")
    return float(np.mean((p >= threshold) == y.astype(bool)))


def loss_for_output(activation):
    if isinstance(activation, str):
        for names, loss in ((("identity", "linear"), "mse"), (("sigmoid",), "bce"), (("softmax",), "cce")):
            if activation.lower() in names:
                return loss
    raise ValueError(f"unknown activation: {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _pair_vec(train_losses, val_losses)
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("NaN loss in the history")
    return int(val.argmin())
