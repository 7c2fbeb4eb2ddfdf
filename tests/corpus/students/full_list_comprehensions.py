# corpus: full-module
# expect: correct
# style: list comprehensions and zip over rows, sum()/len(), numpy only at the edges
import math

import numpy as np


def _num(x, name):
    try:
        return np.array(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must contain numbers") from None


def _batch(a, name, dims=(1,)):
    if a.ndim not in dims or a.size == 0:
        raise ValueError(f"{name}: need a non-empty batch with ndim in {dims}, got {a.shape}")


def _same(a, b, na, nb):
    if a.shape != b.shape:
        raise ValueError(f"{na} {a.shape} does not match {nb} {b.shape}")


def _clip(v, eps):
    return v if math.isnan(v) else min(max(v, eps), 1 - eps)


def _nlog(v):
    return math.nan if math.isnan(v) else -math.log(v)


def _onehots(y, m, k):
    y = _num(y, "y")
    if y.shape == (m, k):
        return y.tolist()
    if y.shape != (m,):
        raise ValueError(f"y must be ({m},) or ({m}, {k})")
    if any(math.isnan(v) or not v.is_integer() for v in y.tolist()):
        raise ValueError("labels must be whole numbers")
    if any(v < 0 or v >= k for v in y.tolist()):
        raise ValueError(f"labels must be in [0, {k})")
    return [[1.0 if j == int(v) else 0.0 for j in range(k)] for v in y.tolist()]


def _rows_ok(P, hint):
    if any(v < 0 for row in P for v in row) or any(not abs(sum(row) - 1) <= 1e-6 for row in P):
        raise ValueError(f"probs rows must be distributions (logits? use {hint})")


def squared_error(y_hat, y):
    a, b = _num(y_hat, "y_hat"), _num(y, "y")
    _same(a, b, "y_hat", "y")
    _batch(a, "y_hat", (1, 2))
    if a.ndim == 1:
        return np.array([(u - v) ** 2 for u, v in zip(a.tolist(), b.tolist())])
    return np.array([sum((u - v) ** 2 for u, v in zip(ra, rb)) / len(ra)
                     for ra, rb in zip(a.tolist(), b.tolist())])


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _num(p, "p"), _num(y, "y")
    _same(p, y, "p", "y")
    _batch(p, "p")
    if any(v < 0 or v > 1 for v in p.tolist()):
        raise ValueError("p must be probabilities; logits need bce_with_logits")
    if any(v < 0 or v > 1 for v in y.tolist()):
        raise ValueError("y must be in [0, 1]")
    pcs = [_clip(v, eps) for v in p.tolist()]
    return np.array([t * _nlog(q) + (1 - t) * _nlog(1 - q) for q, t in zip(pcs, y.tolist())])


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _num(probs, "probs")
    _batch(P, "probs", (2,))
    rows = P.tolist()
    _rows_ok(rows, "softmax_cross_entropy")
    T = _onehots(y, *P.shape)
    return np.array([sum(t * _nlog(_clip(q, eps)) for q, t in zip(rp, rt)) for rp, rt in zip(rows, T)])


def batch_mean(losses):
    v = _num(losses, "losses")
    _batch(v, "losses")
    return sum(v.tolist()) / len(v)


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    mu, n = _num(batch_means, "batch_means"), _num(batch_sizes, "batch_sizes")
    _same(mu, n, "batch_means", "batch_sizes")
    _batch(mu, "batch_means")
    if not all(s > 0 for s in n.tolist()):
        raise ValueError("batch sizes must be positive")
    return sum(a * s for a, s in zip(mu.tolist(), n.tolist())) / sum(n.tolist())


def mse_grad(y_hat, y):
    a, b = _num(y_hat, "y_hat"), _num(y, "y")
    _same(a, b, "y_hat", "y")
    _batch(a, "y_hat", (1, 2))
    n = a.size
    return np.array([2 * (u - v) / n for u, v in zip(a.ravel().tolist(), b.ravel().tolist())]).reshape(a.shape)


def bce_grad(p, y, eps=1e-8):
    p, y = _num(p, "p"), _num(y, "y")
    _same(p, y, "p", "y")
    _batch(p, "p")
    if any(v < 0 or v > 1 for v in p.tolist()):
        raise ValueError("p must be probabilities; logits need bce_with_logits_grad")
    m = len(p)
    qs = [_clip(v, eps) for v in p.tolist()]
    return np.array([(q - t) / (q * (1 - q)) / m for q, t in zip(qs, y.tolist())])


def cce_grad(probs, y, eps=1e-8):
    P = _num(probs, "probs")
    _batch(P, "probs", (2,))
    rows = P.tolist()
    _rows_ok(rows, "softmax_cross_entropy_grad")
    T = _onehots(y, *P.shape)
    m = len(rows)
    return np.array([[-t / _clip(q, eps) / m for q, t in zip(rp, rt)] for rp, rt in zip(rows, T)])


def _sig(v):
    if math.isnan(v):
        return v
    if v < 0:
        e = math.exp(v)
        return e / (1 + e)
    return 1 / (1 + math.exp(-v))


def sigmoid(z):
    z = _num(z, "z")
    return np.array([_sig(v) for v in z.ravel().tolist()], dtype=float).reshape(z.shape)


def _softmax_list(row):
    top = max(row) if not any(math.isnan(v) for v in row) else math.nan
    if math.isnan(top):
        return [math.nan for _ in row]
    ex = [math.exp(v - top) for v in row]
    s = sum(ex)
    return [e / s for e in ex]


def softmax(z):
    z = _num(z, "z")
    _batch(z, "z", (1, 2))
    if z.ndim == 1:
        return np.array(_softmax_list(z.tolist()))
    return np.array([_softmax_list(r) for r in z.tolist()])


def bce_with_logits(z, y):
    z, y = _num(z, "z"), _num(y, "y")
    _same(z, y, "z", "y")
    _batch(z, "z")
    terms = [max(a, 0) - a * t + math.log1p(math.exp(-abs(a))) if not math.isnan(a) else math.nan
             for a, t in zip(z.tolist(), y.tolist())]
    return sum(terms) / len(terms)


def bce_with_logits_grad(z, y):
    z, y = _num(z, "z"), _num(y, "y")
    _same(z, y, "z", "y")
    _batch(z, "z")
    m = len(z)
    return np.array([(_sig(a) - t) / m for a, t in zip(z.tolist(), y.tolist())])


def softmax_cross_entropy(logits, y):
    Z = _num(logits, "logits")
    _batch(Z, "logits", (2,))
    T = _onehots(y, *Z.shape)
    losses = []
    for rz, rt in zip(Z.tolist(), T):
        if any(math.isnan(v) for v in rz):
            losses.append(math.nan)
            continue
        top = max(rz)
        lse = top + math.log(sum(math.exp(v - top) for v in rz))
        losses.append(lse - sum(t * v for t, v in zip(rt, rz)))
    return sum(losses) / len(losses)


def softmax_cross_entropy_grad(logits, y):
    Z = _num(logits, "logits")
    _batch(Z, "logits", (2,))
    T = _onehots(y, *Z.shape)
    m = len(Z)
    return np.array([[(p - t) / m for p, t in zip(_softmax_list(rz), rt)] for rz, rt in zip(Z.tolist(), T)])


def sgd_step(w, grad, lr):
    w, g = _num(w, "w"), _num(grad, "grad")
    _same(w, g, "w", "grad")
    if not lr > 0:
        raise ValueError("lr must be positive")
    return np.array([a - lr * b for a, b in zip(w.ravel().tolist(), g.ravel().tolist())]).reshape(w.shape)


def linear_regression_step(X, y, w, b, lr):
    X, w = _num(X, "X"), _num(w, "w")
    _batch(X, "X", (2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w must have one weight per feature")
    y_hat = [sum(x * wj for x, wj in zip(row, w.tolist())) + b for row in X.tolist()]
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y).tolist()
    grad_w = [sum(row[j] * gi for row, gi in zip(X.tolist(), g)) for j in range(X.shape[1])]
    return sgd_step(w, grad_w, lr), float(b - lr * sum(g)), loss


def accuracy(p, y, threshold=0.5):
    p, y = _num(p, "p"), _num(y, "y")
    _same(p, y, "p", "y")
    _batch(p, "p")
    if math.isnan(threshold) or any(math.isnan(v) for v in p.tolist()):
        raise ValueError("NaN prediction or threshold")
    if any(t not in (0.0, 1.0) for t in y.tolist()):
        raise ValueError("labels must be 0 or 1")
    return sum(float(q >= threshold) == t for q, t in zip(p.tolist(), y.tolist())) / len(p)


def loss_for_output(activation):
    pairs = [("identity", "mse"), ("linear", "mse"), ("sigmoid", "bce"), ("softmax", "cce")]
    found = [loss for act, loss in pairs if isinstance(activation, str) and act == activation.lower()]
    if not found:
        raise ValueError(f"unknown activation {activation!r}")
    return found[0]


def best_epoch(train_losses, val_losses):
    tr, va = _num(train_losses, "train_losses"), _num(val_losses, "val_losses")
    _same(tr, va, "train_losses", "val_losses")
    _batch(va, "val_losses")
    if any(math.isnan(v) for v in tr.tolist() + va.tolist()):
        raise ValueError("NaN in the loss curves")
    vals = va.tolist()
    return [i for i, v in enumerate(vals) if v == min(vals)][0]
