# corpus: full-module
# expect: correct
# style: sigmoid as 0.5*(1 + tanh(z/2)), boolean masks for labels and checks, short functions
import numpy as np

EPS = 1e-8


def _f(x, name="x"):
    try:
        return np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not numeric") from None


def _check(a, b, allowed=(1,)):
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch {a.shape} / {b.shape}")
    if a.ndim not in allowed or a.size == 0:
        raise ValueError(f"need a non-empty batch, got shape {a.shape}")


def _onehot(y, m, k):
    y = _f(y, "y")
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError("y has the wrong shape")
    bad = np.isnan(y) | (y % 1 != 0) | (y < 0) | (y >= k)
    if bad.any():
        raise ValueError(f"bad labels at positions {np.flatnonzero(bad).tolist()}")
    mask = np.arange(k)[None, :] == y[:, None]
    return mask.astype(float)


def _dist(P, hint):
    if P.ndim != 2 or P.size == 0:
        raise ValueError("probs must be a non-empty (m, K) array")
    off = np.abs(P.sum(axis=1) - 1) > 1e-6
    if (P < 0).any() or off.any():
        raise ValueError(f"rows must be distributions (these look like logits; use {hint})")


def squared_error(y_hat, y):
    a, b = _f(y_hat), _f(y)
    _check(a, b, (1, 2))
    return ((a - b) ** 2).mean(axis=1) if a.ndim == 2 else (a - b) ** 2


def binary_cross_entropy(p, y, eps=EPS):
    p, y = _f(p, "p"), _f(y, "y")
    _check(p, y)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]; pass logits to bce_with_logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must be in [0, 1]")
    q = p.clip(eps, 1 - eps)
    return -(y * np.log(q) + (1 - y) * np.log(1 - q))


def categorical_cross_entropy(probs, y, eps=EPS):
    P = _f(probs, "probs")
    _dist(P, "softmax_cross_entropy")
    T = _onehot(y, *P.shape)
    return -(T * np.log(P.clip(eps, 1 - eps))).sum(1)


def batch_mean(losses):
    v = _f(losses, "losses")
    if v.ndim != 1 or not v.size:
        raise ValueError("losses must be a non-empty vector")
    return float(v.sum() / v.size)


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=EPS):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=EPS):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    mu, n = _f(batch_means), _f(batch_sizes)
    _check(mu, n)
    if (~(n > 0)).any():
        raise ValueError("sizes must be positive")
    return float((mu * n).sum() / n.sum())


def mse_grad(y_hat, y):
    a, b = _f(y_hat), _f(y)
    _check(a, b, (1, 2))
    return 2 * (a - b) / a.size


def bce_grad(p, y, eps=EPS):
    p, y = _f(p, "p"), _f(y, "y")
    _check(p, y)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]; pass logits to bce_with_logits_grad")
    q = p.clip(eps, 1 - eps)
    return (q - y) / (q * (1 - q)) / len(p)


def cce_grad(probs, y, eps=EPS):
    P = _f(probs, "probs")
    _dist(P, "softmax_cross_entropy_grad")
    T = _onehot(y, *P.shape)
    return -T / P.clip(eps, 1 - eps) / len(P)


def sigmoid(z):
    z = _f(z, "z")
    # tanh saturates at +-1 instead of overflowing
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def softmax(z):
    z = _f(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty vector or matrix")
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _f(z, "z"), _f(y, "y")
    _check(z, y)
    return float(np.mean(z.clip(0, None) - z * y + np.log1p(np.exp(-abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = _f(z, "z"), _f(y, "y")
    _check(z, y)
    return (sigmoid(z) - y) / len(z)


def _logits(logits):
    Z = _f(logits, "logits")
    if Z.ndim != 2 or Z.size == 0:
        raise ValueError("logits must be a non-empty (m, K) array")
    return Z


def softmax_cross_entropy(logits, y):
    Z = _logits(logits)
    T = _onehot(y, *Z.shape)
    top = Z.max(1)
    lse = top + np.log(np.exp(Z - top[:, None]).sum(1))
    return float((lse - (T * Z).sum(1)).mean())


def softmax_cross_entropy_grad(logits, y):
    Z = _logits(logits)
    return (softmax(Z) - _onehot(y, *Z.shape)) / len(Z)


def sgd_step(w, grad, lr):
    w, g = _f(w, "w"), _f(grad, "grad")
    if w.shape != g.shape:
        raise ValueError("w and grad differ in shape")
    if not lr > 0:
        raise ValueError("lr must be > 0")
    return w - lr * g


def linear_regression_step(X, y, w, b, lr):
    X, w = _f(X, "X"), _f(w, "w")
    if X.ndim != 2 or len(X) == 0 or w.shape != X.shape[1:]:
        raise ValueError("X must be (m, d) with m >= 1 and w (d,)")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b - lr * g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _f(p, "p"), _f(y, "y")
    _check(p, y)
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN in p or threshold")
    pos, neg = y == 1, y == 0
    if not (pos | neg).all():
        raise ValueError("y must hold 0/1 labels")
    hit = (p >= threshold) & pos | (p < threshold) & neg
    return float(hit.mean())


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a str")
    a = activation.lower()
    return {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}.get(a) or _unknown(activation)


def _unknown(activation):
    raise ValueError(f"unknown activation {activation!r}")


def best_epoch(train_losses, val_losses):
    t, v = _f(train_losses), _f(val_losses)
    _check(t, v)
    if np.isnan(t).any() or np.isnan(v).any():
        raise ValueError("NaN in the losses")
    return int(np.argmin(v))
