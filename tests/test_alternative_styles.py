"""The grader judges behaviour, not style, and never trusts a student's objects.

1. Correct submissions written in styles other than the reference's (plain
   Python loops with ``math``; ``np.logaddexp``; a ``tanh`` sigmoid;
   ``np.take_along_axis``; ``np.float64`` where a float is asked; ``np.einsum``
   with ``np.eye(K)[labels]``; in-place arithmetic on private copies) get full
   marks on several seeds and have no mistake named.
2. A function that returns an object claiming equality with anything (a float,
   int or str subclass, an ndarray subclass, an object with ``__array__``)
   earns nothing, while every function that does not call it keeps its points.
"""
from __future__ import annotations

import ast
import functools

import numpy as np
import pytest
from contract import CONTRACT_FUNCTIONS

from autograder.diagnosis import Diagnoser
from autograder.grading import grade
from autograder.handle import InProcessHandle
from autograder.mistakes.variants import reference_namespace
from autograder.probes import make_probes
from autograder.rubric import FUNCTIONS
from autograder.single_source import REFERENCE

SEEDS = (1, 2, 3)



# ===========================================================================
# Part 1: correct submissions in other styles
# ===========================================================================

# (a) Plain Python: for-loops over the samples, math.log / math.exp, lists,
#     np.array(list, dtype=float) for arrays and float(...) for scalars.
STYLE_LOOPS = r'''
import math
import numpy as np


def _read(x, name):
    try:
        return np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(name + " must be a batch of numbers") from None


def _check_pair(a, b, an, bn):
    if a.shape != b.shape:
        raise ValueError(f"{an} has shape {a.shape} but {bn} has shape {b.shape}: no broadcasting")


def _check_batch(a, name, ndims=(1,)):
    if a.ndim not in ndims:
        raise ValueError(f"{name} has {a.ndim} dimensions, expected one of {ndims}")
    if a.size == 0:
        raise ValueError(f"{name} is an empty batch")


def _clip(v, eps):
    return min(max(v, eps), 1.0 - eps)


def _sigmoid1(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def _target_rows(y, m, k):
    t = _read(y, "y")
    if t.shape == (m, k):
        return t.tolist()
    if t.shape != (m,):
        raise ValueError(f"y must be {m} labels or an ({m}, {k}) matrix of targets, got {t.shape}")
    rows = []
    for label in t.tolist():
        if not math.isfinite(label) or label != math.floor(label):
            raise ValueError("labels must be whole numbers (class indices)")
        if label < 0 or label >= k:
            raise ValueError(f"labels must be class indices in [0, {k})")
        row = [0.0] * k
        row[int(label)] = 1.0
        rows.append(row)
    return rows


def _prob_rows(probs):
    p = _read(probs, "probs")
    _check_batch(p, "probs", (2,))
    rows = p.tolist()
    for row in rows:
        total = 0.0
        for v in row:
            if v < 0:
                raise ValueError("probs has negative entries: these look like logits, "
                                 "use softmax_cross_entropy")
            total += v
        if abs(total - 1.0) > 1e-6:
            raise ValueError("rows of probs must sum to 1: these look like logits, "
                             "use softmax_cross_entropy")
    return rows


def _binary_inputs(p, y):
    pa, ya = _read(p, "p"), _read(y, "y")
    _check_pair(pa, ya, "p", "y")
    _check_batch(pa, "p")
    ps, ys = pa.tolist(), ya.tolist()
    for v in ps:
        if not 0.0 <= v <= 1.0:
            raise ValueError("p must be probabilities in [0, 1]: these look like logits, "
                             "use bce_with_logits")
    return ps, ys


def _logit_pairs(z, y):
    za, ya = _read(z, "z"), _read(y, "y")
    _check_pair(za, ya, "z", "y")
    _check_batch(za, "z")
    return za.tolist(), ya.tolist()


def squared_error(y_hat, y):
    a, b = _read(y_hat, "y_hat"), _read(y, "y")
    _check_pair(a, b, "y_hat", "y")
    _check_batch(a, "y_hat", (1, 2))
    out = []
    for row_a, row_b in zip(a.tolist(), b.tolist()):
        if a.ndim == 1:
            d = row_a - row_b
            out.append(d * d)
        else:
            total = 0.0
            for u, v in zip(row_a, row_b):
                total += (u - v) * (u - v)
            out.append(total / len(row_a))
    return np.array(out, dtype=float)


def binary_cross_entropy(p, y, eps=1e-8):
    ps, ys = _binary_inputs(p, y)
    for t in ys:
        if not 0.0 <= t <= 1.0:
            raise ValueError("targets must lie in [0, 1]")
    out = []
    for v, t in zip(ps, ys):
        pc = _clip(v, eps)
        out.append(-(t * math.log(pc) + (1.0 - t) * math.log(1.0 - pc)))
    return np.array(out, dtype=float)


def categorical_cross_entropy(probs, y, eps=1e-8):
    rows = _prob_rows(probs)
    targets = _target_rows(y, len(rows), len(rows[0]))
    out = []
    for row, t in zip(rows, targets):
        total = 0.0
        for q, tk in zip(row, t):
            total += tk * math.log(_clip(q, eps))
        out.append(-total)
    return np.array(out, dtype=float)


def batch_mean(losses):
    a = _read(losses, "losses")
    _check_batch(a, "losses")
    total = 0.0
    for v in a.tolist():
        total += v
    return float(total / len(a))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _read(batch_means, "batch_means"), _read(batch_sizes, "batch_sizes")
    _check_pair(means, sizes, "batch_means", "batch_sizes")
    _check_batch(means, "batch_means")
    weighted, count = 0.0, 0.0
    for mean, size in zip(means.tolist(), sizes.tolist()):
        if not size > 0:
            raise ValueError("batch sizes must be positive")
        weighted += mean * size
        count += size
    return float(weighted / count)


def mse_grad(y_hat, y):
    a, b = _read(y_hat, "y_hat"), _read(y, "y")
    _check_pair(a, b, "y_hat", "y")
    _check_batch(a, "y_hat", (1, 2))
    n = a.size
    out = []
    for u, v in zip(a.ravel().tolist(), b.ravel().tolist()):
        out.append(2.0 * (u - v) / n)
    return np.array(out, dtype=float).reshape(a.shape)


def bce_grad(p, y, eps=1e-8):
    ps, ys = _binary_inputs(p, y)
    m = len(ps)
    out = []
    for v, t in zip(ps, ys):
        pc = _clip(v, eps)
        out.append((pc - t) / (pc * (1.0 - pc)) / m)
    return np.array(out, dtype=float)


def cce_grad(probs, y, eps=1e-8):
    rows = _prob_rows(probs)
    targets = _target_rows(y, len(rows), len(rows[0]))
    m = len(rows)
    out = []
    for row, t in zip(rows, targets):
        out.append([-tk / _clip(q, eps) / m for q, tk in zip(row, t)])
    return np.array(out, dtype=float)


def sigmoid(z):
    a = _read(z, "z")
    out = [_sigmoid1(v) for v in a.ravel().tolist()]
    return np.array(out, dtype=float).reshape(a.shape)


def _softmax_row(row):
    top = max(row)
    exps = [math.exp(v - top) for v in row]
    total = 0.0
    for e in exps:
        total += e
    return [e / total for e in exps]


def softmax(z):
    a = _read(z, "z")
    _check_batch(a, "z", (1, 2))
    if a.ndim == 1:
        return np.array(_softmax_row(a.tolist()), dtype=float)
    return np.array([_softmax_row(row) for row in a.tolist()], dtype=float)


def bce_with_logits(z, y):
    zs, ys = _logit_pairs(z, y)
    total = 0.0
    for v, t in zip(zs, ys):
        total += max(v, 0.0) - v * t + math.log1p(math.exp(-abs(v)))
    return float(total / len(zs))


def bce_with_logits_grad(z, y):
    zs, ys = _logit_pairs(z, y)
    m = len(zs)
    return np.array([(_sigmoid1(v) - t) / m for v, t in zip(zs, ys)], dtype=float)


def _logit_rows(logits, y):
    a = _read(logits, "logits")
    _check_batch(a, "logits", (2,))
    rows = a.tolist()
    return rows, _target_rows(y, len(rows), len(rows[0]))


def softmax_cross_entropy(logits, y):
    rows, targets = _logit_rows(logits, y)
    total = 0.0
    for row, t in zip(rows, targets):
        top = max(row)
        s = 0.0
        for v in row:
            s += math.exp(v - top)
        picked = 0.0
        for tk, v in zip(t, row):
            picked += tk * v
        total += top + math.log(s) - picked
    return float(total / len(rows))


def softmax_cross_entropy_grad(logits, y):
    rows, targets = _logit_rows(logits, y)
    m = len(rows)
    out = []
    for row, t in zip(rows, targets):
        out.append([(s - tk) / m for s, tk in zip(_softmax_row(row), t)])
    return np.array(out, dtype=float)


def sgd_step(w, grad, lr):
    wa, ga = _read(w, "w"), _read(grad, "grad")
    _check_pair(wa, ga, "w", "grad")
    lr = float(lr)
    if not lr > 0:
        raise ValueError("the learning rate must be positive")
    out = [wi - lr * gi for wi, gi in zip(wa.ravel().tolist(), ga.ravel().tolist())]
    return np.array(out, dtype=float).reshape(wa.shape)


def linear_regression_step(X, y, w, b, lr):
    Xa, ya, wa = _read(X, "X"), _read(y, "y"), _read(w, "w")
    _check_batch(Xa, "X", (2,))
    m, d = Xa.shape
    if wa.shape != (d,):
        raise ValueError(f"w must have shape ({d},)")
    if ya.shape != (m,):
        raise ValueError(f"y must have shape ({m},)")
    lr, b = float(lr), float(b)
    if not lr > 0:
        raise ValueError("the learning rate must be positive")
    rows, ws, ys = Xa.tolist(), wa.tolist(), ya.tolist()
    y_hat = []
    for row in rows:
        s = 0.0
        for xj, wj in zip(row, ws):
            s += xj * wj
        y_hat.append(s + b)
    loss = 0.0
    g = []
    for yh, t in zip(y_hat, ys):
        loss += (yh - t) * (yh - t)
        g.append(2.0 * (yh - t) / m)
    loss /= m
    w_new = []
    for j in range(d):
        gw = 0.0
        for i in range(m):
            gw += rows[i][j] * g[i]
        w_new.append(ws[j] - lr * gw)
    gb = 0.0
    for gi in g:
        gb += gi
    return np.array(w_new, dtype=float), float(b - lr * gb), float(loss)


def accuracy(p, y, threshold=0.5):
    pa, ya = _read(p, "p"), _read(y, "y")
    _check_pair(pa, ya, "p", "y")
    _check_batch(pa, "p")
    if math.isnan(threshold):
        raise ValueError("threshold is NaN")
    right = 0
    for v, t in zip(pa.tolist(), ya.tolist()):
        if math.isnan(v):
            raise ValueError("p contains NaN")
        if t not in (0.0, 1.0):
            raise ValueError("y must hold 0/1 labels")
        if (v >= threshold) == (t == 1.0):
            right += 1
    return float(right / len(pa))


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a name")
    name = activation.lower()
    if name == "identity" or name == "linear":
        return "mse"
    elif name == "sigmoid":
        return "bce"
    elif name == "softmax":
        return "cce"
    raise ValueError(f"unknown output activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _read(train_losses, "train_losses"), _read(val_losses, "val_losses")
    _check_pair(train, val, "train_losses", "val_losses")
    _check_batch(val, "val_losses")
    values = val.tolist()
    best = 0
    for i, v in enumerate(values):
        if math.isnan(v):
            raise ValueError("the validation curve contains NaN")
        if v < values[best]:
            best = i
    return best
'''

# (b) Vectorised numpy with the stable forms written with np.logaddexp
#     (softplus for BCE with logits, np.logaddexp.reduce for logsumexp, and a
#     sigmoid as exp(-softplus(-z))).
STYLE_LOGADDEXP = r'''
import numpy as np


def _num(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric: {exc}") from None


def _batch(a, name, ndims=(1,)):
    if a.ndim not in ndims:
        raise ValueError(f"{name} must have one of {ndims} dimensions, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} is an empty batch")
    return a


def _pair(a, b, an, bn, ndims=(1,)):
    a, b = _num(a, an), _num(b, bn)
    if a.shape != b.shape:
        raise ValueError(f"{an} {a.shape} and {bn} {b.shape} must have the same shape")
    _batch(a, an, ndims)
    return a, b


def _probabilities(p, y):
    p, y = _pair(p, y, "p", "y")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities in [0, 1]; for logits use bce_with_logits")
    return p, y


def _onehot(y, m, k):
    t = _num(y, "y")
    if t.shape == (m, k):
        return t
    if t.shape != (m,):
        raise ValueError(f"y must have shape ({m},) or ({m}, {k}), got {t.shape}")
    if not np.all(np.isfinite(t)) or np.any(t != np.round(t)):
        raise ValueError("labels must be whole numbers")
    if np.any(t < 0) or np.any(t >= k):
        raise ValueError(f"labels must lie in [0, {k})")
    return (np.arange(k)[None, :] == t[:, None]).astype(np.float64)


def _distributions(probs):
    q = _batch(_num(probs, "probs"), "probs", (2,))
    if np.any(q < 0) or np.any(np.abs(q.sum(axis=1) - 1.0) > 1e-6):
        raise ValueError("rows of probs must be distributions; for logits use softmax_cross_entropy")
    return q


def squared_error(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    d = np.square(a - b)
    return d if d.ndim == 1 else d.mean(axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _probabilities(p, y)
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = _distributions(probs)
    t = _onehot(y, *q.shape)
    return -np.sum(t * np.log(np.clip(q, eps, 1 - eps)), axis=1)


def batch_mean(losses):
    values = _batch(_num(losses, "losses"), "losses")
    return float(values.sum() / values.shape[0])


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
    return float(np.dot(means, sizes) / sizes.sum())


def mse_grad(y_hat, y):
    a, b = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 / a.size * (a - b)


def bce_grad(p, y, eps=1e-8):
    p, y = _probabilities(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / len(p)


def cce_grad(probs, y, eps=1e-8):
    q = _distributions(probs)
    t = _onehot(y, *q.shape)
    return -t / np.clip(q, eps, 1 - eps) / q.shape[0]


def sigmoid(z):
    z = _num(z, "z")
    return np.exp(-np.logaddexp(0.0, -z))


def softmax(z):
    z = _batch(_num(z, "z"), "z", (1, 2))
    return np.exp(z - np.logaddexp.reduce(z, axis=-1, keepdims=True))


def bce_with_logits(z, y):
    z, y = _pair(z, y, "z", "y")
    return float(np.mean(np.logaddexp(0.0, z) - z * y))


def bce_with_logits_grad(z, y):
    z, y = _pair(z, y, "z", "y")
    return (sigmoid(z) - y) / z.shape[0]


def softmax_cross_entropy(logits, y):
    z = _batch(_num(logits, "logits"), "logits", (2,))
    t = _onehot(y, *z.shape)
    return float(np.mean(np.logaddexp.reduce(z, axis=1) - np.sum(t * z, axis=1)))


def softmax_cross_entropy_grad(logits, y):
    z = _batch(_num(logits, "logits"), "logits", (2,))
    t = _onehot(y, *z.shape)
    return (softmax(z) - t) / z.shape[0]


def sgd_step(w, grad, lr):
    w, g = _num(w, "w"), _num(grad, "grad")
    if w.shape != g.shape:
        raise ValueError(f"w {w.shape} and grad {g.shape} must have the same shape")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    return w - float(lr) * g


def linear_regression_step(X, y, w, b, lr):
    X = _batch(_num(X, "X"), "X", (2,))
    w = _num(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError("w does not match the columns of X")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b) - float(lr) * float(np.sum(g)), loss


def accuracy(p, y, threshold=0.5):
    p, y = _pair(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return float(np.count_nonzero((p >= threshold) == (y == 1)) / p.size)


_PAIRS = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}


def loss_for_output(activation):
    key = activation.lower() if isinstance(activation, str) else None
    if key not in _PAIRS:
        raise ValueError(f"unknown output activation {activation!r}")
    return _PAIRS[key]


def best_epoch(train_losses, val_losses):
    train, val = _pair(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(val).any() or np.isnan(train).any():
        raise ValueError("the curves contain NaN")
    return int(np.argmin(val))
'''

# (c) A tanh sigmoid 0.5 * (1 + tanh(z / 2)), log1p forms, log-sigmoid BCE
#     with logits, softmax as exp(z - logsumexp), BCE gradient written as
#     -y/p + (1-y)/(1-p), accuracy through np.where.
STYLE_TANH = r'''
import numpy as np


def _as_f64(x, name):
    try:
        return np.asarray(x, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} is not numeric") from None


def _require(cond, message):
    if not cond:
        raise ValueError(message)


def _same_batch(a, b, names, ndims=(1,)):
    a, b = _as_f64(a, names[0]), _as_f64(b, names[1])
    _require(a.shape == b.shape, f"{names[0]} and {names[1]} differ in shape: {a.shape} vs {b.shape}")
    _require(a.ndim in ndims, f"{names[0]} has the wrong number of dimensions")
    _require(a.size > 0, f"{names[0]} is an empty batch")
    return a, b


def _logsumexp(z):
    top = np.max(z, axis=-1, keepdims=True)
    return top + np.log(np.sum(np.exp(z - top), axis=-1, keepdims=True))


def _log_sigmoid(z):
    return np.minimum(z, 0.0) - np.log1p(np.exp(-np.abs(z)))


def _class_matrix(y, shape):
    m, k = shape
    y = _as_f64(y, "y")
    if y.ndim == 2:
        _require(y.shape == shape, f"targets must have shape {shape}")
        return y
    _require(y.shape == (m,), f"labels must have shape ({m},)")
    _require(bool(np.all(np.mod(y, 1.0) == 0.0)), "labels must be integers")
    _require(bool(np.all((0 <= y) & (y < k))), f"labels must be in [0, {k})")
    t = np.zeros(shape)
    t[np.arange(m), y.astype(int)] = 1.0
    return t


def _checked_probs(probs):
    q = _as_f64(probs, "probs")
    _require(q.ndim == 2 and q.size > 0, "probs must be a non-empty (m, K) batch")
    _require(bool(np.all(q >= 0)) and bool(np.allclose(q.sum(axis=1), 1.0, rtol=0, atol=1e-6)),
             "rows of probs must be distributions (logits? use softmax_cross_entropy)")
    return q


def _checked_binary(p, y):
    p, y = _same_batch(p, y, ("p", "y"))
    _require(bool(np.all((p >= 0) & (p <= 1))), "p outside [0, 1] looks like logits: use bce_with_logits")
    return p, y


def _logits(logits):
    z = _as_f64(logits, "logits")
    _require(z.ndim == 2 and z.size > 0, "logits must be a non-empty (m, K) batch")
    return z


def squared_error(y_hat, y):
    a, b = _same_batch(y_hat, y, ("y_hat", "y"), (1, 2))
    d = a - b
    return (d * d).reshape(len(d), -1).mean(axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _checked_binary(p, y)
    _require(bool(np.all((y >= 0) & (y <= 1))), "targets must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log1p(-pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = _checked_probs(probs)
    t = _class_matrix(y, q.shape)
    return -(t * np.log(np.clip(q, eps, 1 - eps))).sum(1)


def batch_mean(losses):
    values = _as_f64(losses, "losses")
    _require(values.ndim == 1 and values.size > 0, "losses must be a non-empty 1-D batch")
    return float(np.average(values))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _same_batch(batch_means, batch_sizes, ("batch_means", "batch_sizes"))
    _require(bool(np.all(sizes > 0)), "batch sizes must be positive")
    return float(np.average(means, weights=sizes))


def mse_grad(y_hat, y):
    a, b = _same_batch(y_hat, y, ("y_hat", "y"), (1, 2))
    return np.multiply(a - b, 2.0 / a.size)


def bce_grad(p, y, eps=1e-8):
    p, y = _checked_binary(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (-y / pc + (1 - y) / (1 - pc)) / p.size


def cce_grad(probs, y, eps=1e-8):
    q = _checked_probs(probs)
    t = _class_matrix(y, q.shape)
    return np.divide(-t, np.clip(q, eps, 1 - eps)) / len(q)


def sigmoid(z):
    z = _as_f64(z, "z")
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z):
    z = _as_f64(z, "z")
    _require(z.ndim in (1, 2) and z.size > 0, "z must be a non-empty (K,) or (m, K) array")
    return np.exp(z - _logsumexp(z))


def bce_with_logits(z, y):
    z, y = _same_batch(z, y, ("z", "y"))
    return float(np.mean(-(y * _log_sigmoid(z) + (1 - y) * _log_sigmoid(-z))))


def bce_with_logits_grad(z, y):
    z, y = _same_batch(z, y, ("z", "y"))
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    z = _logits(logits)
    t = _class_matrix(y, z.shape)
    log_probs = z - _logsumexp(z)
    return float(np.mean(-(t * log_probs).sum(axis=1)))


def softmax_cross_entropy_grad(logits, y):
    z = _logits(logits)
    t = _class_matrix(y, z.shape)
    return (softmax(z) - t) / len(z)


def sgd_step(w, grad, lr):
    w, g = _as_f64(w, "w"), _as_f64(grad, "grad")
    _require(w.shape == g.shape, "w and grad must have the same shape")
    _require(lr > 0, "lr must be positive")
    return np.subtract(w, lr * g)


def linear_regression_step(X, y, w, b, lr):
    X, w = _as_f64(X, "X"), _as_f64(w, "w")
    _require(X.ndim == 2 and X.size > 0, "X must be a non-empty (m, d) batch")
    _require(w.shape == (X.shape[1],), "w must have one weight per column of X")
    _require(lr > 0, "lr must be positive")
    y_hat = np.dot(X, w) + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return w - lr * np.dot(g, X), float(b - lr * g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _same_batch(p, y, ("p", "y"))
    _require(not np.isnan(p).any() and not np.isnan(threshold), "NaN prediction or threshold")
    _require(bool(np.isin(y, (0.0, 1.0)).all()), "y must hold 0/1 labels")
    return float(np.mean(np.where(p >= threshold, 1.0, 0.0) == y))


def loss_for_output(activation):
    _require(isinstance(activation, str), "activation must be a string")
    name = activation.casefold()
    if name in ("identity", "linear"):
        return "mse"
    if name == "sigmoid":
        return "bce"
    if name == "softmax":
        return "cce"
    raise ValueError(f"no loss pairs with output activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _same_batch(train_losses, val_losses, ("train_losses", "val_losses"))
    _require(not np.isnan(val).any(), "the validation curve contains NaN")
    return int(np.flatnonzero(val == val.min())[0])
'''

# (d) np.take_along_axis to pick the label probabilities (put_along_axis for
#     the gradient), sigmoid through exp(-|z|) and np.where.
STYLE_TAKE_ALONG = r'''
import numpy as np


def to_array(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of numbers") from None


def check_same(a, b, an, bn):
    if a.shape != b.shape:
        raise ValueError(f"{an} has shape {a.shape}, {bn} has shape {b.shape}")


def check_batch(a, name, ndims=(1,)):
    if a.ndim not in ndims or a.shape[0] == 0 or a.size == 0:
        raise ValueError(f"{name} must be a non-empty batch with {ndims} dimensions, got {a.shape}")


def read_labels(y, m, k):
    """Either ("labels", int index array) or ("targets", (m, K) float matrix)."""
    y = to_array(y, "y")
    if y.shape == (m, k):
        return "targets", y
    if y.shape != (m,):
        raise ValueError(f"y has shape {y.shape}: expected ({m},) labels or ({m}, {k}) targets")
    if np.isnan(y).any() or np.any(np.floor(y) != y):
        raise ValueError("labels must be whole numbers")
    if y.min() < 0 or y.max() >= k:
        raise ValueError(f"labels must lie in [0, {k})")
    return "labels", y.astype(np.intp)


def read_probs(probs):
    q = to_array(probs, "probs")
    check_batch(q, "probs", (2,))
    if (q < 0).any() or (np.abs(q.sum(axis=1) - 1) > 1e-6).any():
        raise ValueError("probs rows must sum to 1: logits? use softmax_cross_entropy")
    return q


def read_binary(p, y):
    p, y = to_array(p, "p"), to_array(y, "y")
    check_same(p, y, "p", "y")
    check_batch(p, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]: logits? use bce_with_logits")
    return p, y


def read_logits(logits):
    z = to_array(logits, "logits")
    check_batch(z, "logits", (2,))
    return z


def squared_error(y_hat, y):
    a, b = to_array(y_hat, "y_hat"), to_array(y, "y")
    check_same(a, b, "y_hat", "y")
    check_batch(a, "y_hat", (1, 2))
    e = (a - b) ** 2
    return e.mean(axis=1) if e.ndim == 2 else e


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = read_binary(p, y)
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -y * np.log(pc) - (1 - y) * np.log(1 - pc)


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = read_probs(probs)
    kind, t = read_labels(y, *q.shape)
    qc = np.clip(q, eps, 1 - eps)
    if kind == "labels":
        picked = np.take_along_axis(qc, t[:, None], axis=1)[:, 0]
        return -np.log(picked)
    return -np.sum(t * np.log(qc), axis=1)


def batch_mean(losses):
    values = to_array(losses, "losses")
    check_batch(values, "losses")
    return float(np.mean(values))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = to_array(batch_means, "batch_means"), to_array(batch_sizes, "batch_sizes")
    check_same(means, sizes, "batch_means", "batch_sizes")
    check_batch(means, "batch_means")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    return float((means * sizes).sum() / sizes.sum())


def mse_grad(y_hat, y):
    a, b = to_array(y_hat, "y_hat"), to_array(y, "y")
    check_same(a, b, "y_hat", "y")
    check_batch(a, "y_hat", (1, 2))
    return 2 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = read_binary(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]


def cce_grad(probs, y, eps=1e-8):
    q = read_probs(probs)
    m = q.shape[0]
    kind, t = read_labels(y, *q.shape)
    qc = np.clip(q, eps, 1 - eps)
    if kind == "targets":
        return -t / qc / m
    grad = np.zeros_like(qc)
    picked = np.take_along_axis(qc, t[:, None], axis=1)
    np.put_along_axis(grad, t[:, None], -1.0 / picked / m, axis=1)
    return grad


def sigmoid(z):
    z = to_array(z, "z")
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    z = to_array(z, "z")
    check_batch(z, "z", (1, 2))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = to_array(z, "z"), to_array(y, "y")
    check_same(z, y, "z", "y")
    check_batch(z, "z")
    return float(np.mean(np.clip(z, 0, None) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = to_array(z, "z"), to_array(y, "y")
    check_same(z, y, "z", "y")
    check_batch(z, "z")
    return (sigmoid(z) - y) / z.shape[0]


def softmax_cross_entropy(logits, y):
    z = read_logits(logits)
    kind, t = read_labels(y, *z.shape)
    top = z.max(axis=1)
    lse = top + np.log(np.exp(z - top[:, None]).sum(axis=1))
    if kind == "labels":
        picked = np.take_along_axis(z, t[:, None], axis=1)[:, 0]
    else:
        picked = (t * z).sum(axis=1)
    return float(np.mean(lse - picked))


def softmax_cross_entropy_grad(logits, y):
    z = read_logits(logits)
    m = z.shape[0]
    kind, t = read_labels(y, *z.shape)
    s = softmax(z)
    if kind == "targets":
        return (s - t) / m
    idx = t[:, None]
    np.put_along_axis(s, idx, np.take_along_axis(s, idx, axis=1) - 1.0, axis=1)
    return s / m


def sgd_step(w, grad, lr):
    w, grad = to_array(w, "w"), to_array(grad, "grad")
    check_same(w, grad, "w", "grad")
    if not lr > 0:
        raise ValueError("lr must be > 0")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X, w = to_array(X, "X"), to_array(w, "w")
    check_batch(X, "X", (2,))
    if w.shape != X.shape[1:]:
        raise ValueError("w must have shape (d,)")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    return w_new, float(b - lr * g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = to_array(p, "p"), to_array(y, "y")
    check_same(p, y, "p", "y")
    check_batch(p, "p")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if ((y != 0) & (y != 1)).any():
        raise ValueError("y must hold 0/1 labels")
    return float(((p >= threshold) == (y == 1)).mean())


def loss_for_output(activation):
    table = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}
    try:
        return table[activation.lower()]
    except (AttributeError, KeyError):
        raise ValueError(f"unknown output activation: {activation!r}") from None


def best_epoch(train_losses, val_losses):
    train, val = to_array(train_losses, "train_losses"), to_array(val_losses, "val_losses")
    check_same(train, val, "train_losses", "val_losses")
    check_batch(val, "val_losses")
    if np.isnan(val).any():
        raise ValueError("NaN in the validation curve")
    return int(val.argmin())
'''

# (e) numpy scalars where a float is asked: np.mean(...) / np.sum(...) results
#     returned as np.float64 (and np.argmin's np.int64), a sigmoid via
#     np.piecewise, mse as the mean over all N elements in one go.
STYLE_NUMPY_SCALARS = r'''
import numpy as np


def _arr(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: not an array of numbers") from None


def _two(a, b, names, ndims=(1,)):
    a, b = _arr(a, names[0]), _arr(b, names[1])
    if a.shape != b.shape:
        raise ValueError(f"shape mismatch: {names[0]} {a.shape} vs {names[1]} {b.shape}")
    if a.ndim not in ndims:
        raise ValueError(f"{names[0]} must have one of {ndims} dimensions")
    if a.size == 0:
        raise ValueError(f"{names[0]} is an empty batch")
    return a, b


def _probs(probs):
    q = _arr(probs, "probs")
    if q.ndim != 2 or q.size == 0:
        raise ValueError("probs must be a non-empty (m, K) matrix")
    if np.any(q < 0) or np.any(np.abs(np.sum(q, axis=1) - 1) > 1e-6):
        raise ValueError("probs rows are not distributions: logits? use softmax_cross_entropy")
    return q


def _targets(y, shape):
    m, k = shape
    y = _arr(y, "y")
    if y.shape == shape:
        return y
    if y.shape != (m,):
        raise ValueError("y must be (m,) labels or (m, K) targets")
    if np.any(~np.isfinite(y)) or np.any(y % 1 != 0) or np.any(y < 0) or np.any(y >= k):
        raise ValueError("labels must be integers in [0, K)")
    t = np.zeros(shape)
    t[np.arange(m), y.astype(np.int64)] = 1
    return t


def _binary(p, y):
    p, y = _two(p, y, ("p", "y"))
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities; logits belong in bce_with_logits")
    return p, y


def _logits(logits):
    z = _arr(logits, "logits")
    if z.ndim != 2 or z.size == 0:
        raise ValueError("logits must be a non-empty (m, K) matrix")
    return z


def squared_error(y_hat, y):
    a, b = _two(y_hat, y, ("y_hat", "y"), (1, 2))
    sq = np.square(a - b)
    return sq if sq.ndim == 1 else np.mean(sq, axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _binary(p, y)
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = _probs(probs)
    return -np.sum(_targets(y, q.shape) * np.log(np.clip(q, eps, 1 - eps)), axis=1)


def batch_mean(losses):
    losses = _arr(losses, "losses")
    if losses.ndim != 1 or losses.size == 0:
        raise ValueError("losses must be a non-empty 1-D batch")
    return np.mean(losses)


def mse(y_hat, y):
    a, b = _two(y_hat, y, ("y_hat", "y"), (1, 2))
    return np.mean((a - b) ** 2)


def bce(p, y, eps=1e-8):
    return np.mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return np.mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _two(batch_means, batch_sizes, ("batch_means", "batch_sizes"))
    if np.any(sizes <= 0) or np.any(np.isnan(sizes)):
        raise ValueError("batch sizes must be positive")
    return np.sum(means * sizes) / np.sum(sizes)


def mse_grad(y_hat, y):
    a, b = _two(y_hat, y, ("y_hat", "y"), (1, 2))
    return 2 * (a - b) / np.size(a)


def bce_grad(p, y, eps=1e-8):
    p, y = _binary(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / len(p)


def cce_grad(probs, y, eps=1e-8):
    q = _probs(probs)
    return -_targets(y, q.shape) / np.clip(q, eps, 1 - eps) / len(q)


def sigmoid(z):
    z = _arr(z, "z")
    return np.piecewise(z, [z >= 0], [lambda v: 1 / (1 + np.exp(-v)),
                                      lambda v: np.exp(v) / (1 + np.exp(v))])


def softmax(z):
    z = _arr(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty (K,) or (m, K) array")
    shifted = z - np.max(z, axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = _two(z, y, ("z", "y"))
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def bce_with_logits_grad(z, y):
    z, y = _two(z, y, ("z", "y"))
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    z = _logits(logits)
    t = _targets(y, z.shape)
    top = np.max(z, axis=1, keepdims=True)
    lse = np.squeeze(top, axis=1) + np.log(np.sum(np.exp(z - top), axis=1))
    return np.mean(lse - np.sum(t * z, axis=1))


def softmax_cross_entropy_grad(logits, y):
    z = _logits(logits)
    return (softmax(z) - _targets(y, z.shape)) / len(z)


def sgd_step(w, grad, lr):
    w, grad = _arr(w, "w"), _arr(grad, "grad")
    if w.shape != grad.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X, w = _arr(X, "X"), _arr(w, "w")
    if X.ndim != 2 or X.size == 0 or w.shape != (X.shape[1],):
        raise ValueError("X must be a non-empty (m, d) batch and w of shape (d,)")
    if not lr > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    return w - lr * (X.T @ g), b - lr * np.sum(g), loss


def accuracy(p, y, threshold=0.5):
    p, y = _two(p, y, ("p", "y"))
    if np.any(np.isnan(p)) or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return np.mean((p >= threshold) == (y == 1))


def loss_for_output(activation):
    if isinstance(activation, str):
        name = activation.lower()
        for names, loss in ((("identity", "linear"), "mse"), (("sigmoid",), "bce"),
                            (("softmax",), "cce")):
            if name in names:
                return loss
    raise ValueError(f"unknown output activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _two(train_losses, val_losses, ("train_losses", "val_losses"))
    if np.any(np.isnan(val)):
        raise ValueError("NaN in the validation curve")
    return np.argmin(val)
'''

# (f) np.einsum for every reduction and product, one-hot targets as
#     np.eye(K)[labels], sigmoid as exp(min(z, 0)) / (1 + exp(-|z|)).
STYLE_EINSUM = r'''
import numpy as np


def _f64(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _matched(a, b, an, bn, ndims=(1,)):
    a, b = _f64(a, an), _f64(b, bn)
    if a.shape != b.shape:
        raise ValueError(f"{an}{a.shape} and {bn}{b.shape} must have identical shapes")
    if a.ndim not in ndims or a.size == 0:
        raise ValueError(f"{an} must be a non-empty batch with {ndims} dimensions")
    return a, b


def _one_hot(y, m, k):
    y = _f64(y, "y")
    if y.ndim == 2 and y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError(f"y must be ({m},) labels or ({m}, {k}) targets")
    if not np.isfinite(y).all() or (np.trunc(y) != y).any():
        raise ValueError("labels must be integers")
    if (y < 0).any() or (y >= k).any():
        raise ValueError(f"labels must be in [0, {k})")
    return np.eye(k)[y.astype(int)]


def _dists(probs):
    q = _f64(probs, "probs")
    if q.ndim != 2 or q.size == 0:
        raise ValueError("probs must be a non-empty (m, K) matrix")
    if (q < 0).any() or (np.abs(np.einsum("ik->i", q) - 1.0) > 1e-6).any():
        raise ValueError("rows of probs are not distributions: logits? use softmax_cross_entropy")
    return q


def _bin(p, y):
    p, y = _matched(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must lie in [0, 1]: logits? use bce_with_logits")
    return p, y


def _mean(v):
    return float(np.einsum("i->", v) / v.shape[0])


def squared_error(y_hat, y):
    a, b = _matched(y_hat, y, "y_hat", "y", (1, 2))
    d = a - b
    if d.ndim == 1:
        return np.einsum("i,i->i", d, d)
    return np.einsum("ij,ij->i", d, d) / d.shape[1]


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _bin(p, y)
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must lie in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -(np.einsum("i,i->i", y, np.log(pc)) + np.einsum("i,i->i", 1 - y, np.log(1 - pc)))


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = _dists(probs)
    t = _one_hot(y, *q.shape)
    return -np.einsum("ik,ik->i", t, np.log(np.clip(q, eps, 1 - eps)))


def batch_mean(losses):
    v = _f64(losses, "losses")
    if v.ndim != 1 or v.size == 0:
        raise ValueError("losses must be a non-empty 1-D batch")
    return _mean(v)


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _matched(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    return float(np.einsum("i,i->", means, sizes) / np.einsum("i->", sizes))


def mse_grad(y_hat, y):
    a, b = _matched(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _bin(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]


def cce_grad(probs, y, eps=1e-8):
    q = _dists(probs)
    t = _one_hot(y, *q.shape)
    return -t / np.clip(q, eps, 1 - eps) / q.shape[0]


def sigmoid(z):
    z = _f64(z, "z")
    return np.exp(np.minimum(z, 0.0)) / (1.0 + np.exp(-np.abs(z)))


def softmax(z):
    z = _f64(z, "z")
    if z.ndim not in (1, 2) or z.size == 0:
        raise ValueError("z must be a non-empty (K,) or (m, K) array")
    rows = np.atleast_2d(z)
    e = np.exp(rows - rows.max(axis=1)[:, None])
    return (e / np.einsum("ik->i", e)[:, None]).reshape(z.shape)


def bce_with_logits(z, y):
    z, y = _matched(z, y, "z", "y")
    return _mean(np.maximum(z, 0) - np.einsum("i,i->i", z, y) + np.log1p(np.exp(-np.abs(z))))


def bce_with_logits_grad(z, y):
    z, y = _matched(z, y, "z", "y")
    return (sigmoid(z) - y) / z.shape[0]


def _logit_matrix(logits):
    z = _f64(logits, "logits")
    if z.ndim != 2 or z.size == 0:
        raise ValueError("logits must be a non-empty (m, K) matrix")
    return z


def softmax_cross_entropy(logits, y):
    z = _logit_matrix(logits)
    t = _one_hot(y, *z.shape)
    top = z.max(axis=1)
    lse = top + np.log(np.einsum("ik->i", np.exp(z - top[:, None])))
    return _mean(lse - np.einsum("ik,ik->i", t, z))


def softmax_cross_entropy_grad(logits, y):
    z = _logit_matrix(logits)
    t = _one_hot(y, *z.shape)
    return (softmax(z) - t) / z.shape[0]


def sgd_step(w, grad, lr):
    w, grad = _f64(w, "w"), _f64(grad, "grad")
    if w.shape != grad.shape:
        raise ValueError("w and grad must have the same shape")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X, w = _f64(X, "X"), _f64(w, "w")
    if X.ndim != 2 or X.size == 0 or w.shape != (X.shape[1],):
        raise ValueError("X must be a non-empty (m, d) matrix and w a (d,) vector")
    y_hat = np.einsum("ij,j->i", X, w) + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, np.einsum("ij,i->j", X, g), lr)
    return w_new, float(b - lr * np.einsum("i->", g)), loss


def accuracy(p, y, threshold=0.5):
    p, y = _matched(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("y must hold 0/1 labels")
    return _mean(((p >= threshold) == (y == 1)).astype(np.float64))


def loss_for_output(activation):
    if isinstance(activation, str):
        name = activation.lower()
        if name in {"identity", "linear"}:
            return "mse"
        if name in {"sigmoid"}:
            return "bce"
        if name in {"softmax"}:
            return "cce"
    raise ValueError(f"unknown output activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _matched(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(val).any():
        raise ValueError("NaN in the validation curve")
    return min(range(len(val)), key=lambda i: val[i])
'''

# (g) Extra: in-place arithmetic (out=, -=, *=) on private copies made with
#     np.array(..., copy=True): inputs, read-only ones included, stay untouched.
STYLE_INPLACE_COPIES = r'''
import numpy as np


def _copy(x, name):
    try:
        return np.array(x, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _pair_copies(a, b, an, bn, ndims=(1,)):
    a, b = _copy(a, an), _copy(b, bn)
    if a.shape != b.shape:
        raise ValueError(f"{an} {a.shape} vs {bn} {b.shape}: shapes must match")
    if a.ndim not in ndims or a.size == 0:
        raise ValueError(f"{an} must be a non-empty batch with {ndims} dimensions")
    return a, b


def _targets(y, m, k):
    y = _copy(y, "y")
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError("y must be (m,) labels or (m, K) targets")
    whole = np.isfinite(y) & (np.floor(y) == y) & (y >= 0) & (y < k)
    if not whole.all():
        raise ValueError(f"labels must be integers in [0, {k})")
    t = np.zeros((m, k))
    t[np.arange(m), y.astype(int)] = 1.0
    return t


def _prob_copy(probs):
    q = _copy(probs, "probs")
    if q.ndim != 2 or q.size == 0:
        raise ValueError("probs must be a non-empty (m, K) matrix")
    if (q < 0).any() or (np.abs(q.sum(axis=1) - 1.0) > 1e-6).any():
        raise ValueError("probs rows are not distributions: logits? use softmax_cross_entropy")
    return q


def _binary_copies(p, y):
    p, y = _pair_copies(p, y, "p", "y")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p outside [0, 1]: logits? use bce_with_logits")
    return p, y


def squared_error(y_hat, y):
    a, b = _pair_copies(y_hat, y, "y_hat", "y", (1, 2))
    a -= b
    np.square(a, out=a)
    return a.mean(axis=1) if a.ndim == 2 else a


def binary_cross_entropy(p, y, eps=1e-8):
    pc, y = _binary_copies(p, y)
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must be in [0, 1]")
    np.clip(pc, eps, 1 - eps, out=pc)
    loss = np.log(pc)
    loss *= y
    np.subtract(1.0, pc, out=pc)
    np.log(pc, out=pc)
    y *= -1.0
    y += 1.0
    pc *= y
    loss += pc
    np.negative(loss, out=loss)
    return loss


def categorical_cross_entropy(probs, y, eps=1e-8):
    q = _prob_copy(probs)
    t = _targets(y, *q.shape)
    np.clip(q, eps, 1 - eps, out=q)
    np.log(q, out=q)
    q *= t
    out = q.sum(axis=1)
    out *= -1.0
    return out


def batch_mean(losses):
    v = _copy(losses, "losses")
    if v.ndim != 1 or v.size == 0:
        raise ValueError("losses must be a non-empty 1-D batch")
    v /= v.size
    return float(v.sum())


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _pair_copies(batch_means, batch_sizes, "batch_means", "batch_sizes")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    total = sizes.sum()
    means *= sizes
    return float(means.sum() / total)


def mse_grad(y_hat, y):
    d, y = _pair_copies(y_hat, y, "y_hat", "y", (1, 2))
    d -= y
    d *= 2.0 / d.size
    return d


def bce_grad(p, y, eps=1e-8):
    pc, y = _binary_copies(p, y)
    np.clip(pc, eps, 1 - eps, out=pc)
    num = pc - y
    pc *= 1.0 - pc
    num /= pc
    num /= num.shape[0]
    return num


def cce_grad(probs, y, eps=1e-8):
    q = _prob_copy(probs)
    t = _targets(y, *q.shape)
    np.clip(q, eps, 1 - eps, out=q)
    np.divide(t, q, out=q)
    q *= -1.0 / q.shape[0]
    return q


def sigmoid(z):
    out = _copy(z, "z")
    e = np.exp(-np.abs(out))
    pos = out >= 0
    out[pos] = 1.0 / (1.0 + e[pos])
    out[~pos] = e[~pos] / (1.0 + e[~pos])
    return out


def softmax(z):
    out = _copy(z, "z")
    if out.ndim not in (1, 2) or out.size == 0:
        raise ValueError("z must be a non-empty (K,) or (m, K) array")
    out -= out.max(axis=-1, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=-1, keepdims=True)
    return out


def bce_with_logits(z, y):
    z, y = _pair_copies(z, y, "z", "y")
    a = np.abs(z)
    np.negative(a, out=a)
    np.exp(a, out=a)
    np.log1p(a, out=a)
    a += np.maximum(z, 0.0)
    z *= y
    a -= z
    return float(a.mean())


def bce_with_logits_grad(z, y):
    z, y = _pair_copies(z, y, "z", "y")
    s = sigmoid(z)
    s -= y
    s /= s.shape[0]
    return s


def _logit_copy(logits):
    z = _copy(logits, "logits")
    if z.ndim != 2 or z.size == 0:
        raise ValueError("logits must be a non-empty (m, K) matrix")
    return z


def softmax_cross_entropy(logits, y):
    z = _logit_copy(logits)
    t = _targets(y, *z.shape)
    picked = (t * z).sum(axis=1)
    top = z.max(axis=1)
    z -= top[:, None]
    np.exp(z, out=z)
    lse = np.log(z.sum(axis=1))
    lse += top
    lse -= picked
    return float(lse.mean())


def softmax_cross_entropy_grad(logits, y):
    z = _logit_copy(logits)
    t = _targets(y, *z.shape)
    s = softmax(z)
    s -= t
    s /= s.shape[0]
    return s


def sgd_step(w, grad, lr):
    new, grad = _copy(w, "w"), _copy(grad, "grad")
    if new.shape != grad.shape:
        raise ValueError("w and grad must have the same shape")
    if not lr > 0:
        raise ValueError("lr must be positive")
    grad *= lr
    new -= grad
    return new


def linear_regression_step(X, y, w, b, lr):
    X, w = _copy(X, "X"), _copy(w, "w")
    if X.ndim != 2 or X.size == 0 or w.shape != (X.shape[1],):
        raise ValueError("X must be a non-empty (m, d) matrix and w a (d,) vector")
    if not lr > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w
    y_hat += b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w -= lr * (X.T @ g)
    return w, float(b - lr * g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _pair_copies(p, y, "p", "y")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not ((y == 0) | (y == 1)).all():
        raise ValueError("y must hold 0/1 labels")
    hits = (p >= threshold) == (y == 1)
    return float(hits.sum() / hits.size)


def loss_for_output(activation):
    pairs = dict(identity="mse", linear="mse", sigmoid="bce", softmax="cce")
    if isinstance(activation, str) and activation.lower() in pairs:
        return pairs[activation.lower()]
    raise ValueError(f"unknown output activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train, val = _pair_copies(train_losses, val_losses, "train_losses", "val_losses")
    if np.isnan(val).any():
        raise ValueError("NaN in the validation curve")
    order = np.argsort(val, kind="stable")
    return int(order[0])
'''

STYLES = {
    "plain-python-loops": STYLE_LOOPS,
    "logaddexp": STYLE_LOGADDEXP,
    "tanh-sigmoid-log1p": STYLE_TANH,
    "take-along-axis": STYLE_TAKE_ALONG,
    "numpy-float64-scalars": STYLE_NUMPY_SCALARS,
    "einsum-eye-one-hot": STYLE_EINSUM,
    "in-place-on-copies": STYLE_INPLACE_COPIES,
}


def load_student(source: str) -> dict:
    namespace = {"__name__": "student"}
    exec(compile(source, "student.py", "exec"), namespace)
    return namespace


@functools.cache
def probes_for(seed: int):
    return make_probes(seed)


@functools.cache
def diagnoser_for(seed: int) -> Diagnoser:
    return Diagnoser(probes_for(seed))


def failures(result) -> str:
    lines = [f"  {c.name}: {c.detail} {c.mistakes or ''}".rstrip()
             for c in result.checks if not c.passed]
    return "\n".join(lines) or "  (no failed check)"


@pytest.mark.parametrize("style", sorted(STYLES))
def test_style_module_is_a_self_contained_submission(style):
    """Each alternative defines the 22 contract functions and leans on neither
    the reference nor the grader."""
    source = STYLES[style]
    tree = ast.parse(source)
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert set(CONTRACT_FUNCTIONS) <= defined, sorted(set(CONTRACT_FUNCTIONS) - defined)
    assert set(CONTRACT_FUNCTIONS) == set(FUNCTIONS)
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported <= {"math", "numpy"}, imported
    namespace = load_student(source)
    assert all(callable(namespace[name]) for name in CONTRACT_FUNCTIONS)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("style", sorted(STYLES))
def test_correct_alternative_style_gets_full_marks(style, seed):
    probes = probes_for(seed)
    result = grade(InProcessHandle(load_student(STYLES[style])), probes, diagnoser_for(seed))
    assert result.max_score == 100
    assert result.score == 100, (
        f"style {style!r}, seed {seed}: {result.score}/100; failed checks:\n{failures(result)}")
    assert all(c.passed for c in result.checks), failures(result)
    assert result.mistakes == [], f"style {style!r} was told it made {result.mistakes}"
    for name, f in result.functions.items():
        assert f.implemented and f.score == f.max_score and not f.mistakes, (name, f)


def test_numpy_scalar_style_really_returns_numpy_scalars():
    """The np.float64 style is tested for what it claims: its scalars are
    np.float64 (not float) and best_epoch gives a numpy integer."""
    ns = load_student(STYLE_NUMPY_SCALARS)
    assert type(ns["mse"]([1.2], [2.4])) is np.float64
    assert type(ns["batch_mean"]([1.0, 2.0])) is np.float64
    assert type(ns["accuracy"]([0.9, 0.1], [1.0, 1.0])) is np.float64
    w, b, loss = ns["linear_regression_step"](np.eye(2), np.ones(2), np.zeros(2), 0.0, 0.1)
    assert type(b) is np.float64 and type(loss) is np.float64
    assert isinstance(ns["best_epoch"]([1, 2], [2, 1]), np.integer)


# ===========================================================================
# Part 2: results that claim equality with anything earn nothing
# ===========================================================================

class LyingFloat(float):
    """float() gives the right number, but it equals, and is close to, anything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__

    def __sub__(self, other):
        return LyingFloat(0.0)

    def __rsub__(self, other):
        return LyingFloat(0.0)

    def __abs__(self):
        return LyingFloat(0.0)

    def __lt__(self, other):
        return False

    def __le__(self, other):
        return True

    def __gt__(self, other):
        return False

    def __ge__(self, other):
        return True

    def __float__(self):
        return float.__float__(self)


class LyingArray(np.ndarray):
    """A view of the right result whose comparisons all say "equal" and whose
    differences are all zero."""

    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)

    def __ne__(self, other):
        return np.zeros(self.shape, dtype=bool)

    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [x.view(np.ndarray) if isinstance(x, LyingArray) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(o.view(np.ndarray) if isinstance(o, LyingArray) else o
                                  for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
            return np.ones(np.shape(result), dtype=bool)
        if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
            return np.zeros(np.shape(result), dtype=bool)
        if ufunc in (np.subtract, np.absolute):
            return np.zeros(np.shape(result)).view(LyingArray)
        if isinstance(result, np.ndarray) and type(result) is np.ndarray:
            return result.view(LyingArray)
        return result


class ArrayLikeLiar:
    """Not an array at all: it converts to the right array through __array__
    but claims equality with anything, also through numpy's ufuncs."""

    def __init__(self, value):
        self._value = np.array(value, dtype=np.float64)

    def __array__(self, dtype=None, copy=None):
        return np.array(self._value, dtype=dtype)

    @property
    def shape(self):
        return self._value.shape

    @property
    def dtype(self):
        return self._value.dtype

    def __len__(self):
        return len(self._value)

    def __float__(self):
        return float(self._value)

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = None

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc in (np.equal, np.less_equal, np.greater_equal, np.isfinite):
            return True
        if ufunc in (np.not_equal, np.less, np.greater, np.isnan, np.isinf):
            return False
        return ArrayLikeLiar(np.zeros(self._value.shape))


class LyingInt(int):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = int.__hash__


class LyingStr(str):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__

    def lower(self):
        return self

    def __contains__(self, item):
        return True


class LyingTuple(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = tuple.__hash__


def _as_lying_array(value):
    return np.array(value, dtype=np.float64).view(LyingArray)


LIARS = {
    "float-subclass": lambda v: LyingFloat(float(v)),
    "ndarray-subclass": _as_lying_array,
    "array-like-object": ArrayLikeLiar,
    "int-subclass": lambda v: LyingInt(int(v)),
    "str-subclass": lambda v: LyingStr(v),
    "tuple-of-liars": lambda v: (_as_lying_array(v[0]), LyingFloat(v[1]), LyingFloat(v[2])),
    "tuple-subclass": lambda v: LyingTuple(v),
}

# what to return when the honest function raises: the liar answers every call
FALLBACK = {
    "float-subclass": 0.0, "ndarray-subclass": np.zeros(0), "array-like-object": np.zeros(0),
    "int-subclass": 0, "str-subclass": "mse",
    "tuple-of-liars": (np.zeros(0), 0.0, 0.0), "tuple-subclass": (np.zeros(0), 0.0, 0.0),
}

CASES = [
    ("mse", "float-subclass"),
    ("bce", "float-subclass"),
    ("batch_mean", "float-subclass"),
    ("bce_with_logits", "float-subclass"),
    ("squared_error", "ndarray-subclass"),
    ("mse_grad", "ndarray-subclass"),
    ("softmax", "ndarray-subclass"),
    ("sigmoid", "ndarray-subclass"),
    ("squared_error", "array-like-object"),
    ("mse_grad", "array-like-object"),
    ("softmax", "array-like-object"),
    ("mse", "array-like-object"),
    ("best_epoch", "int-subclass"),
    ("loss_for_output", "str-subclass"),
    ("linear_regression_step", "tuple-of-liars"),
    ("linear_regression_step", "tuple-subclass"),
]


@functools.cache
def reference_callers() -> dict[str, set[str]]:
    """For every contract function, the contract functions that call it,
    directly or through others, in the reference (they run the replaced
    function in the reference namespace, so they may lose points too)."""
    tree = ast.parse(REFERENCE.read_text())
    calls: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            calls[node.name] = {n.func.id for n in ast.walk(node)
                                if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                                and n.func.id in FUNCTIONS and n.func.id != node.name}
    callers: dict[str, set[str]] = {name: set() for name in FUNCTIONS}
    changed = True
    while changed:
        changed = False
        for caller, callees in calls.items():
            for callee in callees:
                new = {caller} | callers[caller]
                if not new <= callers[callee]:
                    callers[callee] |= new
                    changed = True
    return callers


def namespace_with_liar(function: str, liar: str) -> dict:
    namespace = reference_namespace()
    honest = namespace[function]
    wrap, fallback = LIARS[liar], FALLBACK[liar]

    def lying(*args, **kwargs):
        try:
            value = honest(*args, **kwargs)
        except Exception:
            value = fallback
        return wrap(value)

    namespace[function] = lying
    return namespace


def namespace_with_honest_wrapper(function: str) -> dict:
    namespace = reference_namespace()
    honest = namespace[function]
    namespace[function] = lambda *args, **kwargs: honest(*args, **kwargs)
    return namespace


def test_the_liars_really_lie():
    """The test objects do what they claim, so a zero below means something."""
    x = LyingFloat(1.44)
    assert x == 99.0 and not (x != 99.0) and abs(x - 99.0) <= 1e-12 and float(x) == 1.44
    assert type(float(x)) is float
    a = _as_lying_array([1.0, 2.0])
    assert np.all(a == np.array([5.0, 6.0])) and np.allclose(a, [5.0, 6.0])
    assert np.array_equal(np.asarray(a), [1.0, 2.0])
    o = ArrayLikeLiar([1.0, 2.0])
    assert o == [7.0] and np.array_equal(np.asarray(o), [1.0, 2.0])
    assert LyingInt(3) == 0 and int(LyingInt(3)) == 3
    assert LyingStr("bce") == "mse" and str.__str__(LyingStr("bce")) == "bce"
    assert LyingTuple((1, 2)) == (3, 4, 5)
    assert reference_callers()["mse"] == {"linear_regression_step"}
    assert reference_callers()["squared_error"] == {"mse", "linear_regression_step"}


@pytest.mark.parametrize("function, liar", CASES)
def test_result_claiming_equality_with_anything_earns_nothing(function, liar):
    seed = SEEDS[0]
    probes = probes_for(seed)
    result = grade(InProcessHandle(namespace_with_liar(function, liar)), probes, diagnoser_for(seed))
    own = result.functions[function]
    assert own.max_score > 0
    assert own.score == 0, (
        f"{function} returning a {liar} kept {own.score}/{own.max_score} points; passed checks: "
        + ", ".join(c.name for c in result.checks if c.function == function and c.passed))
    dependents = reference_callers()[function]
    independent = [name for name in FUNCTIONS if name != function and name not in dependents]
    assert len(independent) >= len(FUNCTIONS) - 5, dependents
    kept = {name: (result.functions[name].score, result.functions[name].max_score)
            for name in independent}
    lost = {name: s for name, s in kept.items() if s[0] != s[1]}
    assert not lost, f"functions that do not call {function} lost points: {lost}\n{failures(result)}"
    expected_total = sum(s[1] for s in kept.values())
    assert sum(s[0] for s in kept.values()) == expected_total
    assert result.score <= 100 - own.max_score


@pytest.mark.parametrize("function", sorted({f for f, _ in CASES}))
def test_honest_wrapper_keeps_full_marks(function):
    """Control: the same wrapping returning the honest (exact-type) value loses nothing."""
    seed = SEEDS[0]
    result = grade(InProcessHandle(namespace_with_honest_wrapper(function)), probes_for(seed),
                   diagnoser_for(seed))
    assert result.score == 100, failures(result)
