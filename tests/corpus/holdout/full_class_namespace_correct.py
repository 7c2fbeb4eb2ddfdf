# corpus: full-module
# expect: correct
# style: all logic in a class of staticmethods, module names bound to them; take_along_axis, np.logaddexp, exp(-|z|) sigmoid
import numpy as np


class LossBook:
    """My loss functions, grouped in one class; the module exports them by name below."""

    EPS = 1e-8

    # ----- validation --------------------------------------------------
    @staticmethod
    def read(x, name):
        try:
            return np.array(x, dtype=np.float64)  # a private copy
        except (TypeError, ValueError):
            raise ValueError(f"{name}: expected numbers") from None

    @staticmethod
    def pair(a, b, an, bn, dims=(1,)):
        a, b = LossBook.read(a, an), LossBook.read(b, bn)
        if a.shape != b.shape:
            raise ValueError(f"shape mismatch: {an}{a.shape} vs {bn}{b.shape}")
        if a.ndim not in dims:
            raise ValueError(f"{an} must have ndim in {dims}")
        if a.shape[0] == 0 or a.size == 0:
            raise ValueError(f"{an} is an empty batch")
        return a, b

    @staticmethod
    def matrix(x, name):
        a = LossBook.read(x, name)
        if a.ndim != 2:
            raise ValueError(f"{name} must be (m, K)")
        if a.shape[0] == 0 or a.size == 0:
            raise ValueError(f"{name} is an empty batch")
        return a

    @staticmethod
    def distributions(P):
        if (P < 0).any() or (np.abs(P.sum(axis=1) - 1.0) > 1e-6).any():
            raise ValueError("rows of probs are not distributions (logits?): use softmax_cross_entropy")

    @staticmethod
    def onehot(y, shape):
        m, k = shape
        y = LossBook.read(y, "y")
        if y.shape == (m, k):
            return y, None
        if y.shape != (m,):
            raise ValueError(f"y must be ({m},) labels or ({m}, {k}) targets")
        if np.isnan(y).any() or (np.mod(y, 1) != 0).any():
            raise ValueError("labels must be integers")
        if (y < 0).any() or (y >= k).any():
            raise ValueError(f"labels must lie in [0, {k})")
        idx = y.astype(np.intp)
        t = np.zeros((m, k))
        np.put_along_axis(t, idx[:, None], 1.0, axis=1)
        return t, idx

    # ----- losses ------------------------------------------------------
    @staticmethod
    def squared_error(y_hat, y):
        a, b = LossBook.pair(y_hat, y, "y_hat", "y", dims=(1, 2))
        sq = np.square(a - b)
        return sq if sq.ndim == 1 else sq.mean(axis=1)

    @staticmethod
    def binary_cross_entropy(p, y, eps=EPS):
        p, y = LossBook.pair(p, y, "p", "y")
        if ((p < 0) | (p > 1)).any():
            raise ValueError("p must be in [0, 1]; these look like logits: use bce_with_logits")
        if ((y < 0) | (y > 1)).any():
            raise ValueError("y must be in [0, 1]")
        np.clip(p, eps, 1 - eps, out=p)  # p is our own copy
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))

    @staticmethod
    def categorical_cross_entropy(probs, y, eps=EPS):
        P = LossBook.matrix(probs, "probs")
        LossBook.distributions(P)
        t, idx = LossBook.onehot(y, P.shape)
        logp = np.log(np.clip(P, eps, 1 - eps))
        if idx is not None:
            return -np.take_along_axis(logp, idx[:, None], axis=1)[:, 0]
        return -(t * logp).sum(axis=1)

    @staticmethod
    def batch_mean(losses):
        L = LossBook.read(losses, "losses")
        if L.ndim != 1 or L.size == 0:
            raise ValueError("losses must be a non-empty 1-D array")
        return float(L.mean())

    @staticmethod
    def epoch_mean(batch_means, batch_sizes):
        mu, n = LossBook.pair(batch_means, batch_sizes, "batch_means", "batch_sizes")
        if not (n > 0).all():
            raise ValueError("batch sizes must be > 0")
        return float(np.average(mu, weights=n))

    # ----- gradients -----------------------------------------------------
    @staticmethod
    def mse_grad(y_hat, y):
        a, b = LossBook.pair(y_hat, y, "y_hat", "y", dims=(1, 2))
        return 2.0 * (a - b) / a.size

    @staticmethod
    def bce_grad(p, y, eps=EPS):
        p, y = LossBook.pair(p, y, "p", "y")
        if ((p < 0) | (p > 1)).any():
            raise ValueError("p outside [0, 1] (logits): use bce_with_logits_grad")
        pc = np.clip(p, eps, 1 - eps)
        return (pc - y) / (pc * (1 - pc)) / len(p)

    @staticmethod
    def cce_grad(probs, y, eps=EPS):
        P = LossBook.matrix(probs, "probs")
        LossBook.distributions(P)
        t, _ = LossBook.onehot(y, P.shape)
        return -t / np.clip(P, eps, 1 - eps) / P.shape[0]

    # ----- stable forms ---------------------------------------------------
    @staticmethod
    def sigmoid(z):
        z = LossBook.read(z, "z")
        e = np.exp(-np.abs(z))  # never overflows
        return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))

    @staticmethod
    def softmax(z):
        z = LossBook.read(z, "z")
        if z.ndim not in (1, 2) or z.size == 0:
            raise ValueError("softmax needs a non-empty (K,) or (m, K) array")
        z -= z.max(axis=-1, keepdims=True)  # our own copy
        np.exp(z, out=z)
        z /= z.sum(axis=-1, keepdims=True)
        return z

    @staticmethod
    def bce_with_logits(z, y):
        z, y = LossBook.pair(z, y, "z", "y")
        with np.errstate(invalid="ignore"):  # a NaN logit just gives NaN
            per_sample = np.logaddexp(0.0, z) - z * y
        return float(np.mean(per_sample))

    @staticmethod
    def bce_with_logits_grad(z, y):
        z, y = LossBook.pair(z, y, "z", "y")
        return (LossBook.sigmoid(z) - y) / z.shape[0]

    @staticmethod
    def softmax_cross_entropy(logits, y):
        Z = LossBook.matrix(logits, "logits")
        t, _ = LossBook.onehot(y, Z.shape)
        top = Z.max(axis=1)
        lse = top + np.log(np.exp(Z - top[:, None]).sum(axis=1))
        return float(np.mean(lse - np.sum(t * Z, axis=1)))

    @staticmethod
    def softmax_cross_entropy_grad(logits, y):
        Z = LossBook.matrix(logits, "logits")
        t, _ = LossBook.onehot(y, Z.shape)
        return (LossBook.softmax(Z) - t) / Z.shape[0]

    # ----- updates --------------------------------------------------------
    @staticmethod
    def sgd_step(w, grad, lr):
        w, g = LossBook.read(w, "w"), LossBook.read(grad, "grad")
        if w.shape != g.shape:
            raise ValueError("w and grad must have the same shape")
        if not lr > 0:
            raise ValueError("lr must be positive")
        return w - lr * g

    @staticmethod
    def linear_regression_step(X, y, w, b, lr):
        X = LossBook.matrix(X, "X")
        w = LossBook.read(w, "w")
        if w.shape != (X.shape[1],):
            raise ValueError("w has the wrong number of weights")
        y_hat = X @ w + float(b)
        loss = LossBook.batch_mean(LossBook.squared_error(y_hat, y))
        g = LossBook.mse_grad(y_hat, y)
        return LossBook.sgd_step(w, X.T @ g, lr), float(b) - lr * float(g.sum()), loss

    # ----- decisions ------------------------------------------------------
    @staticmethod
    def accuracy(p, y, threshold=0.5):
        p, y = LossBook.pair(p, y, "p", "y")
        if np.isnan(p).any() or np.isnan(threshold):
            raise ValueError("NaN in p or threshold")
        if not np.isin(y, [0.0, 1.0]).all():
            raise ValueError("y must hold 0/1 labels")
        return float(((p >= threshold) == (y == 1)).mean())

    PAIRS = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}

    @staticmethod
    def loss_for_output(activation):
        try:
            return LossBook.PAIRS[activation.lower()]
        except (AttributeError, KeyError):
            raise ValueError(f"no loss for activation {activation!r}") from None

    @staticmethod
    def best_epoch(train_losses, val_losses):
        tr, va = LossBook.pair(train_losses, val_losses, "train_losses", "val_losses")
        if np.isnan(tr).any() or np.isnan(va).any():
            raise ValueError("NaN in the loss curves")
        return int(np.argmin(va))


squared_error = LossBook.squared_error
binary_cross_entropy = LossBook.binary_cross_entropy
categorical_cross_entropy = LossBook.categorical_cross_entropy
batch_mean = LossBook.batch_mean
epoch_mean = LossBook.epoch_mean
mse_grad = LossBook.mse_grad
bce_grad = LossBook.bce_grad
cce_grad = LossBook.cce_grad
sigmoid = LossBook.sigmoid
softmax = LossBook.softmax
bce_with_logits = LossBook.bce_with_logits
bce_with_logits_grad = LossBook.bce_with_logits_grad
softmax_cross_entropy = LossBook.softmax_cross_entropy
softmax_cross_entropy_grad = LossBook.softmax_cross_entropy_grad
sgd_step = LossBook.sgd_step
linear_regression_step = LossBook.linear_regression_step
accuracy = LossBook.accuracy
loss_for_output = LossBook.loss_for_output
best_epoch = LossBook.best_epoch


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))
