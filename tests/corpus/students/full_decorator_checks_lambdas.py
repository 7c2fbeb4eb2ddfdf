# corpus: full-module
# expect: correct
# style: a validation decorator (functools.wraps) for the paired-array functions, the batch objectives as lambdas, scipy-free logsumexp
import functools

import numpy as np


def paired(ndims=(1,), names=("y_hat", "y")):
    """Read the first two arguments as float64, require equal shapes and a non-empty batch."""
    def wrap(fn):
        @functools.wraps(fn)
        def inner(a, b, *rest, **kw):
            try:
                a = np.asarray(a, dtype=np.float64)
                b = np.asarray(b, dtype=np.float64)
            except (TypeError, ValueError):
                raise ValueError(f"{names[0]} and {names[1]} must be numeric") from None
            if a.shape != b.shape:
                raise ValueError(f"{names[0]} {a.shape} and {names[1]} {b.shape} must have the same shape")
            if a.ndim not in ndims or a.size == 0:
                raise ValueError(f"{names[0]} must be a non-empty batch (ndim {ndims})")
            return fn(a, b, *rest, **kw)
        return inner
    return wrap


def _matrix(x, name):
    a = np.asarray(x, dtype=np.float64)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty (m, K) matrix")
    return a


def _probs(x, hint):
    P = _matrix(x, "probs")
    if (P < 0).any() or (np.abs(P.sum(1) - 1) > 1e-6).any():
        raise ValueError(f"probs must hold one distribution per row (got logits? use {hint})")
    return P


def _onehot(y, shape):
    m, k = shape
    y = np.asarray(y, dtype=np.float64)
    if y.shape == shape:
        return y
    if y.shape != (m,) or np.isnan(y).any() or (y % 1).any() or (y < 0).any() or (y >= k).any():
        raise ValueError(f"y must be ({m},) integer labels in [0, {k}) or ({m}, {k}) targets")
    return np.eye(k)[y.astype(int)]


def _logsumexp(Z):
    c = Z.max(axis=-1, keepdims=True)
    return (c + np.log(np.exp(Z - c).sum(axis=-1, keepdims=True)))[..., 0]


@paired(ndims=(1, 2))
def squared_error(y_hat, y):
    e = (y_hat - y) ** 2
    return e.mean(axis=1) if e.ndim == 2 else e


@paired(names=("p", "y"))
def binary_cross_entropy(p, y, eps=1e-8):
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p outside [0, 1]: logits? use bce_with_logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y outside [0, 1]")
    q = np.clip(p, eps, 1 - eps)
    return -(y * np.log(q) + (1 - y) * np.log(1 - q))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _probs(probs, "softmax_cross_entropy")
    return -(_onehot(y, P.shape) * np.log(np.clip(P, eps, 1 - eps))).sum(1)


def batch_mean(losses):
    v = np.asarray(losses, dtype=np.float64)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError("losses must be a non-empty 1-D array")
    return float(v.mean())


mse = lambda y_hat, y: batch_mean(squared_error(y_hat, y))  # noqa: E731
bce = lambda p, y, eps=1e-8: batch_mean(binary_cross_entropy(p, y, eps))  # noqa: E731
cce = lambda probs, y, eps=1e-8: batch_mean(categorical_cross_entropy(probs, y, eps))  # noqa: E731


@paired(names=("batch_means", "batch_sizes"))
def epoch_mean(batch_means, batch_sizes):
    if not (batch_sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    return float(batch_means @ batch_sizes / batch_sizes.sum())


@paired(ndims=(1, 2))
def mse_grad(y_hat, y):
    return 2 * (y_hat - y) / y_hat.size


@paired(names=("p", "y"))
def bce_grad(p, y, eps=1e-8):
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p outside [0, 1]: logits? use bce_with_logits_grad")
    q = np.clip(p, eps, 1 - eps)
    return (q - y) / (q * (1 - q)) / len(q)


def cce_grad(probs, y, eps=1e-8):
    P = _probs(probs, "softmax_cross_entropy_grad")
    return -_onehot(y, P.shape) / np.clip(P, eps, 1 - eps) / len(P)


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    t = np.exp(-np.abs(z))
    return np.asarray(np.where(z >= 0, 1, t) / (1 + t))


def softmax(z):
    z = np.asarray(z, dtype=np.float64)
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty (K,) or (m, K) array")
    return np.exp(z - _logsumexp(z)[..., None])


@paired(names=("z", "y"))
def bce_with_logits(z, y):
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


@paired(names=("z", "y"))
def bce_with_logits_grad(z, y):
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    Z = _matrix(logits, "logits")
    return float(np.mean(_logsumexp(Z) - (_onehot(y, Z.shape) * Z).sum(1)))


def softmax_cross_entropy_grad(logits, y):
    Z = _matrix(logits, "logits")
    return (softmax(Z) - _onehot(y, Z.shape)) / len(Z)


def sgd_step(w, grad, lr):
    w, grad = np.asarray(w, dtype=np.float64), np.asarray(grad, dtype=np.float64)
    if w.shape != grad.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X = _matrix(X, "X")
    w = np.asarray(w, dtype=np.float64)
    if w.shape != (X.shape[1],):
        raise ValueError("w must have shape (d,)")
    y_hat = X @ w + b
    loss, g = mse(y_hat, y), mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b - lr * g.sum()), loss


@paired(names=("p", "y"))
def accuracy(p, y, threshold=0.5):
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN in p or threshold")
    if ((y != 0) & (y != 1)).any():
        raise ValueError("y must be 0 or 1")
    return float(np.mean(np.where(p >= threshold, 1.0, 0.0) == y))


def loss_for_output(activation):
    loss = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}.get(
        activation.lower() if isinstance(activation, str) else None)
    if loss is None:
        raise ValueError(f"unknown activation {activation!r}")
    return loss


@paired(names=("train_losses", "val_losses"))
def best_epoch(train_losses, val_losses):
    if np.isnan(train_losses).any() or np.isnan(val_losses).any():
        raise ValueError("NaN in the loss curves")
    return int(np.argmin(val_losses))
