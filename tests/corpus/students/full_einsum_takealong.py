# corpus: full-module
# expect: correct
# style: vectorised numpy with np.einsum for every row dot / matrix product, np.take_along_axis for labels
import numpy as np


def _arr(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name}: not numeric ({err})") from None


def _pair(a, b, na, nb, ndims=(1,)):
    a, b = _arr(a, na), _arr(b, nb)
    if a.shape != b.shape:
        raise ValueError(f"{na} {a.shape} and {nb} {b.shape} must have the same shape")
    if a.ndim not in ndims or a.size == 0:
        raise ValueError(f"{na} must be a non-empty batch with ndim in {ndims}, got {a.shape}")
    return a, b


def _probs(probs, hint):
    P = _arr(probs, "probs")
    if P.ndim != 2 or P.size == 0:
        raise ValueError(f"probs must be a non-empty (m, K) matrix, got {P.shape}")
    row_sums = np.einsum("ik->i", P)
    if (P < 0).any() or (np.abs(row_sums - 1.0) > 1e-6).any():
        raise ValueError(f"probs rows must be probability distributions; logits? use {hint}")
    return P


def _targets(y, shape):
    m, k = shape
    Y = _arr(y, "y")
    if Y.shape == (m, k):
        return Y
    if Y.shape != (m,):
        raise ValueError(f"y must be ({m},) labels or ({m}, {k}) targets")
    if np.isnan(Y).any() or (np.mod(Y, 1) != 0).any() or (Y < 0).any() or (Y >= k).any():
        raise ValueError(f"labels must be integers in [0, {k})")
    T = np.zeros((m, k))
    np.put_along_axis(T, Y.astype(np.intp)[:, None], 1.0, axis=1)
    return T


def squared_error(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    d = a - b
    if d.ndim == 1:
        return np.einsum("i,i->i", d, d)
    return np.einsum("ik,ik->i", d, d) / d.shape[1]


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _pair(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]: for logits use bce_with_logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _probs(probs, "softmax_cross_entropy")
    T = _targets(y, P.shape)
    return -np.einsum("ik,ik->i", T, np.log(np.clip(P, eps, 1 - eps)))


def batch_mean(losses):
    v = _arr(losses, "losses")
    if v.ndim != 1 or v.shape[0] == 0:
        raise ValueError("losses must be a non-empty 1-D array")
    return float(np.einsum("i->", v) / v.shape[0])


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _pair(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    return float(np.einsum("i,i->", means, sizes) / np.einsum("i->", sizes))


def mse_grad(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _pair(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]: for logits use bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]


def cce_grad(probs, y, eps=1e-8):
    P = _probs(probs, "softmax_cross_entropy_grad")
    T = _targets(y, P.shape)
    return -T / np.clip(P, eps, 1 - eps) / P.shape[0]


def sigmoid(z):
    z = _arr(z, "z")
    e = np.exp(-np.abs(z))                 # never overflows
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    z = _arr(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError(f"z must be a non-empty (K,) or (m, K) array, got {z.shape}")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _pair(z, y, "z", "y")
    per = np.maximum(z, 0.0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.einsum("i->", per) / z.shape[0])


def bce_with_logits_grad(z, y):
    z, y = _pair(z, y, "z", "y")
    return (sigmoid(z) - y) / z.shape[0]


def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _logits(logits):
    Z = _arr(logits, "logits")
    if Z.ndim != 2 or Z.size == 0:
        raise ValueError(f"logits must be a non-empty (m, K) matrix, got {Z.shape}")
    return Z


def softmax_cross_entropy(logits, y):
    Z = _logits(logits)
    T = _targets(y, Z.shape)
    Y = np.asarray(y)
    logp = _log_softmax(Z)
    if Y.ndim == 1:
        picked = np.take_along_axis(logp, Y.astype(np.intp)[:, None], axis=1)[:, 0]
        picked = np.where(np.isnan(logp).any(axis=1), np.nan, picked)
        return float(-picked.mean())
    return float(-np.einsum("ik,ik->", T, logp) / Z.shape[0])


def softmax_cross_entropy_grad(logits, y):
    Z = _logits(logits)
    T = _targets(y, Z.shape)
    return (softmax(Z) - T) / Z.shape[0]


def sgd_step(w, grad, lr):
    w, g = _arr(w, "w"), _arr(grad, "grad")
    if w.shape != g.shape:
        raise ValueError(f"w {w.shape} and grad {g.shape} must match")
    if not lr > 0:
        raise ValueError("lr must be a positive number")
    return w - lr * g


def linear_regression_step(X, y, w, b, lr):
    X, y, w = _arr(X, "X"), _arr(y, "y"), _arr(w, "w")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("X must be a non-empty (m, d) matrix")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},)")
    y_hat = np.einsum("ij,j->i", X, w) + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, np.einsum("ij,i->j", X, g), lr)
    return w_new, float(b) - float(lr) * float(np.einsum("i->", g)), loss


def accuracy(p, y, threshold=0.5):
    p, y = _pair(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN predictions or threshold cannot be scored")
    if not np.isin(y, [0.0, 1.0]).all():
        raise ValueError("y must contain only 0 and 1")
    return float(np.mean((p >= threshold).astype(float) == y))


_PAIRS = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}


def loss_for_output(activation):
    try:
        return _PAIRS[activation.lower()]
    except (AttributeError, KeyError):
        raise ValueError(f"no loss for output activation {activation!r}") from None


def best_epoch(train_losses, val_losses):
    train, val = _pair(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("NaN in the loss curves")
    return int(np.argmin(val))
