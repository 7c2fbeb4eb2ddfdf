# corpus: full-module
# expect: correct
# style: type hints, NamedTuple for checked pairs, match statement, guard clauses with early returns, masks with np.putmask on own copies, log1p(-p)
from __future__ import annotations

from typing import NamedTuple, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

F64 = NDArray[np.float64]


class Pair(NamedTuple):
    pred: F64
    target: F64
    m: int


def to_f64(x: ArrayLike, label: str) -> F64:
    try:
        return np.array(x, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise ValueError(f"{label} must be numeric") from None


def check_pair(a: ArrayLike, b: ArrayLike, names: Sequence[str], ndims: tuple[int, ...] = (1,)) -> Pair:
    pa, pb = to_f64(a, names[0]), to_f64(b, names[1])
    if pa.shape != pb.shape:
        raise ValueError(f"{names[0]} {pa.shape} != {names[1]} {pb.shape}: no broadcasting allowed")
    if pa.ndim not in ndims:
        raise ValueError(f"{names[0]} must have ndim in {ndims}")
    if pa.size == 0:
        raise ValueError(f"{names[0]}: empty batch")
    return Pair(pa, pb, pa.shape[0])


def check_classes(P: ArrayLike, y: ArrayLike, name: str, distribution: bool) -> tuple[F64, F64]:
    M = to_f64(P, name)
    if M.ndim != 2:
        raise ValueError(f"{name} must be 2-D (m, K)")
    if M.size == 0:
        raise ValueError(f"{name}: empty batch")
    if distribution:
        if (M < 0).any():
            raise ValueError("negative probabilities: these are logits, use softmax_cross_entropy")
        if (np.abs(M.sum(axis=1) - 1.0) > 1e-6).any():
            raise ValueError("rows do not sum to 1: these are logits, use softmax_cross_entropy")
    m, k = M.shape
    Y = to_f64(y, "y")
    if Y.shape == (m, k):
        return M, Y
    if Y.shape != (m,):
        raise ValueError(f"y must be ({m},) or ({m}, {k})")
    if not np.isfinite(Y).all() or (np.floor(Y) != Y).any():
        raise ValueError("labels must be whole numbers")
    if ((Y < 0) | (Y >= k)).any():
        raise ValueError(f"labels must be in [0, {k})")
    T = np.zeros((m, k))
    T[np.arange(m), Y.astype(int)] = 1.0
    return M, T


def squared_error(y_hat: ArrayLike, y: ArrayLike) -> F64:
    pr = check_pair(y_hat, y, ("y_hat", "y"), (1, 2))
    diff = pr.pred
    diff -= pr.target  # own copy
    diff **= 2
    if diff.ndim == 1:
        return diff
    return diff.mean(axis=1)


def binary_cross_entropy(p: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> F64:
    pr = check_pair(p, y, ("p", "y"))
    if ((pr.pred < 0) | (pr.pred > 1)).any():
        raise ValueError("p outside [0, 1] looks like logits; use bce_with_logits")
    if ((pr.target < 0) | (pr.target > 1)).any():
        raise ValueError("y outside [0, 1]")
    pc = np.clip(pr.pred, eps, 1 - eps)
    return -(pr.target * np.log(pc) + (1 - pr.target) * np.log1p(-pc))


def categorical_cross_entropy(probs: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> F64:
    P, T = check_classes(probs, y, "probs", distribution=True)
    return -(T * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)


def batch_mean(losses: ArrayLike) -> float:
    L = to_f64(losses, "losses")
    if L.ndim != 1:
        raise ValueError("losses must be 1-D")
    if not len(L):
        raise ValueError("empty batch")
    return float(L.mean())


def mse(y_hat: ArrayLike, y: ArrayLike) -> float:
    return batch_mean(squared_error(y_hat, y))


def bce(p: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> float:
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> float:
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means: ArrayLike, batch_sizes: ArrayLike) -> float:
    pr = check_pair(batch_means, batch_sizes, ("batch_means", "batch_sizes"))
    if (pr.target <= 0).any() or np.isnan(pr.target).any():
        raise ValueError("every batch size must be > 0")
    return float((pr.pred * pr.target).sum() / pr.target.sum())


def mse_grad(y_hat: ArrayLike, y: ArrayLike) -> F64:
    pr = check_pair(y_hat, y, ("y_hat", "y"), (1, 2))
    return 2.0 / pr.pred.size * (pr.pred - pr.target)


def bce_grad(p: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> F64:
    pr = check_pair(p, y, ("p", "y"))
    if ((pr.pred < 0) | (pr.pred > 1)).any():
        raise ValueError("p outside [0, 1] looks like logits; use bce_with_logits_grad")
    pc = np.clip(pr.pred, eps, 1 - eps)
    return (pc - pr.target) / (pc * (1 - pc)) / pr.m


def cce_grad(probs: ArrayLike, y: ArrayLike, eps: float = 1e-8) -> F64:
    P, T = check_classes(probs, y, "probs", distribution=True)
    return -T / np.clip(P, eps, 1 - eps) / P.shape[0]


def sigmoid(z: ArrayLike) -> F64:
    x = to_f64(z, "z")
    out = np.array(np.exp(-np.abs(x)))  # in (0, 1], never overflows; np.array keeps 0-d input an array
    np.putmask(out, x >= 0, 1.0 / (1.0 + out))
    neg = x < 0
    out[neg] = out[neg] / (1.0 + out[neg])
    return out


def softmax(z: ArrayLike) -> F64:
    x = to_f64(z, "z")
    if x.ndim not in (1, 2):
        raise ValueError("z must be 1-D or 2-D")
    if x.size == 0:
        raise ValueError("empty logits")
    x -= x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def bce_with_logits(z: ArrayLike, y: ArrayLike) -> float:
    pr = check_pair(z, y, ("z", "y"))
    zz, yy = pr.pred, pr.target
    return float(np.mean(np.maximum(zz, 0.0) - zz * yy + np.log1p(np.exp(-np.abs(zz)))))


def bce_with_logits_grad(z: ArrayLike, y: ArrayLike) -> F64:
    pr = check_pair(z, y, ("z", "y"))
    return (sigmoid(pr.pred) - pr.target) / pr.m


def softmax_cross_entropy(logits: ArrayLike, y: ArrayLike) -> float:
    Z, T = check_classes(logits, y, "logits", distribution=False)
    row_max = Z.max(axis=1)
    lse = row_max + np.log(np.exp(Z - row_max[:, None]).sum(axis=1))
    return float(np.mean(lse - (T * Z).sum(axis=1)))


def softmax_cross_entropy_grad(logits: ArrayLike, y: ArrayLike) -> F64:
    Z, T = check_classes(logits, y, "logits", distribution=False)
    return (softmax(Z) - T) / Z.shape[0]


def sgd_step(w: ArrayLike, grad: ArrayLike, lr: float) -> F64:
    W, G = to_f64(w, "w"), to_f64(grad, "grad")
    if W.shape != G.shape:
        raise ValueError("w and grad must match")
    if not (lr > 0):
        raise ValueError("lr must be positive")
    W -= lr * G  # W is a private copy
    return W


def linear_regression_step(X: ArrayLike, y: ArrayLike, w: ArrayLike, b: Union[float, int], lr: float):
    XX, ww = to_f64(X, "X"), to_f64(w, "w")
    if XX.ndim != 2 or XX.shape[0] == 0:
        raise ValueError("X must be a non-empty (m, d) matrix")
    if ww.shape != (XX.shape[1],):
        raise ValueError("w must be (d,)")
    y_hat = XX @ ww + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(ww, XX.T @ g, lr)
    b_new = float(b) - float(lr) * float(g.sum())
    return w_new, b_new, loss


def accuracy(p: ArrayLike, y: ArrayLike, threshold: float = 0.5) -> float:
    pr = check_pair(p, y, ("p", "y"))
    if np.isnan(threshold):
        raise ValueError("threshold is NaN")
    if np.isnan(pr.pred).any():
        raise ValueError("p contains NaN")
    if not np.all((pr.target == 0) | (pr.target == 1)):
        raise ValueError("y must contain only 0 and 1")
    return float(np.mean((pr.pred >= threshold).astype(float) == pr.target))


def loss_for_output(activation: str) -> str:
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    match activation.lower():
        case "identity" | "linear":
            return "mse"
        case "sigmoid":
            return "bce"
        case "softmax":
            return "cce"
        case _:
            raise ValueError(f"unknown activation {activation!r}")


def best_epoch(train_losses: ArrayLike, val_losses: ArrayLike) -> int:
    pr = check_pair(train_losses, val_losses, ("train_losses", "val_losses"))
    if np.isnan(pr.pred).any() or np.isnan(pr.target).any():
        raise ValueError("NaN in a curve")
    return int(pr.target.argmin())
