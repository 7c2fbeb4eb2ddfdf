# corpus: full-module
# expect: correct
# style: type hints everywhere, guard clauses with early raise/return, NaN handled explicitly, copies made up front
from __future__ import annotations

from typing import Final, Tuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

EPS: Final[float] = 1e-8
ROW_TOL: Final[float] = 1e-6
Array = NDArray[np.float64]


def _as_batch(x: ArrayLike, name: str, ndims: Tuple[int, ...] = (1,)) -> Array:
    try:
        a = np.array(x, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not an array of numbers") from None
    if a.ndim not in ndims:
        raise ValueError(f"{name}: wrong number of dimensions ({a.ndim})")
    if a.shape[0] == 0 or a.size == 0:
        raise ValueError(f"{name}: empty batch")
    return a


def _as_like(x: ArrayLike, ref: Array, name: str, ref_name: str) -> Array:
    try:
        b = np.array(x, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not an array of numbers") from None
    if b.shape != ref.shape:
        raise ValueError(f"{name} has shape {b.shape}, {ref_name} has {ref.shape}")
    return b


def _targets(y: ArrayLike, shape: Tuple[int, int]) -> Array:
    m, k = shape
    y_arr = np.array(y, dtype=np.float64)
    if y_arr.shape == (m, k):
        return y_arr
    if y_arr.shape != (m,):
        raise ValueError(f"y must be ({m},) or ({m}, {k}), got {y_arr.shape}")
    if np.isnan(y_arr).any():
        raise ValueError("labels contain NaN")
    if not np.array_equal(y_arr, np.round(y_arr)):
        raise ValueError("labels must be integers")
    if y_arr.min() < 0 or y_arr.max() > k - 1:
        raise ValueError(f"labels must be in 0..{k - 1}")
    return np.identity(k)[y_arr.astype(np.int64)]


def _distributions(probs: ArrayLike, hint: str) -> Array:
    P = _as_batch(probs, "probs", (2,))
    if (P < 0).any():
        raise ValueError(f"probs has negative entries: logits? use {hint}")
    if (np.abs(P.sum(axis=1) - 1.0) > ROW_TOL).any():
        raise ValueError(f"probs rows do not sum to 1: logits? use {hint}")
    return P


def squared_error(y_hat: ArrayLike, y: ArrayLike) -> Array:
    a = _as_batch(y_hat, "y_hat", (1, 2))
    b = _as_like(y, a, "y", "y_hat")
    sq = (a - b) ** 2
    if sq.ndim == 1:
        return sq
    return sq.mean(axis=1)


def _probs_and_targets(p: ArrayLike, y: ArrayLike, hint: str) -> Tuple[Array, Array]:
    p_arr = _as_batch(p, "p")
    y_arr = _as_like(y, p_arr, "y", "p")
    if ((p_arr < 0) | (p_arr > 1)).any():
        raise ValueError(f"p must be probabilities in [0, 1]; logits? use {hint}")
    return p_arr, y_arr


def binary_cross_entropy(p: ArrayLike, y: ArrayLike, eps: float = EPS) -> Array:
    p_arr, y_arr = _probs_and_targets(p, y, "bce_with_logits")
    if ((y_arr < 0) | (y_arr > 1)).any():
        raise ValueError("y must be in [0, 1]")
    np.clip(p_arr, eps, 1 - eps, out=p_arr)        # p_arr is our own copy
    return -(y_arr * np.log(p_arr) + (1 - y_arr) * np.log(1 - p_arr))


def categorical_cross_entropy(probs: ArrayLike, y: ArrayLike, eps: float = EPS) -> Array:
    P = _distributions(probs, "softmax_cross_entropy")
    T = _targets(y, P.shape)
    np.clip(P, eps, 1 - eps, out=P)                # own copy, safe to clip in place
    return -(T * np.log(P)).sum(axis=1)


def batch_mean(losses: ArrayLike) -> float:
    v = _as_batch(losses, "losses")
    if v.shape[0] == 1:
        return float(v[0])
    return float(v.mean())


def mse(y_hat: ArrayLike, y: ArrayLike) -> float:
    return batch_mean(squared_error(y_hat, y))


def bce(p: ArrayLike, y: ArrayLike, eps: float = EPS) -> float:
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs: ArrayLike, y: ArrayLike, eps: float = EPS) -> float:
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means: ArrayLike, batch_sizes: ArrayLike) -> float:
    means = _as_batch(batch_means, "batch_means")
    sizes = _as_like(batch_sizes, means, "batch_sizes", "batch_means")
    if not (sizes > 0).all():
        raise ValueError("every batch size must be > 0")
    if len(means) == 1:
        return float(means[0])
    return float((means * sizes).sum() / sizes.sum())


def mse_grad(y_hat: ArrayLike, y: ArrayLike) -> Array:
    a = _as_batch(y_hat, "y_hat", (1, 2))
    b = _as_like(y, a, "y", "y_hat")
    a -= b                                          # own copies
    a *= 2.0 / a.size
    return a


def bce_grad(p: ArrayLike, y: ArrayLike, eps: float = EPS) -> Array:
    p_arr, y_arr = _probs_and_targets(p, y, "bce_with_logits_grad")
    pc = np.clip(p_arr, eps, 1 - eps)
    return (pc - y_arr) / (pc * (1 - pc)) / len(pc)


def cce_grad(probs: ArrayLike, y: ArrayLike, eps: float = EPS) -> Array:
    P = _distributions(probs, "softmax_cross_entropy_grad")
    T = _targets(y, P.shape)
    return -T / np.clip(P, eps, 1 - eps) / P.shape[0]


def sigmoid(z: ArrayLike) -> Array:
    z_arr = np.array(z, dtype=np.float64)
    if z_arr.size == 0:
        return z_arr
    out = np.empty_like(z_arr)
    big = z_arr >= 0
    small = ~big                                    # includes NaN: exp(NaN) stays NaN
    out[big] = 1.0 / (1.0 + np.exp(-z_arr[big]))
    e = np.exp(z_arr[small])
    out[small] = e / (1.0 + e)
    return out


def softmax(z: ArrayLike) -> Array:
    z_arr = _as_batch(z, "z", (1, 2))
    z_arr -= z_arr.max(axis=-1, keepdims=True)     # own copy
    np.exp(z_arr, out=z_arr)
    z_arr /= z_arr.sum(axis=-1, keepdims=True)
    return z_arr


def bce_with_logits(z: ArrayLike, y: ArrayLike) -> float:
    z_arr = _as_batch(z, "z")
    y_arr = _as_like(y, z_arr, "y", "z")
    losses = np.maximum(z_arr, 0.0) - z_arr * y_arr + np.log1p(np.exp(-np.abs(z_arr)))
    return float(losses.mean())


def bce_with_logits_grad(z: ArrayLike, y: ArrayLike) -> Array:
    z_arr = _as_batch(z, "z")
    y_arr = _as_like(y, z_arr, "y", "z")
    return (sigmoid(z_arr) - y_arr) / z_arr.shape[0]


def softmax_cross_entropy(logits: ArrayLike, y: ArrayLike) -> float:
    Z = _as_batch(logits, "logits", (2,))
    T = _targets(y, Z.shape)
    row_max = Z.max(axis=1)
    lse = row_max + np.log(np.exp(Z - row_max[:, None]).sum(axis=1))
    return float(np.mean(lse - (T * Z).sum(axis=1)))


def softmax_cross_entropy_grad(logits: ArrayLike, y: ArrayLike) -> Array:
    Z = _as_batch(logits, "logits", (2,))
    T = _targets(y, Z.shape)
    return (softmax(Z) - T) / Z.shape[0]


def sgd_step(w: ArrayLike, grad: ArrayLike, lr: float) -> Array:
    w_arr = np.array(w, dtype=np.float64)
    g_arr = np.array(grad, dtype=np.float64)
    if w_arr.shape != g_arr.shape:
        raise ValueError(f"w {w_arr.shape} and grad {g_arr.shape} differ")
    if not float(lr) > 0:
        raise ValueError("lr must be > 0")
    return w_arr - float(lr) * g_arr


def linear_regression_step(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: float, lr: float
                           ) -> Tuple[Array, float, float]:
    X_arr = _as_batch(X, "X", (2,))
    w_arr = np.array(w, dtype=np.float64)
    if w_arr.shape != (X_arr.shape[1],):
        raise ValueError(f"w must have shape ({X_arr.shape[1]},)")
    y_hat = X_arr @ w_arr + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w_arr, X_arr.T @ g, lr)
    b_new = float(b) - float(lr) * float(g.sum())
    return w_new, b_new, loss


def accuracy(p: ArrayLike, y: ArrayLike, threshold: float = 0.5) -> float:
    p_arr = _as_batch(p, "p")
    y_arr = _as_like(y, p_arr, "y", "p")
    if np.isnan(threshold):
        raise ValueError("threshold is NaN")
    if np.isnan(p_arr).any():
        raise ValueError("p contains NaN")
    if not np.all(np.isin(y_arr, (0.0, 1.0))):
        raise ValueError("y must be 0/1 labels")
    return float(np.mean((p_arr >= threshold) == (y_arr == 1.0)))


def loss_for_output(activation: str) -> str:
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    a = activation.lower()
    if a == "sigmoid":
        return "bce"
    if a == "softmax":
        return "cce"
    if a in ("identity", "linear"):
        return "mse"
    raise ValueError(f"unknown activation {activation!r}")


def best_epoch(train_losses: ArrayLike, val_losses: ArrayLike) -> int:
    val = _as_batch(val_losses, "val_losses")
    train = _as_like(train_losses, val, "train_losses", "val_losses")
    if np.isnan(val).any() or np.isnan(train).any():
        raise ValueError("loss history contains NaN")
    if len(val) == 1:
        return 0
    return int(np.argmin(val))
