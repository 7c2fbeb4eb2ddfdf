# corpus: full-module
# expect: correct
# style: functools.wraps validation decorators, functools.partial/reduce, statistics.fmean, operator, type hints
from __future__ import annotations

import functools
import operator
import statistics
from typing import Callable

import numpy as np

EPS = 1e-8
Array = np.ndarray


def _as_f64(x, name: str) -> Array:
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: {exc}") from None


def paired(first: str, second: str, ndims=(1,)) -> Callable:
    """Decorator: convert the first two arguments and insist on equal, non-empty shapes."""

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(a, b, *args, **kwargs):
            a, b = _as_f64(a, first), _as_f64(b, second)
            if a.shape != b.shape:
                raise ValueError(f"{first} {a.shape} and {second} {b.shape} differ in shape")
            if a.ndim not in ndims:
                raise ValueError(f"{first} must have {ndims} dimensions")
            if a.size == 0:
                raise ValueError(f"{first} is empty")
            return fn(a, b, *args, **kwargs)

        return wrapper

    return deco


def class_matrix(check_distribution: bool) -> Callable:
    """Decorator for (probs_or_logits, y): the matrix must be (m, K) non-empty; y becomes targets."""

    def deco(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(P, y, *args, **kwargs):
            P = _as_f64(P, "probs")
            if P.ndim != 2 or P.shape[0] == 0 or P.shape[1] == 0:
                raise ValueError(f"expected a non-empty (m, K) array, got shape {P.shape}")
            if check_distribution:
                if np.any(P < 0) or np.any(np.abs(P.sum(axis=1) - 1) > 1e-6):
                    raise ValueError("probs rows must be distributions; logits belong to softmax_cross_entropy")
            return fn(P, _targets(y, P.shape), *args, **kwargs)

        return wrapper

    return deco


def _targets(y, shape) -> Array:
    m, k = shape
    y = _as_f64(y, "y")
    if y.shape == shape:
        return y
    if y.shape != (m,):
        raise ValueError(f"y must be ({m},) or {shape}")
    if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
        raise ValueError("labels must be whole numbers")
    if y.min() < 0 or y.max() > k - 1:
        raise ValueError(f"labels must be in [0, {k})")
    return np.eye(k)[y.astype(int)]


@paired("y_hat", "y", ndims=(1, 2))
def squared_error(y_hat, y):
    sq = operator.pow(y_hat - y, 2)
    return sq.mean(axis=1) if sq.ndim == 2 else sq


@paired("p", "y")
def binary_cross_entropy(p, y, eps=EPS):
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities in [0, 1]: pass logits to bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


@class_matrix(check_distribution=True)
def categorical_cross_entropy(probs, t, eps=EPS):
    return -np.einsum("mk,mk->m", t, np.log(np.clip(probs, eps, 1 - eps)))


def batch_mean(losses) -> float:
    losses = _as_f64(losses, "losses")
    if losses.ndim != 1:
        raise ValueError("losses must be 1-D")
    try:
        return float(statistics.fmean(losses.tolist()))
    except statistics.StatisticsError:
        raise ValueError("empty batch: nothing to average") from None


def _batch(per_sample: Callable) -> Callable:
    @functools.wraps(per_sample)
    def objective(*args, **kwargs) -> float:
        return batch_mean(per_sample(*args, **kwargs))

    return objective


def mse(y_hat, y) -> float:
    return _batch(squared_error)(y_hat, y)


def bce(p, y, eps=EPS) -> float:
    return _batch(binary_cross_entropy)(p, y, eps)


def cce(probs, y, eps=EPS) -> float:
    return _batch(categorical_cross_entropy)(probs, y, eps)


@paired("batch_means", "batch_sizes")
def epoch_mean(batch_means, batch_sizes) -> float:
    if not np.all(batch_sizes > 0):
        raise ValueError("batch sizes must be positive")
    total_loss, total_n = functools.reduce(
        lambda acc, pair: (acc[0] + pair[0] * pair[1], acc[1] + pair[1]),
        zip(batch_means.tolist(), batch_sizes.tolist()),
        (0.0, 0.0),
    )
    return float(total_loss / total_n)


@paired("y_hat", "y", ndims=(1, 2))
def mse_grad(y_hat, y):
    return 2.0 * (y_hat - y) / y_hat.size


@paired("p", "y")
def bce_grad(p, y, eps=EPS):
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]: for logits use bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]


@class_matrix(check_distribution=True)
def cce_grad(probs, t, eps=EPS):
    return -t / np.clip(probs, eps, 1 - eps) / probs.shape[0]


def sigmoid(z):
    z = _as_f64(z, "z")
    out = np.empty(z.shape)
    nonneg = z >= 0
    out[nonneg] = 1.0 / (1.0 + np.exp(-z[nonneg]))
    neg = ~nonneg
    ez = np.exp(z[neg])
    out[neg] = ez / (1.0 + ez)
    return out


def softmax(z):
    z = _as_f64(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("softmax needs a non-empty 1-D or 2-D array")
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@paired("z", "y")
def bce_with_logits(z, y) -> float:
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


@paired("z", "y")
def bce_with_logits_grad(z, y):
    return (sigmoid(z) - y) / len(z)


@class_matrix(check_distribution=False)
def softmax_cross_entropy(z, t) -> float:
    top = z.max(axis=1, keepdims=True)
    lse = (top + np.log(np.exp(z - top).sum(axis=1, keepdims=True)))[:, 0]
    return float(np.mean(lse - (t * z).sum(axis=1)))


@class_matrix(check_distribution=False)
def softmax_cross_entropy_grad(z, t):
    return (softmax(z) - t) / z.shape[0]


def sgd_step(w, grad, lr):
    w, grad = _as_f64(w, "w"), _as_f64(grad, "grad")
    if w.shape != grad.shape:
        raise ValueError("w and grad shapes differ")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    return w - float(lr) * grad


def linear_regression_step(X, y, w, b, lr):
    X, w = _as_f64(X, "X"), _as_f64(w, "w")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("X must be a non-empty (m, d) matrix")
    if w.shape != (X.shape[1],):
        raise ValueError("w must have one weight per feature")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b) - float(lr) * float(np.sum(g)), loss


@paired("p", "y")
def accuracy(p, y, threshold=0.5) -> float:
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("cannot threshold NaN")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return float(np.mean(np.equal(p >= threshold, y.astype(bool))))


_PAIRING = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}


def loss_for_output(activation) -> str:
    key = activation.casefold() if isinstance(activation, str) else None
    if key not in _PAIRING:
        raise ValueError(f"unsupported output activation: {activation!r}")
    return _PAIRING[key]


@paired("train_losses", "val_losses")
def best_epoch(train_losses, val_losses) -> int:
    if np.isnan(train_losses).any() or np.isnan(val_losses).any():
        raise ValueError("NaN in the curves")
    return min(range(len(val_losses)), key=val_losses.__getitem__)
