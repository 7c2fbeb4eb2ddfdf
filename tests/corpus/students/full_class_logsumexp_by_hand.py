# corpus: full-module
# expect: correct
# style: a private class holds eps and the checks; module functions delegate to one instance; logsumexp by hand (no scipy)
import numpy as np


class _LossKit:
    """Everything shared by the losses: reading, checking, clipping."""

    def __init__(self, eps=1e-8, row_tol=1e-6):
        self.eps = eps
        self.row_tol = row_tol

    @staticmethod
    def read(x, name):
        try:
            return np.array(x, dtype=np.float64)          # a copy: nothing we do can touch the caller
        except (TypeError, ValueError):
            raise ValueError(f"{name} could not be read as numbers") from None

    def batch(self, x, name, ndims=(1,)):
        a = self.read(x, name)
        if a.ndim not in ndims:
            raise ValueError(f"{name}: expected ndim {ndims}, got shape {a.shape}")
        if a.shape[0] == 0 or a.size == 0:
            raise ValueError(f"{name}: empty batch")
        return a

    def pair(self, a, b, names, ndims=(1,)):
        a = self.batch(a, names[0], ndims)
        b = self.read(b, names[1])
        if a.shape != b.shape:
            raise ValueError(f"{names[0]} {a.shape} vs {names[1]} {b.shape}: shapes must match")
        return a, b

    def probabilities(self, p, y, hint):
        p, y = self.pair(p, y, ("p", "y"))
        if np.any((p < 0) | (p > 1)):
            raise ValueError(f"p outside [0, 1] means logits, not probabilities: use {hint}")
        return p, y

    def distributions(self, probs, hint):
        P = self.batch(probs, "probs", (2,))
        if np.any(P < 0) or np.any(np.abs(P.sum(axis=1) - 1) > self.row_tol):
            raise ValueError(f"probs rows are not distributions (logits?): use {hint}")
        return P

    @staticmethod
    def targets(y, shape):
        m, k = shape
        y = np.array(y, dtype=np.float64)
        if y.shape == (m, k):
            return y
        if y.shape != (m,):
            raise ValueError(f"y: expected ({m},) or ({m}, {k}), got {y.shape}")
        if np.isnan(y).any() or np.any(y != np.floor(y)):
            raise ValueError("labels must be integers")
        if y.min() < 0 or y.max() >= k:
            raise ValueError(f"labels must lie in [0, {k})")
        return np.eye(k)[y.astype(int)]

    def clip(self, p, eps=None):
        e = self.eps if eps is None else eps
        return np.clip(p, e, 1 - e)

    @staticmethod
    def logsumexp(Z, axis=-1):
        top = np.max(Z, axis=axis, keepdims=True)
        return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(Z - top), axis=axis))

    @staticmethod
    def lr(value):
        value = float(value)
        if not value > 0:
            raise ValueError(f"learning rate must be > 0, got {value}")
        return value


_kit = _LossKit()


def squared_error(y_hat, y):
    a, b = _kit.pair(y_hat, y, ("y_hat", "y"), (1, 2))
    e = (a - b) ** 2
    return e.reshape(e.shape[0], -1).mean(axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _kit.probabilities(p, y, "bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    pc = _kit.clip(p, eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = _kit.distributions(probs, "softmax_cross_entropy")
    T = _kit.targets(y, P.shape)
    return -np.sum(T * np.log(_kit.clip(P, eps)), axis=1)


def batch_mean(losses):
    return float(np.mean(_kit.batch(losses, "losses")))


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means, sizes = _kit.pair(batch_means, batch_sizes, ("batch_means", "batch_sizes"))
    if not np.all(sizes > 0):
        raise ValueError("batch sizes must be positive")
    total_loss = np.dot(means, sizes)      # sum of per-sample losses over the epoch
    return float(total_loss / sizes.sum())


def mse_grad(y_hat, y):
    a, b = _kit.pair(y_hat, y, ("y_hat", "y"), (1, 2))
    return 2.0 * (a - b) / a.size


def bce_grad(p, y, eps=1e-8):
    p, y = _kit.probabilities(p, y, "bce_with_logits_grad")
    pc = _kit.clip(p, eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]


def cce_grad(probs, y, eps=1e-8):
    P = _kit.distributions(probs, "softmax_cross_entropy_grad")
    T = _kit.targets(y, P.shape)
    return -T / _kit.clip(P, eps) / P.shape[0]


def sigmoid(z):
    z = _kit.read(z, "z")
    out = np.zeros_like(z)
    pos = z >= 0
    neg = z < 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    ez = np.exp(z[neg])
    out[neg] = ez / (1 + ez)
    out[np.isnan(z)] = np.nan
    return out


def softmax(z):
    z = _kit.batch(z, "z", (1, 2))
    return np.exp(z - _kit.logsumexp(z)[..., None])


def bce_with_logits(z, y):
    z, y = _kit.pair(z, y, ("z", "y"))
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))


def bce_with_logits_grad(z, y):
    z, y = _kit.pair(z, y, ("z", "y"))
    return (sigmoid(z) - y) / z.shape[0]


def softmax_cross_entropy(logits, y):
    Z = _kit.batch(logits, "logits", (2,))
    T = _kit.targets(y, Z.shape)
    return float(np.mean(_kit.logsumexp(Z) - np.sum(T * Z, axis=1)))


def softmax_cross_entropy_grad(logits, y):
    Z = _kit.batch(logits, "logits", (2,))
    T = _kit.targets(y, Z.shape)
    return (softmax(Z) - T) / Z.shape[0]


def sgd_step(w, grad, lr):
    w = _kit.read(w, "w")
    g = _kit.read(grad, "grad")
    if w.shape != g.shape:
        raise ValueError("w and grad must have the same shape")
    return w - _kit.lr(lr) * g


def linear_regression_step(X, y, w, b, lr):
    X = _kit.batch(X, "X", (2,))
    w = _kit.read(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},)")
    lr = _kit.lr(lr)
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)                 # measured before the update
    g = mse_grad(y_hat, y)
    return sgd_step(w, X.T @ g, lr), float(b) - lr * float(g.sum()), loss


def accuracy(p, y, threshold=0.5):
    p, y = _kit.pair(p, y, ("p", "y"))
    if np.isnan(p).any():
        raise ValueError("p contains NaN")
    if threshold != threshold:
        raise ValueError("threshold is NaN")
    if np.any((y != 0) & (y != 1)):
        raise ValueError("labels must be 0 or 1")
    return float(np.count_nonzero((p >= threshold) == (y == 1)) / p.size)


def loss_for_output(activation):
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


def best_epoch(train_losses, val_losses):
    train, val = _kit.pair(train_losses, val_losses, ("train_losses", "val_losses"))
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("the curves contain NaN")
    return int(np.flatnonzero(val == val.min())[0])
