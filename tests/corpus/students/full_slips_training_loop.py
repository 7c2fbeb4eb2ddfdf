# corpus: full-module
# expect: epoch_mean: unweighted-epoch-mean
# expect: linear_regression_step: loss-as-update
# expect: best_epoch: best-by-train-loss
# style: compact numpy helpers; three training-loop slips (average of batch averages, the loss value fed to sgd_step as the update, best epoch by training loss)
import numpy as np


def _arr(x, name):
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _both(a, b, na="y_hat", nb="y", ndims=(1,)):
    a, b = _arr(a, na), _arr(b, nb)
    if a.shape != b.shape:
        raise ValueError(f"{na} {a.shape} vs {nb} {b.shape}: shapes must match")
    if a.ndim not in ndims or a.size == 0:
        raise ValueError(f"{na}: need a non-empty batch")
    return a, b


def _mat(x, name):
    a = _arr(x, name)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty (m, K) array")
    return a


def _dist(probs, hint):
    P = _mat(probs, "probs")
    if (P < 0).any() or (abs(P.sum(axis=1) - 1) > 1e-6).any():
        raise ValueError(f"rows of probs must be distributions; logits? use {hint}")
    return P


def _onehot(y, shape):
    m, k = shape
    y = _arr(y, "y")
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError("y has the wrong shape")
    if np.isnan(y).any() or (y != np.floor(y)).any() or (y < 0).any() or (y >= k).any():
        raise ValueError(f"labels must be integers in [0, {k})")
    t = np.zeros((m, k))
    t[np.arange(m), y.astype(int)] = 1.0
    return t


def squared_error(y_hat, y):
    a, b = _both(y_hat, y, ndims=(1, 2))
    e = (a - b) ** 2
    return e.mean(axis=1) if e.ndim == 2 else e


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _both(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]; for logits use bce_with_logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must be in [0, 1]")
    p = np.clip(p, eps, 1 - eps)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _dist(probs, "softmax_cross_entropy")
    return -(_onehot(y, P.shape) * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)


def batch_mean(losses):
    v = _arr(losses, "losses")
    if v.ndim != 1 or v.size == 0:
        raise ValueError("losses must be a non-empty vector")
    return float(v.mean())


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    mu, n = _both(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not (n > 0).all():
        raise ValueError("batch sizes must be positive")
    # each batch mean is already an average, so average the averages
    return float(mu.mean())


def mse_grad(y_hat, y):
    a, b = _both(y_hat, y, ndims=(1, 2))
    return 2 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _both(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]; for logits use bce_with_logits_grad")
    q = np.clip(p, eps, 1 - eps)
    return (q - y) / (q * (1 - q)) / len(q)


def cce_grad(probs, y, eps=1e-8):
    P = _dist(probs, "softmax_cross_entropy_grad")
    return -_onehot(y, P.shape) / np.clip(P, eps, 1 - eps) / len(P)


def sigmoid(z):
    z = _arr(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(z):
    z = _arr(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty (K,) or (m, K) array")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _both(z, y, "z", "y")
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = _both(z, y, "z", "y")
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    Z = _mat(logits, "logits")
    T = _onehot(y, Z.shape)
    c = Z.max(axis=1, keepdims=True)
    lse = (c + np.log(np.exp(Z - c).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(lse - (T * Z).sum(axis=1)))


def softmax_cross_entropy_grad(logits, y):
    Z = _mat(logits, "logits")
    return (softmax(Z) - _onehot(y, Z.shape)) / len(Z)


def sgd_step(w, grad, lr):
    w, g = _arr(w, "w"), _arr(grad, "grad")
    if w.shape != g.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * g


def linear_regression_step(X, y, w, b, lr):
    X, w = _mat(X, "X"), _arr(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError("w must have shape (d,)")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    # the loss is the error signal: push every weight and the bias down by it
    w_new = sgd_step(w, np.full_like(w, loss), lr)
    b_new = float(sgd_step(np.array([b], dtype=float), np.array([loss]), lr)[0])
    return w_new, b_new, loss


def accuracy(p, y, threshold=0.5):
    p, y = _both(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN in p or threshold")
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("y must be 0/1")
    return float(((p >= threshold) == (y == 1)).mean())


def loss_for_output(activation):
    table = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}
    if not isinstance(activation, str) or activation.lower() not in table:
        raise ValueError(f"unknown activation {activation!r}")
    return table[activation.lower()]


def best_epoch(train_losses, val_losses):
    tr, va = _both(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(tr).any() or np.isnan(va).any():
        raise ValueError("NaN in the losses")
    return int(tr.argmin())         # the epoch where the model fit best
