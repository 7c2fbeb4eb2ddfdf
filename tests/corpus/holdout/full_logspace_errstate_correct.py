# corpus: full-module
# expect: correct
# style: everything in log space (np.logaddexp, log-softmax), np.errstate/warnings used on purpose, flat np.take label pick, try/except guards
import warnings

import numpy as np


def _f(x, name):
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as e:
        raise ValueError(f"{name} is not numeric ({e})") from None
    return a


def _match(a, b, an, bn):
    if np.shape(a) != np.shape(b):
        raise ValueError(f"{an} and {bn} must have identical shapes, got {np.shape(a)} and {np.shape(b)}")


def _batch(a, name, ndims):
    if a.ndim not in ndims:
        raise ValueError(f"{name}: wrong number of dimensions ({a.ndim})")
    if a.size == 0:
        raise ValueError(f"{name}: empty batch")


def _labels_or_targets(y, m, k):
    """Returns ('labels', int array) or ('targets', float matrix)."""
    y = _f(y, "y")
    if y.shape == (m, k):
        return "targets", y
    if y.shape != (m,):
        raise ValueError(f"y has shape {y.shape}; expected ({m},) or ({m}, {k})")
    with np.errstate(invalid="ignore"):
        frac = np.modf(y)[0]
    if np.isnan(y).any() or np.any(frac != 0):
        raise ValueError("labels must be integral class indices")
    if np.any(y < 0) or np.any(y >= k):
        raise ValueError("label out of range")
    return "labels", y.astype(np.int64)


def _check_probs(P):
    bad_sum = np.abs(P.sum(axis=1) - 1.0) > 1e-6
    if np.any(P < 0.0) or np.any(bad_sum):
        raise ValueError("probs must be non-negative rows summing to 1 - got logits? use softmax_cross_entropy")


def squared_error(y_hat, y):
    a, b = _f(y_hat, "y_hat"), _f(y, "y")
    _match(a, b, "y_hat", "y")
    _batch(a, "y_hat", (1, 2))
    d = a - b
    if d.ndim == 1:
        return d * d
    return np.mean(d * d, axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _f(p, "p"), _f(y, "y")
    _match(p, y, "p", "y")
    _batch(p, "p", (1,))
    if np.any(p > 1) or np.any(p < 0):
        raise ValueError("p is outside [0, 1], i.e. logits: call bce_with_logits instead")
    if np.any(y > 1) or np.any(y < 0):
        raise ValueError("y is outside [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _f(probs, "probs")
    _batch(P, "probs", (2,))
    _check_probs(P)
    m, k = P.shape
    kind, t = _labels_or_targets(y, m, k)
    logp = np.log(np.clip(P, eps, 1 - eps))
    if kind == "labels":
        flat_index = np.arange(m) * k + t
        return -np.take(logp, flat_index)
    return -(t * logp).sum(axis=1)


def batch_mean(losses):
    L = _f(losses, "losses")
    _batch(L, "losses", (1,))
    return float(np.sum(L) / L.shape[0])


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps=eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps=eps))


def epoch_mean(batch_means, batch_sizes):
    mu, n = _f(batch_means, "batch_means"), _f(batch_sizes, "batch_sizes")
    _match(mu, n, "batch_means", "batch_sizes")
    _batch(mu, "batch_means", (1,))
    if not np.all(n > 0):
        raise ValueError("sizes must be positive")
    return float(np.dot(mu, n) / n.sum())


def mse_grad(y_hat, y):
    a, b = _f(y_hat, "y_hat"), _f(y, "y")
    _match(a, b, "y_hat", "y")
    _batch(a, "y_hat", (1, 2))
    return (a - b) * (2.0 / a.size)


def bce_grad(p, y, eps=1e-8):
    p, y = _f(p, "p"), _f(y, "y")
    _match(p, y, "p", "y")
    _batch(p, "p", (1,))
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities: for logits use bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / len(pc)


def cce_grad(probs, y, eps=1e-8):
    P = _f(probs, "probs")
    _batch(P, "probs", (2,))
    _check_probs(P)
    m, k = P.shape
    kind, t = _labels_or_targets(y, m, k)
    if kind == "labels":
        t = np.eye(k)[t]
    return -t / np.clip(P, eps, 1 - eps) / m


def sigmoid(z):
    z = _f(z, "z")
    # sigmoid(z) = exp(-log(1 + exp(-z))); logaddexp never overflows
    with np.errstate(invalid="ignore"):
        out = np.exp(-np.logaddexp(0.0, -z))
    return np.asarray(out, dtype=np.float64)


def _log_softmax(z):
    top = np.max(z, axis=-1, keepdims=True)
    shifted = z - top
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


def softmax(z):
    z = _f(z, "z")
    _batch(z, "z", (1, 2))
    return np.exp(_log_softmax(z))


def bce_with_logits(z, y):
    z, y = _f(z, "z"), _f(y, "y")
    _match(z, y, "z", "y")
    _batch(z, "z", (1,))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # only NaN inputs can warn here
        losses = np.logaddexp(0.0, z) - y * z
    return float(losses.mean())


def bce_with_logits_grad(z, y):
    z, y = _f(z, "z"), _f(y, "y")
    _match(z, y, "z", "y")
    _batch(z, "z", (1,))
    return (sigmoid(z) - y) / z.shape[0]


def softmax_cross_entropy(logits, y):
    z = _f(logits, "logits")
    _batch(z, "logits", (2,))
    m, k = z.shape
    kind, t = _labels_or_targets(y, m, k)
    logp = _log_softmax(z)
    if kind == "labels":
        return float(-np.mean(logp[np.arange(m), t]))
    return float(-np.mean(np.sum(t * logp, axis=1)))


def softmax_cross_entropy_grad(logits, y):
    z = _f(logits, "logits")
    _batch(z, "logits", (2,))
    m, k = z.shape
    kind, t = _labels_or_targets(y, m, k)
    target = np.eye(k)[t] if kind == "labels" else t
    return (softmax(z) - target) / m


def sgd_step(w, grad, lr):
    w, grad = _f(w, "w"), _f(grad, "grad")
    _match(w, grad, "w", "grad")
    try:
        ok = float(lr) > 0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError("lr must be a positive number")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X, y, w = _f(X, "X"), _f(y, "y"), _f(w, "w")
    _batch(X, "X", (2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w does not match X")
    b = float(b)
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    return w_new, b - float(lr) * float(g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _f(p, "p"), _f(y, "y")
    _match(p, y, "p", "y")
    _batch(p, "p", (1,))
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must be 0/1")
    return float(np.count_nonzero((p >= threshold) == (y == 1)) / len(p))


def loss_for_output(activation):
    try:
        name = activation.lower()
    except AttributeError:
        raise ValueError("activation must be a string") from None
    if name in {"identity", "linear"}:
        return "mse"
    if name == "sigmoid":
        return "bce"
    if name == "softmax":
        return "cce"
    raise ValueError(f"no matching loss for {activation!r}")


def best_epoch(train_losses, val_losses):
    tr, va = _f(train_losses, "train_losses"), _f(val_losses, "val_losses")
    _match(tr, va, "train_losses", "val_losses")
    _batch(va, "val_losses", (1,))
    if np.isnan(va).any() or np.isnan(tr).any():
        raise ValueError("NaN in a loss curve")
    return int(np.flatnonzero(va == va.min())[0])
