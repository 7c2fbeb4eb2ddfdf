# corpus: full-module
# expect: correct
# style: np.float64 scalar results, np.errstate used on purpose (sigmoid's overflow to inf is harmless: 1/(1+inf) = 0), warnings module to keep NaN inputs quiet
import warnings

import numpy as np

f64 = np.float64


def _read(x, name):
    try:
        return np.asarray(x, dtype=f64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected numbers") from None


def _two(a, b, na, nb, ndims=(1,)):
    a, b = _read(a, na), _read(b, nb)
    if a.shape != b.shape:
        raise ValueError(f"{na}.shape={a.shape} != {nb}.shape={b.shape}")
    if a.ndim not in ndims or a.shape[0] == 0 or a.size == 0:
        raise ValueError(f"{na} must be a non-empty batch, got {a.shape}")
    return a, b


def _targets(y, shape):
    m, k = shape
    y = _read(y, "y")
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError(f"y must have shape ({m},) or ({m}, {k})")
    with np.errstate(invalid="ignore"):
        integral = np.isfinite(y) & (np.floor(y) == y)
    if not integral.all():
        raise ValueError("labels must be integers")
    if ((y < 0) | (y >= k)).any():
        raise ValueError(f"labels out of range [0, {k})")
    t = np.zeros(shape, dtype=f64)
    t[np.arange(m), y.astype(np.int64)] = 1
    return t


def _dist(probs, hint):
    P = _read(probs, "probs")
    if P.ndim != 2 or P.size == 0:
        raise ValueError("probs must be a non-empty (m, K) array")
    if (P < 0).any() or (abs(P.sum(axis=1) - 1) > 1e-6).any():
        raise ValueError(f"each row of probs must sum to 1 with no negative entries (logits? {hint})")
    return P


def squared_error(y_hat, y):
    a, b = _two(y_hat, y, "y_hat", "y", (1, 2))
    se = np.power(a - b, 2)
    return se.mean(axis=-1) if se.ndim > 1 else se


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _two(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p is not in [0, 1] -- logits? call bce_with_logits instead")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y is not in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _dist(probs, "use softmax_cross_entropy")
    return -(_targets(y, P.shape) * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)


def batch_mean(losses):
    v = _read(losses, "losses")
    if v.ndim != 1 or v.size == 0:
        raise ValueError("need a non-empty 1-D array of losses")
    return f64(v.mean())


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _two(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    return f64((means * sizes).sum() / sizes.sum())


def mse_grad(y_hat, y):
    a, b = _two(y_hat, y, "y_hat", "y", (1, 2))
    return f64(2) * (a - b) / f64(a.size)


def bce_grad(p, y, eps=1e-8):
    p, y = _two(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p is not in [0, 1] -- logits? call bce_with_logits_grad instead")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / f64(p.shape[0])


def cce_grad(probs, y, eps=1e-8):
    P = _dist(probs, "use softmax_cross_entropy_grad")
    return -_targets(y, P.shape) / np.clip(P, eps, 1 - eps) / f64(P.shape[0])


def sigmoid(z):
    z = _read(z, "z")
    # exp(-z) may overflow to inf for very negative z; 1 / (1 + inf) is exactly 0,
    # which is the right answer, so the overflow flag is silenced on purpose.
    with np.errstate(over="ignore"):
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=f64)


def softmax(z):
    z = _read(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be (K,) or (m, K) and non-empty")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _two(z, y, "z", "y")
    return f64(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = _two(z, y, "z", "y")
    return (sigmoid(z) - y) / f64(z.shape[0])


def _logits(logits):
    Z = _read(logits, "logits")
    if Z.ndim != 2 or Z.size == 0:
        raise ValueError("logits must be a non-empty (m, K) array")
    return Z


def softmax_cross_entropy(logits, y):
    Z = _logits(logits)
    T = _targets(y, Z.shape)
    mx = Z.max(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)   # only NaN logits can warn here
        lse = mx + np.log(np.exp(Z - mx[:, None]).sum(axis=1))
    return f64((lse - (T * Z).sum(axis=1)).mean())


def softmax_cross_entropy_grad(logits, y):
    Z = _logits(logits)
    return (softmax(Z) - _targets(y, Z.shape)) / f64(Z.shape[0])


def sgd_step(w, grad, lr):
    w, g = _read(w, "w"), _read(grad, "grad")
    if w.shape != g.shape:
        raise ValueError("w and grad must match in shape")
    lr = f64(lr)
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * g


def linear_regression_step(X, y, w, b, lr):
    X, w = _read(X, "X"), _read(w, "w")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("X must be a non-empty (m, d) matrix")
    if w.shape != (X.shape[1],):
        raise ValueError("w must be (d,)")
    y_hat = X @ w + f64(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    b_new = f64(b) - f64(lr) * g.sum()
    return w_new, b_new, loss


def accuracy(p, y, threshold=0.5):
    p, y = _two(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN is neither right nor wrong")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y must be 0 or 1")
    return f64(((p >= threshold) == (y == 1)).mean())


def loss_for_output(activation):
    table = dict(identity="mse", linear="mse", sigmoid="bce", softmax="cce")
    key = activation.lower() if isinstance(activation, str) else None
    if key not in table:
        raise ValueError(f"unsupported activation {activation!r}")
    return table[key]


def best_epoch(train_losses, val_losses):
    train, val = _two(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("NaN loss")
    return int(np.argmin(val))
