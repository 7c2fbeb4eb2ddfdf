# corpus: full-module
# expect: binary_cross_entropy: no-clipping
# expect: sigmoid: unstable-sigmoid
# expect: softmax: unstable-softmax
# style: beginner, formulas typed straight from the slides, repeated inline checks; three numerical slips (raw log, textbook sigmoid, softmax without the max)
import numpy as np


def squared_error(y_hat, y):
    y_hat = np.array(y_hat, dtype=float)
    y = np.array(y, dtype=float)
    if y_hat.shape != y.shape:
        raise ValueError("y_hat and y must have the same shape")
    if y_hat.ndim == 0 or y_hat.ndim > 2 or len(y_hat) == 0 or y_hat.size == 0:
        raise ValueError("bad batch")
    err = (y_hat - y) ** 2
    if err.ndim == 2:
        err = np.mean(err, axis=1)
    return err


def binary_cross_entropy(p, y, eps=1e-8):
    p = np.array(p, dtype=float)
    y = np.array(y, dtype=float)
    if p.shape != y.shape:
        raise ValueError("p and y must have the same shape")
    if p.ndim != 1 or len(p) == 0:
        raise ValueError("p must be a non-empty vector")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be between 0 and 1 (if these are logits use bce_with_logits)")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be between 0 and 1")
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = np.array(probs, dtype=float)
    if probs.ndim != 2 or len(probs) == 0 or probs.size == 0:
        raise ValueError("probs must be (m, K)")
    m, K = probs.shape
    if np.any(probs < 0) or np.any(np.abs(np.sum(probs, axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must add up to 1 (logits? use softmax_cross_entropy)")
    y = np.array(y, dtype=float)
    if y.shape == (m, K):
        t = y
    elif y.shape == (m,):
        if np.any(np.isnan(y)) or np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= K):
            raise ValueError("labels must be 0..K-1")
        t = np.zeros((m, K))
        for i in range(m):
            t[i, int(y[i])] = 1
    else:
        raise ValueError("y has the wrong shape")
    return -np.sum(t * np.log(np.clip(probs, eps, 1 - eps)), axis=1)


def batch_mean(losses):
    losses = np.array(losses, dtype=float)
    if losses.ndim != 1 or len(losses) == 0:
        raise ValueError("losses must be a non-empty vector")
    return float(np.mean(losses))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    batch_means = np.array(batch_means, dtype=float)
    batch_sizes = np.array(batch_sizes, dtype=float)
    if batch_means.shape != batch_sizes.shape or batch_means.ndim != 1:
        raise ValueError("one size per batch")
    if len(batch_means) == 0:
        raise ValueError("no batches")
    if not np.all(batch_sizes > 0):
        raise ValueError("sizes must be positive")
    return float(np.sum(batch_means * batch_sizes) / np.sum(batch_sizes))


def mse_grad(y_hat, y):
    y_hat = np.array(y_hat, dtype=float)
    y = np.array(y, dtype=float)
    if y_hat.shape != y.shape:
        raise ValueError("y_hat and y must have the same shape")
    if y_hat.ndim == 0 or y_hat.ndim > 2 or y_hat.size == 0:
        raise ValueError("bad batch")
    N = y_hat.size
    return 2 * (y_hat - y) / N


def bce_grad(p, y, eps=1e-8):
    p = np.array(p, dtype=float)
    y = np.array(y, dtype=float)
    if p.shape != y.shape:
        raise ValueError("p and y must have the same shape")
    if p.ndim != 1 or len(p) == 0:
        raise ValueError("p must be a non-empty vector")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be between 0 and 1 (logits? use bce_with_logits_grad)")
    pc = np.clip(p, eps, 1 - eps)
    m = len(p)
    return (pc - y) / (pc * (1 - pc)) / m


def cce_grad(probs, y, eps=1e-8):
    probs = np.array(probs, dtype=float)
    if probs.ndim != 2 or len(probs) == 0 or probs.size == 0:
        raise ValueError("probs must be (m, K)")
    m, K = probs.shape
    if np.any(probs < 0) or np.any(np.abs(np.sum(probs, axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must add up to 1 (logits? use softmax_cross_entropy_grad)")
    y = np.array(y, dtype=float)
    if y.shape == (m, K):
        t = y
    elif y.shape == (m,):
        if np.any(np.isnan(y)) or np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= K):
            raise ValueError("labels must be 0..K-1")
        t = np.zeros((m, K))
        for i in range(m):
            t[i, int(y[i])] = 1
    else:
        raise ValueError("y has the wrong shape")
    return -t / np.clip(probs, eps, 1 - eps) / m


def sigmoid(z):
    z = np.array(z, dtype=float)
    return np.array(1 / (1 + np.exp(-z)))


def softmax(z):
    z = np.array(z, dtype=float)
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be (K,) or (m, K)")
    e = np.exp(z)
    if z.ndim == 1:
        return e / np.sum(e)
    return e / np.sum(e, axis=1, keepdims=True)


def bce_with_logits(z, y):
    z = np.array(z, dtype=float)
    y = np.array(y, dtype=float)
    if z.shape != y.shape or z.ndim != 1 or len(z) == 0:
        raise ValueError("z and y must be non-empty vectors of the same shape")
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z = np.array(z, dtype=float)
    y = np.array(y, dtype=float)
    if z.shape != y.shape or z.ndim != 1 or len(z) == 0:
        raise ValueError("z and y must be non-empty vectors of the same shape")
    s = np.empty_like(z)
    pos = z >= 0
    s[pos] = 1 / (1 + np.exp(-z[pos]))
    s[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
    return (s - y) / len(z)


def _targets(y, m, K):
    y = np.array(y, dtype=float)
    if y.shape == (m, K):
        return y
    if y.shape != (m,):
        raise ValueError("y has the wrong shape")
    if np.any(np.isnan(y)) or np.any(y != np.round(y)) or np.any(y < 0) or np.any(y >= K):
        raise ValueError("labels must be 0..K-1")
    t = np.zeros((m, K))
    t[np.arange(m), y.astype(int)] = 1
    return t


def softmax_cross_entropy(logits, y):
    z = np.array(logits, dtype=float)
    if z.ndim != 2 or z.size == 0:
        raise ValueError("logits must be (m, K)")
    t = _targets(y, *z.shape)
    zmax = np.max(z, axis=1, keepdims=True)
    logsumexp = zmax[:, 0] + np.log(np.sum(np.exp(z - zmax), axis=1))
    return float(np.mean(logsumexp - np.sum(t * z, axis=1)))


def softmax_cross_entropy_grad(logits, y):
    z = np.array(logits, dtype=float)
    if z.ndim != 2 or z.size == 0:
        raise ValueError("logits must be (m, K)")
    t = _targets(y, *z.shape)
    zmax = np.max(z, axis=1, keepdims=True)
    e = np.exp(z - zmax)
    return (e / np.sum(e, axis=1, keepdims=True) - t) / len(z)


def sgd_step(w, grad, lr):
    w = np.array(w, dtype=float)
    grad = np.array(grad, dtype=float)
    if w.shape != grad.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X = np.array(X, dtype=float)
    y = np.array(y, dtype=float)
    w = np.array(w, dtype=float)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError("X must be (m, d)")
    if w.shape != (X.shape[1],) or y.shape != (X.shape[0],):
        raise ValueError("w must be (d,) and y (m,)")
    if not lr > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = w - lr * (X.T @ g)
    b_new = b - lr * np.sum(g)
    return w_new, float(b_new), loss


def accuracy(p, y, threshold=0.5):
    p = np.array(p, dtype=float)
    y = np.array(y, dtype=float)
    if p.shape != y.shape or p.ndim != 1 or len(p) == 0:
        raise ValueError("p and y must be non-empty vectors of the same shape")
    if np.any(np.isnan(p)) or np.isnan(threshold):
        raise ValueError("NaN")
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must be 0 or 1")
    pred = np.where(p >= threshold, 1, 0)
    return float(np.mean(pred == y))


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    activation = activation.lower()
    if activation == "identity" or activation == "linear":
        return "mse"
    if activation == "sigmoid":
        return "bce"
    if activation == "softmax":
        return "cce"
    raise ValueError("unknown activation")


def best_epoch(train_losses, val_losses):
    train_losses = np.array(train_losses, dtype=float)
    val_losses = np.array(val_losses, dtype=float)
    if train_losses.shape != val_losses.shape or val_losses.ndim != 1 or len(val_losses) == 0:
        raise ValueError("need two loss curves of the same length")
    if np.any(np.isnan(train_losses)) or np.any(np.isnan(val_losses)):
        raise ValueError("NaN loss")
    return int(np.argmin(val_losses))
