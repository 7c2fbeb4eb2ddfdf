# corpus: full-module
# expect: correct
# style: plain Python loops with the math module, numpy only to read inputs and return arrays
"""Module 01 exercises, written with loops so I can see every step."""
import math

import numpy as np

EPS = 1e-8


def _to_array(x, name):
    try:
        return np.array(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _same_shape(a, b, na, nb):
    if a.shape != b.shape:
        raise ValueError(f"{na} has shape {a.shape} but {nb} has shape {b.shape}")


def _nonempty(a, name, ndims):
    if a.ndim not in ndims:
        raise ValueError(f"{name} must have {ndims} dimensions, got shape {a.shape}")
    if a.size == 0:
        raise ValueError(f"{name} is an empty batch")


def _clip(v, eps):
    if math.isnan(v):
        return v
    return min(max(v, eps), 1 - eps)


def _log(v):
    return math.log(v) if not math.isnan(v) else math.nan


def _labels_to_targets(y, m, k):
    y = _to_array(y, "y")
    if y.shape == (m, k):
        return [list(row) for row in y]
    if y.shape != (m,):
        raise ValueError(f"y must be ({m},) labels or ({m}, {k}) targets, got {y.shape}")
    rows = []
    for label in y:
        if math.isnan(label) or label != math.floor(label):
            raise ValueError(f"label {label} is not a whole number")
        if not 0 <= label < k:
            raise ValueError(f"label {label} is outside [0, {k})")
        row = [0.0] * k
        row[int(label)] = 1.0
        rows.append(row)
    return rows


def _check_distributions(P, hint):
    for row in P:
        total = 0.0
        for v in row:
            if v < 0:
                raise ValueError(f"negative probability: these look like logits, use {hint}")
            total += v
        if not abs(total - 1.0) <= 1e-6:
            raise ValueError(f"a row sums to {total}, not 1: logits? use {hint}")


# Part 1 ----------------------------------------------------------------------

def squared_error(y_hat, y):
    a = _to_array(y_hat, "y_hat")
    b = _to_array(y, "y")
    _same_shape(a, b, "y_hat", "y")
    _nonempty(a, "y_hat", (1, 2))
    out = []
    for row_a, row_b in zip(a.reshape(len(a), -1), b.reshape(len(b), -1)):
        errs = [(u - v) ** 2 for u, v in zip(row_a, row_b)]
        out.append(sum(errs) / len(errs))
    return np.array(out, dtype=np.float64)


def binary_cross_entropy(p, y, eps=EPS):
    p = _to_array(p, "p")
    y = _to_array(y, "y")
    _same_shape(p, y, "p", "y")
    _nonempty(p, "p", (1,))
    out = []
    for pi, yi in zip(p, y):
        if pi < 0 or pi > 1:
            raise ValueError(f"p = {pi} is not a probability (logits? use bce_with_logits)")
        if yi < 0 or yi > 1:
            raise ValueError(f"target {yi} outside [0, 1]")
        pc = _clip(pi, eps)
        out.append(-(yi * _log(pc) + (1 - yi) * _log(1 - pc)))
    return np.array(out, dtype=np.float64)


def categorical_cross_entropy(probs, y, eps=EPS):
    P = _to_array(probs, "probs")
    _nonempty(P, "probs", (2,))
    m, k = P.shape
    _check_distributions(P, "softmax_cross_entropy")
    T = _labels_to_targets(y, m, k)
    out = []
    for row_p, row_t in zip(P, T):
        total = 0.0
        for pk, tk in zip(row_p, row_t):
            total += tk * _log(_clip(pk, eps))
        out.append(-total)
    return np.array(out, dtype=np.float64)


# Part 2 ----------------------------------------------------------------------

def batch_mean(losses):
    v = _to_array(losses, "losses")
    _nonempty(v, "losses", (1,))
    total = 0.0
    for x in v:
        total += x
    return float(total / len(v))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=EPS):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=EPS):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means = _to_array(batch_means, "batch_means")
    sizes = _to_array(batch_sizes, "batch_sizes")
    _same_shape(means, sizes, "batch_means", "batch_sizes")
    _nonempty(means, "batch_means", (1,))
    weighted, count = 0.0, 0.0
    for mean_b, size_b in zip(means, sizes):
        if not size_b > 0:
            raise ValueError(f"batch size {size_b} is not positive")
        weighted += mean_b * size_b
        count += size_b
    return float(weighted / count)


# Part 3 ----------------------------------------------------------------------

def mse_grad(y_hat, y):
    a = _to_array(y_hat, "y_hat")
    b = _to_array(y, "y")
    _same_shape(a, b, "y_hat", "y")
    _nonempty(a, "y_hat", (1, 2))
    n = a.size
    flat = [2.0 * (u - v) / n for u, v in zip(a.ravel(), b.ravel())]
    return np.array(flat, dtype=np.float64).reshape(a.shape)


def bce_grad(p, y, eps=EPS):
    p = _to_array(p, "p")
    y = _to_array(y, "y")
    _same_shape(p, y, "p", "y")
    _nonempty(p, "p", (1,))
    m = len(p)
    out = []
    for pi, yi in zip(p, y):
        if pi < 0 or pi > 1:
            raise ValueError(f"p = {pi} is not a probability (logits? use bce_with_logits_grad)")
        pc = _clip(pi, eps)
        out.append((pc - yi) / (pc * (1 - pc)) / m)
    return np.array(out, dtype=np.float64)


def cce_grad(probs, y, eps=EPS):
    P = _to_array(probs, "probs")
    _nonempty(P, "probs", (2,))
    m, k = P.shape
    _check_distributions(P, "softmax_cross_entropy_grad")
    T = _labels_to_targets(y, m, k)
    out = [[-tk / _clip(pk, eps) / m for pk, tk in zip(row_p, row_t)] for row_p, row_t in zip(P, T)]
    return np.array(out, dtype=np.float64).reshape(m, k)


# Part 4 ----------------------------------------------------------------------

def _sigmoid_scalar(v):
    if math.isnan(v):
        return math.nan
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid(z):
    z = _to_array(z, "z")
    out = [_sigmoid_scalar(v) for v in z.ravel()]
    return np.array(out, dtype=np.float64).reshape(z.shape)


def _softmax_row(row):
    if any(math.isnan(v) for v in row):
        return [math.nan] * len(row)
    top = max(row)
    exps = [math.exp(v - top) for v in row]
    s = sum(exps)
    return [e / s for e in exps]


def softmax(z):
    z = _to_array(z, "z")
    _nonempty(z, "z", (1, 2))
    if z.ndim == 1:
        return np.array(_softmax_row(list(z)), dtype=np.float64)
    return np.array([_softmax_row(list(r)) for r in z], dtype=np.float64).reshape(z.shape)


def _softplus_neg_abs(v):
    return math.log1p(math.exp(-abs(v)))


def bce_with_logits(z, y):
    z = _to_array(z, "z")
    y = _to_array(y, "y")
    _same_shape(z, y, "z", "y")
    _nonempty(z, "z", (1,))
    total = 0.0
    for zi, yi in zip(z, y):
        if math.isnan(zi):
            total += math.nan
            continue
        total += max(zi, 0.0) - zi * yi + _softplus_neg_abs(zi)
    return float(total / len(z))


def bce_with_logits_grad(z, y):
    z = _to_array(z, "z")
    y = _to_array(y, "y")
    _same_shape(z, y, "z", "y")
    _nonempty(z, "z", (1,))
    m = len(z)
    return np.array([(_sigmoid_scalar(zi) - yi) / m for zi, yi in zip(z, y)], dtype=np.float64)


def _logsumexp_row(row):
    if any(math.isnan(v) for v in row):
        return math.nan
    top = max(row)
    return top + math.log(sum(math.exp(v - top) for v in row))


def softmax_cross_entropy(logits, y):
    Z = _to_array(logits, "logits")
    _nonempty(Z, "logits", (2,))
    m, k = Z.shape
    T = _labels_to_targets(y, m, k)
    total = 0.0
    for row_z, row_t in zip(Z, T):
        lse = _logsumexp_row(list(row_z))
        dot = sum(t * v for t, v in zip(row_t, row_z) if t != 0) if not math.isnan(lse) else math.nan
        total += lse - dot
    return float(total / m)


def softmax_cross_entropy_grad(logits, y):
    Z = _to_array(logits, "logits")
    _nonempty(Z, "logits", (2,))
    m, k = Z.shape
    T = _labels_to_targets(y, m, k)
    rows = []
    for row_z, row_t in zip(Z, T):
        p = _softmax_row(list(row_z))
        rows.append([(pk - tk) / m for pk, tk in zip(p, row_t)])
    return np.array(rows, dtype=np.float64).reshape(m, k)


# Part 5 ----------------------------------------------------------------------

def sgd_step(w, grad, lr):
    w = _to_array(w, "w")
    g = _to_array(grad, "grad")
    _same_shape(w, g, "w", "grad")
    lr = float(lr)
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr}")
    flat = [wi - lr * gi for wi, gi in zip(w.ravel(), g.ravel())]
    return np.array(flat, dtype=np.float64).reshape(w.shape)


def linear_regression_step(X, y, w, b, lr):
    X = _to_array(X, "X")
    y = _to_array(y, "y")
    w = _to_array(w, "w")
    _nonempty(X, "X", (2,))
    m, d = X.shape
    if w.shape != (d,):
        raise ValueError(f"w must have shape ({d},), got {w.shape}")
    if y.shape != (m,):
        raise ValueError(f"y must have shape ({m},), got {y.shape}")
    b = float(b)
    y_hat = [sum(X[i, j] * w[j] for j in range(d)) + b for i in range(m)]
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    grad_w = [sum(X[i, j] * g[i] for i in range(m)) for j in range(d)]
    w_new = sgd_step(w, grad_w, lr)
    b_new = b - float(lr) * sum(g)
    return w_new, float(b_new), loss


# Part 6 ----------------------------------------------------------------------

def accuracy(p, y, threshold=0.5):
    p = _to_array(p, "p")
    y = _to_array(y, "y")
    _same_shape(p, y, "p", "y")
    _nonempty(p, "p", (1,))
    if math.isnan(threshold):
        raise ValueError("threshold is NaN")
    hits = 0
    for pi, yi in zip(p, y):
        if math.isnan(pi):
            raise ValueError("NaN prediction")
        if yi not in (0.0, 1.0):
            raise ValueError(f"label {yi} is not 0 or 1")
        hits += int((1.0 if pi >= threshold else 0.0) == yi)
    return hits / len(p)


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    name = activation.lower()
    if name in ("identity", "linear"):
        return "mse"
    if name == "sigmoid":
        return "bce"
    if name == "softmax":
        return "cce"
    raise ValueError(f"unknown activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train = _to_array(train_losses, "train_losses")
    val = _to_array(val_losses, "val_losses")
    _same_shape(train, val, "train_losses", "val_losses")
    _nonempty(val, "val_losses", (1,))
    best = None
    for i, (t, v) in enumerate(zip(train, val)):
        if math.isnan(t) or math.isnan(v):
            raise ValueError("NaN loss: training diverged")
        if best is None or v < val[best]:
            best = i
    return best
