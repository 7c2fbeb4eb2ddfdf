# corpus: full-module
# expect: correct
# style: the stub with its provided helpers kept; np.vectorize(math) sigmoid, broadcast-compare one-hot, np.add.reduce, np.average weights, while-loop best epoch
import math
"""Loss functions and the training signal (Module 01).

A loss turns "how wrong was that prediction?" into one number that training
can reduce; its gradient with respect to the prediction is the training
signal that backpropagation carries back to the weights.

Every function here follows the exercise contract (docs/contract.md):

* inputs are array-likes (lists, tuples or numpy arrays), computed in
  float64; inputs are never modified, and read-only arrays must work;
* predictions and their targets must have exactly the same shape (an (m, 1)
  column against an (m,) vector is an error, never an (m, m) result);
* an empty batch (m = 0) raises ValueError;
* NaN in an input gives NaN in the result (or a ValueError), never a number;
* scalar results are Python floats, array results float64 ndarrays.

The four helpers at the top are provided: use them freely.
"""
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
# My answers
# ---------------------------------------------------------------------------

def _one_hot(y, shape):
    # class_targets already validates; I build labels with a broadcast compare for practice
    t = class_targets(y, shape)
    y_arr = np.asarray(y, dtype=float)
    if y_arr.shape == shape:
        return t
    return (y_arr[:, None] == np.arange(shape[1])[None, :]).astype(np.float64)


def _is_distribution(P):
    return not (np.any(P < 0) or np.any(np.abs(np.add.reduce(P, axis=1) - 1) > 1e-6))


def squared_error(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    se = np.power(y_hat - y, 2)
    return se.reshape(se.shape[0], -1).mean(axis=1)


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be in [0, 1] - logits? then use bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be in [0, 1]")
    pc = p.clip(eps, 1 - eps)
    return -(np.multiply(y, np.log(pc)) + np.multiply(1 - y, np.log(1 - pc)))


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if not _is_distribution(probs):
        raise ValueError("probs rows must be distributions; for logits use softmax_cross_entropy")
    t = _one_hot(y, probs.shape)
    return -np.add.reduce(t * np.log(probs.clip(eps, 1 - eps)), axis=1)


def batch_mean(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return float(np.add.reduce(losses) / losses.size)


def mse(y_hat, y):
    return batch_mean(squared_error(y_hat, y))


def bce(p, y, eps=1e-8):
    return batch_mean(binary_cross_entropy(p, y, eps))


def cce(probs, y, eps=1e-8):
    return batch_mean(categorical_cross_entropy(probs, y, eps))


def epoch_mean(batch_means, batch_sizes):
    means = as_float_array(batch_means, "batch_means")
    sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(means, sizes, "batch_means", "batch_sizes")
    require_batch(means, "batch_means")
    if np.any(~(sizes > 0)):
        raise ValueError("batch sizes must be positive")
    return float(np.average(means, weights=sizes))


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    n_elements = np.prod(y_hat.shape)
    return 2 * (y_hat - y) / n_elements


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be in [0, 1]; for logits use bce_with_logits_grad")
    pc = p.clip(eps, 1 - eps)
    dL_dp = -y / pc + (1 - y) / (1 - pc)
    return dL_dp / p.shape[0]


def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if not _is_distribution(probs):
        raise ValueError("probs rows must be distributions; for logits use softmax_cross_entropy_grad")
    t = _one_hot(y, probs.shape)
    return np.negative(t) / probs.clip(eps, 1 - eps) / probs.shape[0]


def _sigmoid_scalar(v):
    v = float(v)
    if math.isnan(v):
        return v  # NaN in, NaN out
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    e = math.exp(v)
    return e / (1.0 + e)


_sigmoid_vec = np.vectorize(_sigmoid_scalar, otypes=[np.float64])


def sigmoid(z):
    z = as_float_array(z, "z")
    return _sigmoid_vec(z)


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    if z.ndim == 1:
        return softmax(z[None, :])[0]
    shifted = z - z.max(axis=1)[:, None]
    e = np.exp(shifted)
    return e / np.add.reduce(e, axis=1)[:, None]


def bce_with_logits(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    per_sample = np.clip(z, 0, None) - z * y + np.log1p(np.exp(-np.abs(z)))
    return batch_mean(per_sample)


def bce_with_logits_grad(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    return (sigmoid(z) - y) / z.size


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = _one_hot(y, z.shape)
    c = z.max(axis=1)
    log_norm = c + np.log(np.add.reduce(np.exp(z - c[:, None]), axis=1))
    return batch_mean(log_norm - np.add.reduce(t * z, axis=1))


def softmax_cross_entropy_grad(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = _one_hot(y, z.shape)
    return (softmax(z) - t) / len(z)


def sgd_step(w, grad, lr):
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not lr > 0:
        raise ValueError("the learning rate must be positive")
    step = lr * grad
    return w - step


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w must have one entry per column of X")
    y_hat = np.matmul(X, w) + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, np.matmul(X.T, g), lr)
    b_new = b - lr * np.add.reduce(g)
    return w_new, float(b_new), float(loss)


def accuracy(p, y, threshold=0.5):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if math.isnan(threshold) or np.isnan(p).any():
        raise ValueError("NaN in p or threshold")
    if np.any((y != 0) & (y != 1)):
        raise ValueError("y must be 0/1 labels")
    correct = np.where(p >= threshold, 1.0, 0.0) == y
    return float(correct.sum() / correct.size)


def loss_for_output(activation):
    table = (("identity", "mse"), ("linear", "mse"), ("sigmoid", "bce"), ("softmax", "cce"))
    if isinstance(activation, str):
        for name, loss in table:
            if activation.lower() == name:
                return loss
    raise ValueError(f"cannot pick a loss for activation {activation!r}")


def best_epoch(train_losses, val_losses):
    train = as_float_array(train_losses, "train_losses")
    val = as_float_array(val_losses, "val_losses")
    require_same_shape(train, val, "train_losses", "val_losses")
    require_batch(val, "val_losses")
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("NaN in the loss curves")
    best, i = 0, 1
    while i < len(val):
        if val[i] < val[best]:
            best = i
        i += 1
    return best
