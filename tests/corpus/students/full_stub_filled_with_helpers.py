# corpus: full-module
# expect: correct
# style: the handed-out stub with its four provided helpers kept, answers filled in tersely (np.average with weights, .item() for floats)
import numpy as np


# ---------------------------------------------------------------------------
# Provided helpers (not graded)
# ---------------------------------------------------------------------------

def as_float_array(x, name):
    """Return ``x`` as a float64 ndarray, without copying when it already is one.

    Raises ValueError (naming the argument) when ``x`` is not numeric.
    The result may be a read-only view of the caller's array: never write into it.
    """
    try:
        return np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"{name} must be an array of numbers (a list, tuple or numpy array); "
            f"could not read it as float64: {exc}"
        ) from None


def require_batch(a, name, ndims=(1,)):
    """Check that ``a`` has one of the allowed numbers of dimensions and m >= 1 samples."""
    if a.ndim not in ndims:
        wanted = " or ".join(f"{n}-D" for n in ndims)
        raise ValueError(
            f"{name} must be {wanted} (samples along the first axis), "
            f"got shape {a.shape}"
        )
    if a.shape[0] == 0 or a.size == 0:
        raise ValueError(
            f"{name} is an empty batch (shape {a.shape}): a mini-batch needs at "
            f"least one sample to average over"
        )


def require_same_shape(a, b, a_name, b_name):
    """Refuse to compare arrays of different shapes (no silent broadcasting)."""
    if a.shape != b.shape:
        hint = ""
        if a.ndim == 2 and a.shape[1] == 1 and b.ndim == 1:
            hint = f"; {a_name} looks like an (m, 1) column: pass {a_name}.ravel()"
        elif b.ndim == 2 and b.shape[1] == 1 and a.ndim == 1:
            hint = f"; {b_name} looks like an (m, 1) column: pass {b_name}.ravel()"
        raise ValueError(
            f"{a_name} has shape {a.shape} but {b_name} has shape {b.shape}: "
            f"they must match exactly, numpy broadcasting would silently "
            f"compare every sample with every target{hint}"
        )


def class_targets(y, probs_shape):
    """Turn class labels into a float64 target matrix of shape ``probs_shape`` (m, K).

    ``y`` is either m integer labels in [0, K) (ints, or floats with integral
    values such as 2.0) and becomes their one-hot rows, or an (m, K) matrix of
    one-hot / soft targets, returned as float64.
    """
    m, k = probs_shape
    y = as_float_array(y, "y")
    if y.shape == (m, k):
        return y
    if y.shape != (m,):
        raise ValueError(
            f"y must hold m = {m} integer labels (shape ({m},)) or an ({m}, {k}) "
            f"matrix of one-hot targets, got shape {y.shape}"
        )
    if np.isnan(y).any() or np.any(y != np.floor(y)):
        raise ValueError(
            "labels must be whole numbers (class indices such as 0, 1, 2); "
            "got non-integer values. Pass soft targets as an (m, K) matrix instead"
        )
    if np.any((y < 0) | (y >= k)):
        raise ValueError(
            f"labels must be class indices in [0, {k}) for K = {k} classes; "
            f"got values from {y.min():g} to {y.max():g}"
        )
    targets = np.zeros((m, k))
    targets[np.arange(m), y.astype(np.int64)] = 1.0
    return targets


# ---------------------------------------------------------------------------
# Part 1: per-sample losses
# ---------------------------------------------------------------------------

def squared_error(y_hat, y):
    y_hat, y = as_float_array(y_hat, "y_hat"), as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    diff = y_hat - y
    return np.mean(diff * diff, axis=1) if diff.ndim == 2 else diff * diff


def _check_probs_1d(p, y, hint):
    p, y = as_float_array(p, "p"), as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError(f"p has values outside [0, 1]: logits? use {hint}")
    return p, y


def binary_cross_entropy(p, y, eps=1e-8):
    p, y = _check_probs_1d(p, y, "bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y has values outside [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return -np.log(pc) * y - np.log(1 - pc) * (1 - y)


def _check_probs_2d(probs, hint):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if probs.min() < 0 or np.max(np.abs(probs.sum(axis=1) - 1)) > 1e-6:
        raise ValueError(f"probs rows must be distributions; for logits use {hint}")
    return probs


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = _check_probs_2d(probs, "softmax_cross_entropy")
    t = class_targets(y, probs.shape)
    return -np.sum(np.log(np.clip(probs, eps, 1 - eps)) * t, axis=-1)


# ---------------------------------------------------------------------------
# Part 2: mini-batch averaging
# ---------------------------------------------------------------------------

def batch_mean(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return np.average(losses).item()


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps=eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps=eps))


def epoch_mean(batch_means, batch_sizes):
    batch_means = as_float_array(batch_means, "batch_means")
    batch_sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(batch_means, batch_sizes, "batch_means", "batch_sizes")
    require_batch(batch_means, "batch_means")
    if np.any(np.isnan(batch_sizes)) or batch_sizes.min() <= 0:
        raise ValueError("batch sizes must be positive numbers")
    return np.average(batch_means, weights=batch_sizes).item()


# ---------------------------------------------------------------------------
# Part 3: gradients with respect to the prediction (the training signal)
# ---------------------------------------------------------------------------

def mse_grad(y_hat, y):
    y_hat, y = as_float_array(y_hat, "y_hat"), as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    N = y_hat.size
    return (2.0 / N) * (y_hat - y)


def bce_grad(p, y, eps=1e-8):
    p, y = _check_probs_1d(p, y, "bce_with_logits_grad")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y has values outside [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    m = len(p)
    return (-y / pc + (1 - y) / (1 - pc)) / m


def cce_grad(probs, y, eps=1e-8):
    probs = _check_probs_2d(probs, "softmax_cross_entropy_grad")
    t = class_targets(y, probs.shape)
    m = probs.shape[0]
    return -(t / np.clip(probs, eps, 1 - eps)) / m


# ---------------------------------------------------------------------------
# Part 4: output layer and loss speak the same language (stable forms)
# ---------------------------------------------------------------------------

def sigmoid(z):
    z = as_float_array(z, "z")
    neg = z < 0
    safe = np.where(neg, z, -z)          # always <= 0, so exp never overflows
    e = np.exp(safe)
    return np.where(neg, e / (1 + e), 1 / (1 + e))


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def bce_with_logits(z, y):
    z, y = as_float_array(z, "z"), as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    per_sample = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return per_sample.mean().item()


def bce_with_logits_grad(z, y):
    z, y = as_float_array(z, "z"), as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    return (sigmoid(z) - y) / len(z)


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    c = np.max(z, axis=1, keepdims=True)
    log_probs = z - c - np.log(np.sum(np.exp(z - c), axis=1, keepdims=True))
    return (-np.sum(t * log_probs, axis=1)).mean().item()


def softmax_cross_entropy_grad(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    return (softmax(z) - class_targets(y, z.shape)) / z.shape[0]


# ---------------------------------------------------------------------------
# Part 5: from training signal to weight update
# ---------------------------------------------------------------------------

def sgd_step(w, grad, lr):
    w, grad = as_float_array(w, "w"), as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not (isinstance(lr, (int, float, np.floating, np.integer)) and lr > 0):
        raise ValueError("lr must be a positive number")
    return w - lr * grad


def linear_regression_step(X, y, w, b, lr):
    X, w = as_float_array(X, "X"), as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.ndim != 1 or len(w) != X.shape[1]:
        raise ValueError("w needs one weight per column of X")
    pred = X @ w + b
    loss_before = mse(pred, y)
    g = mse_grad(pred, y)
    new_w = sgd_step(w, X.T @ g, lr)
    new_b = float(b) - lr * g.sum().item()
    return new_w, float(new_b), loss_before


# ---------------------------------------------------------------------------
# Part 6: the common mistakes, as decisions
# ---------------------------------------------------------------------------

def accuracy(p, y, threshold=0.5):
    p, y = as_float_array(p, "p"), as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN predictions or threshold")
    if not set(np.unique(y).tolist()) <= {0.0, 1.0}:
        raise ValueError("y must be 0/1")
    return (np.where(p >= threshold, 1.0, 0.0) == y).mean().item()


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    name = activation.lower()
    if name in {"identity", "linear"}:
        return "mse"
    if name == "sigmoid":
        return "bce"
    if name == "softmax":
        return "cce"
    raise ValueError(f"{activation!r} is not an output activation I know")


def best_epoch(train_losses, val_losses):
    train_losses = as_float_array(train_losses, "train_losses")
    val_losses = as_float_array(val_losses, "val_losses")
    require_same_shape(train_losses, val_losses, "train_losses", "val_losses")
    require_batch(val_losses, "val_losses")
    if np.isnan(np.concatenate([train_losses, val_losses])).any():
        raise ValueError("NaN in the loss history")
    return int(val_losses.argmin())
