# corpus: full-module
# expect: sgd_step: gradient-ascent
# expect: linear_regression_step: bias-grad-mean, loss-after-update
# style: compact numpy module; w + lr*grad, and a training step with its own update that averages g again and reports the new loss
import numpy as np


def _arr(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _pair(a, b, an, bn, ndims=(1,)):
    a, b = _arr(a, an), _arr(b, bn)
    if a.shape != b.shape:
        raise ValueError(f"{an} {a.shape} and {bn} {b.shape} must have the same shape")
    if a.ndim not in ndims or a.size == 0:
        raise ValueError(f"{an} must be a non-empty batch with ndim in {ndims}")
    return a, b


def _probs_and_targets(probs, y, check=True):
    P = _arr(probs, "probs")
    if P.ndim != 2 or P.size == 0:
        raise ValueError("expected a non-empty (m, K) array")
    if check and (np.any(P < 0) or np.any(np.abs(P.sum(1) - 1) > 1e-6)):
        raise ValueError("rows are not distributions (logits?): use softmax_cross_entropy")
    m, k = P.shape
    Y = _arr(y, "y")
    if Y.shape == (m, k):
        return P, Y
    if Y.shape != (m,):
        raise ValueError("y has the wrong shape")
    if np.any(np.isnan(Y)) or np.any(Y % 1 != 0) or np.any(Y < 0) or np.any(Y >= k):
        raise ValueError("labels must be integers in [0, K)")
    return P, np.eye(k)[Y.astype(int)]


def squared_error(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    e = (a - b) ** 2
    return e.mean(axis=1) if e.ndim == 2 else e


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _pair(p, y, "p", "y")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p outside [0, 1]: logits go to bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y outside [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P, T = _probs_and_targets(probs, y)
    return -(T * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)


def batch_mean(losses):
    L = _arr(losses, "losses")
    if L.ndim != 1 or L.size == 0:
        raise ValueError("losses must be a non-empty 1-D array")
    return float(L.mean())


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _pair(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not np.all(sizes > 0):
        raise ValueError("batch sizes must be positive")
    return float((means * sizes).sum() / sizes.sum())


def mse_grad(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _pair(p, y, "p", "y")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p outside [0, 1]: logits go to bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / len(p)


def cce_grad(probs, y, eps=1e-8):
    P, T = _probs_and_targets(probs, y)
    return -T / np.clip(P, eps, 1 - eps) / len(P)


def sigmoid(z):
    z = _arr(z, "z")
    out = np.empty(z.shape)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[~pos])
    out[~pos] = ez / (1 + ez)
    return out


def softmax(z):
    z = _arr(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty 1-D or 2-D array")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _pair(z, y, "z", "y")
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = _pair(z, y, "z", "y")
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    Z, T = _probs_and_targets(logits, y, check=False)
    mx = Z.max(axis=1, keepdims=True)
    lse = mx[:, 0] + np.log(np.exp(Z - mx).sum(axis=1))
    return float(np.mean(lse - (T * Z).sum(axis=1)))


def softmax_cross_entropy_grad(logits, y):
    Z, T = _probs_and_targets(logits, y, check=False)
    return (softmax(Z) - T) / len(Z)


def sgd_step(w, grad, lr):
    w, g = _arr(w, "w"), _arr(grad, "grad")
    if w.shape != g.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w + lr * g


def linear_regression_step(X, y, w, b, lr):
    X, w = _arr(X, "X"), _arr(w, "w")
    if X.ndim != 2 or X.shape[0] == 0 or w.shape != (X.shape[1],):
        raise ValueError("X must be (m, d) with m > 0 and w (d,)")
    if not lr > 0:
        raise ValueError("lr must be positive")
    b = float(b)
    g = mse_grad(X @ w + b, y)
    w_new = w - lr * (X.T @ g)
    b_new = b - lr * float(np.mean(g))
    loss = mse(X @ w_new + b_new, y)
    return w_new, float(b_new), loss


def accuracy(p, y, threshold=0.5):
    p, y = _pair(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN in p or threshold")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must be 0 or 1")
    return float(np.mean((p >= threshold) == (y == 1)))


def loss_for_output(activation):
    table = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}
    if not isinstance(activation, str) or activation.lower() not in table:
        raise ValueError(f"unknown activation {activation!r}")
    return table[activation.lower()]


def best_epoch(train_losses, val_losses):
    tr, va = _pair(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(tr).any() or np.isnan(va).any():
        raise ValueError("NaN in a loss curve")
    return int(np.argmin(va))
