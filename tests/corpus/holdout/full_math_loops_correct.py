# corpus: full-module
# expect: correct
# style: pure-Python loops with the math module (math.log / math.exp / math.log1p), numpy only to read inputs and wrap outputs
"""Module 01 - loss functions, written with plain loops so I can see every step."""
import math

import numpy as np


def _arr(x, name):
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric") from None


def _same(a, b, na, nb):
    if a.shape != b.shape:
        raise ValueError(f"{na} has shape {a.shape} but {nb} has shape {b.shape}; they must be equal")


def _nonempty(a, name, dims):
    if a.ndim not in dims:
        raise ValueError(f"{name} has {a.ndim} dimensions, expected one of {dims}")
    if a.size == 0:
        raise ValueError(f"{name} is empty")


def _mean(values):
    total = 0.0
    count = 0
    for v in values:
        total += v
        count += 1
    return total / count


def _clip(v, eps):
    return min(max(v, eps), 1.0 - eps) if v == v else v


def _check_probs_1d(p, y):
    for v in p:
        if v < 0.0 or v > 1.0:
            raise ValueError("p has a value outside [0, 1]; logits must go to bce_with_logits")
    for v in y:
        if v < 0.0 or v > 1.0:
            raise ValueError("y has a value outside [0, 1]")


def _check_rows(P):
    for row in P:
        s = 0.0
        for v in row:
            if v < 0.0:
                raise ValueError("probs has a negative entry; logits must go to softmax_cross_entropy")
            s += v
        if abs(s - 1.0) > 1e-6:
            raise ValueError("a row of probs does not sum to 1; logits must go to softmax_cross_entropy")


def _targets(y, m, k):
    y = _arr(y, "y")
    if y.shape == (m, k):
        return [[float(v) for v in row] for row in y]
    if y.shape != (m,):
        raise ValueError(f"y must have shape ({m},) or ({m}, {k}), got {y.shape}")
    rows = []
    for label in y:
        if label != label or label != math.floor(label):
            raise ValueError("labels must be whole numbers")
        if label < 0 or label >= k:
            raise ValueError(f"label {label} outside [0, {k})")
        row = [0.0] * k
        row[int(label)] = 1.0
        rows.append(row)
    return rows


def squared_error(y_hat, y):
    a, b = _arr(y_hat, "y_hat"), _arr(y, "y")
    _same(a, b, "y_hat", "y")
    _nonempty(a, "y_hat", (1, 2))
    if a.ndim == 1:
        return np.array([(p - t) ** 2 for p, t in zip(a.tolist(), b.tolist())], dtype=np.float64)
    out = []
    for row_p, row_t in zip(a.tolist(), b.tolist()):
        out.append(_mean([(p - t) ** 2 for p, t in zip(row_p, row_t)]))
    return np.array(out, dtype=np.float64)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _arr(p, "p"), _arr(y, "y")
    _same(p, y, "p", "y")
    _nonempty(p, "p", (1,))
    _check_probs_1d(p, y)
    out = []
    for pi, yi in zip(p.tolist(), y.tolist()):
        if pi != pi or yi != yi:
            out.append(math.nan)
            continue
        pc = _clip(pi, eps)
        out.append(-(yi * math.log(pc) + (1.0 - yi) * math.log(1.0 - pc)))
    return np.array(out, dtype=np.float64)


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _arr(probs, "probs")
    _nonempty(P, "probs", (2,))
    m, k = P.shape
    if np.isnan(P).any():
        raise ValueError("probs contains NaN")
    _check_rows(P)
    T = _targets(y, m, k)
    out = []
    for prow, trow in zip(P.tolist(), T):
        loss = 0.0
        for pk, tk in zip(prow, trow):
            if tk != 0.0:
                loss -= tk * math.log(_clip(pk, eps))
        out.append(loss)
    return np.array(out, dtype=np.float64)


def batch_mean(losses):
    L = _arr(losses, "losses")
    _nonempty(L, "losses", (1,))
    return float(_mean(L.tolist()))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _arr(batch_means, "batch_means"), _arr(batch_sizes, "batch_sizes")
    _same(means, sizes, "batch_means", "batch_sizes")
    _nonempty(means, "batch_means", (1,))
    weighted = 0.0
    count = 0.0
    for mu, n in zip(means.tolist(), sizes.tolist()):
        if not n > 0:
            raise ValueError("batch sizes must be positive")
        weighted += mu * n
        count += n
    return float(weighted / count)


def mse_grad(y_hat, y):
    a, b = _arr(y_hat, "y_hat"), _arr(y, "y")
    _same(a, b, "y_hat", "y")
    _nonempty(a, "y_hat", (1, 2))
    n = a.size
    flat = [2.0 * (p - t) / n for p, t in zip(a.ravel().tolist(), b.ravel().tolist())]
    return np.array(flat, dtype=np.float64).reshape(a.shape)


def bce_grad(p, y, eps=1e-8):
    p, y = _arr(p, "p"), _arr(y, "y")
    _same(p, y, "p", "y")
    _nonempty(p, "p", (1,))
    for v in p:
        if v < 0.0 or v > 1.0:
            raise ValueError("p outside [0, 1]; for logits use bce_with_logits_grad")
    m = len(p)
    out = []
    for pi, yi in zip(p.tolist(), y.tolist()):
        pc = _clip(pi, eps)
        out.append((pc - yi) / (pc * (1.0 - pc)) / m)
    return np.array(out, dtype=np.float64)


def cce_grad(probs, y, eps=1e-8):
    P = _arr(probs, "probs")
    _nonempty(P, "probs", (2,))
    m, k = P.shape
    if np.isnan(P).any():
        raise ValueError("probs contains NaN")
    _check_rows(P)
    T = _targets(y, m, k)
    G = [[-tk / _clip(pk, eps) / m for pk, tk in zip(prow, trow)] for prow, trow in zip(P.tolist(), T)]
    return np.array(G, dtype=np.float64).reshape(m, k)


def _sig1(v):
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


def sigmoid(z):
    Z = _arr(z, "z")
    vals = [_sig1(v) for v in Z.ravel().tolist()]
    return np.array(vals, dtype=np.float64).reshape(Z.shape)


def _softmax_row(row):
    top = max(row) if all(v == v for v in row) else math.nan
    if top != top:
        return [math.nan] * len(row)
    exps = [math.exp(v - top) for v in row]
    s = sum(exps)
    return [e / s for e in exps]


def softmax(z):
    Z = _arr(z, "z")
    _nonempty(Z, "z", (1, 2))
    if Z.ndim == 1:
        return np.array(_softmax_row(Z.tolist()), dtype=np.float64)
    return np.array([_softmax_row(r) for r in Z.tolist()], dtype=np.float64).reshape(Z.shape)


def bce_with_logits(z, y):
    Z, Y = _arr(z, "z"), _arr(y, "y")
    _same(Z, Y, "z", "y")
    _nonempty(Z, "z", (1,))
    losses = []
    for zi, yi in zip(Z.tolist(), Y.tolist()):
        if zi != zi:
            losses.append(math.nan)
            continue
        losses.append(max(zi, 0.0) - zi * yi + math.log1p(math.exp(-abs(zi))))
    return float(_mean(losses))


def bce_with_logits_grad(z, y):
    Z, Y = _arr(z, "z"), _arr(y, "y")
    _same(Z, Y, "z", "y")
    _nonempty(Z, "z", (1,))
    m = len(Z)
    return np.array([(_sig1(zi) - yi) / m for zi, yi in zip(Z.tolist(), Y.tolist())], dtype=np.float64)


def _logsumexp(row):
    top = max(row)
    return top + math.log(sum(math.exp(v - top) for v in row))


def softmax_cross_entropy(logits, y):
    Z = _arr(logits, "logits")
    _nonempty(Z, "logits", (2,))
    m, k = Z.shape
    T = _targets(y, m, k)
    losses = []
    for zrow, trow in zip(Z.tolist(), T):
        if any(v != v for v in zrow):
            losses.append(math.nan)
            continue
        losses.append(_logsumexp(zrow) - sum(t * v for t, v in zip(trow, zrow)))
    return float(_mean(losses))


def softmax_cross_entropy_grad(logits, y):
    Z = _arr(logits, "logits")
    _nonempty(Z, "logits", (2,))
    m, k = Z.shape
    T = _targets(y, m, k)
    G = []
    for zrow, trow in zip(Z.tolist(), T):
        s = _softmax_row(zrow)
        G.append([(sk - tk) / m for sk, tk in zip(s, trow)])
    return np.array(G, dtype=np.float64).reshape(m, k)


def sgd_step(w, grad, lr):
    W, G = _arr(w, "w"), _arr(grad, "grad")
    _same(W, G, "w", "grad")
    lr = float(lr)
    if not lr > 0:
        raise ValueError("lr must be positive")
    flat = [wi - lr * gi for wi, gi in zip(W.ravel().tolist(), G.ravel().tolist())]
    return np.array(flat, dtype=np.float64).reshape(W.shape)


def linear_regression_step(X, y, w, b, lr):
    X, Y, W = _arr(X, "X"), _arr(y, "y"), _arr(w, "w")
    _nonempty(X, "X", (2,))
    m, d = X.shape
    if W.shape != (d,):
        raise ValueError(f"w must have shape ({d},)")
    b = float(b)
    preds = []
    for row in X.tolist():
        preds.append(sum(xj * wj for xj, wj in zip(row, W.tolist())) + b)
    y_hat = np.array(preds, dtype=np.float64)
    loss = mse(y_hat, Y)
    g = mse_grad(y_hat, Y).tolist()
    grad_w = [sum(X[i, j] * g[i] for i in range(m)) for j in range(d)]
    w_new = sgd_step(W, grad_w, lr)
    b_new = b - float(lr) * sum(g)
    return w_new, float(b_new), float(loss)


def accuracy(p, y, threshold=0.5):
    P, Y = _arr(p, "p"), _arr(y, "y")
    _same(P, Y, "p", "y")
    _nonempty(P, "p", (1,))
    if threshold != threshold:
        raise ValueError("threshold is NaN")
    hits = 0
    for pi, yi in zip(P.tolist(), Y.tolist()):
        if pi != pi:
            raise ValueError("p contains NaN")
        if yi not in (0.0, 1.0):
            raise ValueError("y must be 0 or 1")
        hits += int((1.0 if pi >= threshold else 0.0) == yi)
    return hits / len(P)


def loss_for_output(activation):
    if isinstance(activation, str):
        key = activation.lower()
        if key == "identity" or key == "linear":
            return "mse"
        if key == "sigmoid":
            return "bce"
        if key == "softmax":
            return "cce"
    raise ValueError(f"unknown activation {activation!r}")


def best_epoch(train_losses, val_losses):
    tr, va = _arr(train_losses, "train_losses"), _arr(val_losses, "val_losses")
    _same(tr, va, "train_losses", "val_losses")
    _nonempty(va, "val_losses", (1,))
    best = 0
    for i, v in enumerate(va.tolist()):
        if v != v or tr[i] != tr[i]:
            raise ValueError("NaN in a loss curve")
        if v < va[best]:
            best = i
    return best
