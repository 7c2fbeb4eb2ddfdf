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
# Part 1: per-sample losses
# ---------------------------------------------------------------------------

def squared_error(y_hat, y):
    """Per-sample squared error: how far each prediction is from its target.

    y_hat, y : shape (m,) or (m, k), exactly the same shape.
    Returns  : shape (m,), ``(y_hat - y) ** 2``; with k outputs per sample
               the k squared errors of a sample are averaged.

    Squaring makes a large miss cost far more than a small one (a miss of 2
    costs 4, a miss of 10 costs 100) and never lets errors of opposite sign
    cancel. Raises ValueError for mismatched shapes or an empty batch.
    Common mistake: taking the absolute error instead (that is MAE, a
    different loss with a different gradient).
    """
    ### BEGIN SOLUTION
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    errors = (y_hat - y) ** 2
    if errors.ndim == 2:
        errors = errors.mean(axis=1)
    return errors
    ### END SOLUTION


def binary_cross_entropy(p, y, eps=1e-8):
    """Per-sample binary cross-entropy of predicted probabilities.

    p   : shape (m,), probabilities of the positive class, each in [0, 1].
    y   : shape (m,), targets in [0, 1] (usually 0 or 1).
    eps : p is clipped to [eps, 1 - eps] before the log.
    Returns shape (m,): ``-(y * log(pc) + (1 - y) * log(1 - pc))`` with pc the
    clipped p (natural log).

    A positive example predicted at 0.51 costs about 0.67; one predicted at
    0.001 costs about 6.9: confident mistakes are punished much harder than
    hesitant ones. Without clipping, p = 0 or 1 gives log(0) = -inf.
    Raises ValueError for a p outside [0, 1] (those are logits, not
    probabilities: use bce_with_logits), targets outside [0, 1], mismatched
    shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(
            "p must be probabilities in [0, 1]; values outside that range look "
            "like logits (raw scores): use bce_with_logits(z, y) for logits"
        )
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be targets in [0, 1] (0 or 1 for hard labels)")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    ### END SOLUTION


def categorical_cross_entropy(probs, y, eps=1e-8):
    """Per-sample categorical cross-entropy of predicted class distributions.

    probs : shape (m, K); each row is a probability distribution over the K
            classes (non-negative, summing to 1 within 1e-6).
    y     : shape (m,) integer labels in [0, K), or (m, K) one-hot / soft targets.
    Returns shape (m,): ``-sum_k t_k * log(clip(probs_k, eps, 1 - eps))`` where
    t is the one-hot row of the label (or y itself). For a hard label this is
    minus the log of the probability given to the correct class.

    Raises ValueError for rows that are not distributions (those look like
    logits: use softmax_cross_entropy), bad labels, mismatched shapes or an
    empty batch. Common mistakes: indexing ``probs[:, y]`` (an m x m pick
    instead of one entry per row) and averaging over the K classes as well.
    """
    ### BEGIN SOLUTION
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError(
            "each row of probs must be a probability distribution (entries >= 0 "
            "summing to 1); these look like logits (raw scores): use "
            "softmax_cross_entropy(logits, y) for logits"
        )
    targets = class_targets(y, probs.shape)
    return -(targets * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Part 2: mini-batch averaging
# ---------------------------------------------------------------------------

def batch_mean(losses):
    """The mini-batch objective: the mean of the m per-sample losses.

    losses : shape (m,), m >= 1.  Returns a Python float.

    Training minimises the average loss over a mini-batch, not the sum: the
    mean keeps the objective (and its gradient) on the same scale whatever
    the batch size. Common mistakes: summing (m times too large) or dividing
    by m - 1. Raises ValueError for an empty batch.
    """
    ### BEGIN SOLUTION
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return float(np.mean(losses))
    ### END SOLUTION


def mse(y_hat, y):
    """Mean squared error of a mini-batch: ``batch_mean(squared_error(y_hat, y))``.

    Shapes as in squared_error; this is the mean over all N elements.
    Returns a Python float. The lesson's example: mse([1.2], [2.4]) == 1.44.
    Raises ValueError like squared_error: mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    return batch_mean(squared_error(y_hat, y))
    ### END SOLUTION


def bce(p, y, eps=1e-8):
    """Binary cross-entropy of a mini-batch: the mean of binary_cross_entropy.

    Returns a Python float. Unlike accuracy, it tells a hesitant miss (0.51 for
    a positive) from a confident one (0.001 for a positive). Raises ValueError
    like binary_cross_entropy: p outside [0, 1] (logits), targets outside
    [0, 1], mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    return batch_mean(binary_cross_entropy(p, y, eps))
    ### END SOLUTION


def cce(probs, y, eps=1e-8):
    """Categorical cross-entropy of a mini-batch: the mean of categorical_cross_entropy.

    Returns a Python float (averaged over the m samples, not over the classes).
    Raises ValueError like categorical_cross_entropy: rows that are not
    distributions (logits), bad labels, mismatched targets or an empty batch.
    """
    ### BEGIN SOLUTION
    return batch_mean(categorical_cross_entropy(probs, y, eps))
    ### END SOLUTION


def epoch_mean(batch_means, batch_sizes):
    """The loss over a whole epoch from the means of its mini-batches.

    batch_means : shape (B,), the mean loss of each mini-batch.
    batch_sizes : shape (B,), how many samples each batch had (all > 0).
    Returns a Python float: the mean over all samples, i.e. the batch means
    weighted by batch size. A smaller last batch must count less; a plain
    average of the batch means over-weights it. Raises ValueError for
    mismatched lengths, no batches or a size that is not positive.
    """
    ### BEGIN SOLUTION
    batch_means = as_float_array(batch_means, "batch_means")
    batch_sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(batch_means, batch_sizes, "batch_means", "batch_sizes")
    require_batch(batch_means, "batch_means")
    if not np.all(batch_sizes > 0):
        raise ValueError("every batch size must be a positive number of samples")
    return float(np.sum(batch_means * batch_sizes) / np.sum(batch_sizes))
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Part 3: gradients with respect to the prediction (the training signal)
# ---------------------------------------------------------------------------

def mse_grad(y_hat, y):
    """Gradient of mse(y_hat, y) with respect to every element of y_hat.

    Returns an array of y_hat's shape: ``2 * (y_hat - y) / N`` with N =
    y_hat.size (the mean runs over all N elements, so each one gets 1/N).
    The sign is the direction: negative means the prediction is too low.
    Lesson check: mse_grad([1.2], [2.4]) == [-2.4].
    Common mistakes: forgetting the 2, forgetting the 1/N, flipping the sign,
    dividing by m instead of N for multi-output predictions.
    Raises ValueError for mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    return 2.0 * (y_hat - y) / y_hat.size
    ### END SOLUTION


def bce_grad(p, y, eps=1e-8):
    """Gradient of bce(p, y) with respect to each probability p_i.

    Returns shape (m,): ``(pc - y) / (pc * (1 - pc)) / m`` with pc the clipped p.
    This is the gradient with respect to the probabilities; ``(p - y) / m``
    is the gradient with respect to the logits, a different quantity.
    Raises ValueError for a p outside [0, 1] (logits: use
    bce_with_logits_grad), mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(
            "p must be probabilities in [0, 1]; values outside that range look "
            "like logits: use bce_with_logits_grad(z, y) for logits"
        )
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]
    ### END SOLUTION


def cce_grad(probs, y, eps=1e-8):
    """Gradient of cce(probs, y) with respect to every entry of probs.

    Returns shape (m, K): ``-t / clip(probs, eps, 1 - eps) / m`` with t the
    one-hot targets (or y itself when it is (m, K)). Only the entries with
    t > 0 get a signal. Raises ValueError like categorical_cross_entropy:
    rows that are not distributions (logits), labels outside [0, K) or not
    whole numbers, the wrong number of targets, or an empty batch.
    """
    ### BEGIN SOLUTION
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError(
            "each row of probs must be a probability distribution; these look "
            "like logits: use softmax_cross_entropy_grad(logits, y) for logits"
        )
    targets = class_targets(y, probs.shape)
    return -targets / np.clip(probs, eps, 1 - eps) / probs.shape[0]
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Part 4: output layer and loss speak the same language (stable forms)
# ---------------------------------------------------------------------------

def sigmoid(z):
    """The logistic function ``1 / (1 + exp(-z))``, elementwise, computed stably.

    z : any shape (a list or an array, possibly read-only).
    Returns a float64 array of z's shape with values in [0, 1]; no overflow
    warning and no NaN may appear for any finite z (up to +-1e300).

    For very negative z, exp(-z) overflows; there ``exp(z) / (1 + exp(z))``
    is safe, and for z >= 0 the usual form is. Compute each form only on the
    elements it is safe for: boolean masks (``out[z >= 0] = ...`` and
    ``out[z < 0] = ...``, into a new array), or use ``exp(-|z|)``, which never
    overflows. ``np.where(z >= 0, form_a, form_b)`` is NOT enough: numpy
    evaluates both forms on every element first, so one of them overflows
    and warns.
    """
    ### BEGIN SOLUTION
    z = as_float_array(z, "z")
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    ez = np.exp(z[~positive])
    out[~positive] = ez / (1.0 + ez)
    return out
    ### END SOLUTION


def softmax(z):
    """Row-wise softmax: turns each row of logits into a distribution over classes.

    z : shape (m, K) (one row per sample) or (K,) for a single sample.
    Returns an array of z's shape whose rows are non-negative and sum to 1.
    Subtract each row's maximum before exp: the result is the same, and
    large logits no longer overflow (no overflow warning may appear for any
    finite logits). Normalise over the classes (the last axis), never over
    the batch. Raises ValueError for an empty batch (an (0, K) array or an
    empty sample) and for a z that is not 1-D or 2-D.
    """
    ### BEGIN SOLUTION
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)
    ### END SOLUTION


def bce_with_logits(z, y):
    """Binary cross-entropy computed from logits z (before the sigmoid), stably.

    z, y : shape (m,). Returns a Python float: the mean over samples of
    ``max(z, 0) - z * y + log1p(exp(-|z|))``, which equals
    bce(sigmoid(z), y) but stays finite, with no overflow warning, for any
    finite z (log(sigmoid(z)) would give log(0) for large negative z).
    Raises ValueError for mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    losses = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(np.mean(losses))
    ### END SOLUTION


def bce_with_logits_grad(z, y):
    """Gradient of bce_with_logits(z, y) with respect to each logit.

    Returns shape (m,): ``(sigmoid(z) - y) / m``. Sigmoid followed by BCE
    collapses to this simple, well-behaved signal; with a stable sigmoid it
    stays bounded, with no overflow warning, for any finite z.
    Raises ValueError for mismatched shapes or an empty batch.
    """
    ### BEGIN SOLUTION
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    return (sigmoid(z) - y) / z.shape[0]
    ### END SOLUTION


def softmax_cross_entropy(logits, y):
    """Categorical cross-entropy computed from logits, stably.

    logits : shape (m, K); y : (m,) labels or (m, K) targets as in
    categorical_cross_entropy. Returns a Python float: the mean over samples
    of ``logsumexp(z_i) - sum_k t_k * z_ik``. Equals cce(softmax(z), y) but
    stays finite, with no overflow warning, for any finite logits (compute
    logsumexp with the row max subtracted). Raises ValueError for labels
    outside [0, K) or not whole numbers, the wrong number of targets, or an
    empty batch.
    """
    ### BEGIN SOLUTION
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    targets = class_targets(y, z.shape)
    row_max = z.max(axis=1, keepdims=True)
    logsumexp = row_max[:, 0] + np.log(np.exp(z - row_max).sum(axis=1))
    return float(np.mean(logsumexp - (targets * z).sum(axis=1)))
    ### END SOLUTION


def softmax_cross_entropy_grad(logits, y):
    """Gradient of softmax_cross_entropy(logits, y) with respect to the logits.

    Returns shape (m, K): ``(softmax(z) - t) / m``, finite and with no
    overflow warning for any finite logits. Raises ValueError like
    softmax_cross_entropy: bad labels or an empty batch.
    """
    ### BEGIN SOLUTION
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    targets = class_targets(y, z.shape)
    return (softmax(z) - targets) / z.shape[0]
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Part 5: from training signal to weight update
# ---------------------------------------------------------------------------

def sgd_step(w, grad, lr):
    """One step of gradient descent: returns a new array ``w - lr * grad``.

    w, grad : the same shape; lr : a positive learning rate.
    The step follows the negative gradient (downhill). It uses the gradient,
    never the loss value itself, and it returns a new array: w and grad stay
    unchanged (read-only arrays must work).
    Raises ValueError for mismatched shapes or lr <= 0.
    """
    ### BEGIN SOLUTION
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    lr = float(lr)
    if not lr > 0:
        raise ValueError(f"lr must be a positive learning rate, got {lr}")
    return w - lr * grad
    ### END SOLUTION


def linear_regression_step(X, y, w, b, lr):
    """One gradient-descent step of linear regression trained with MSE.

    X : (m, d) inputs; y : (m,) targets; w : (d,) weights; b : bias; lr > 0.
    Forward: ``y_hat = X @ w + b``; loss = mse(y_hat, y) (before the step).
    Backward: ``g = mse_grad(y_hat, y)``; the weight gradient is ``X.T @ g``
    and the bias gradient ``g.sum()`` (g already carries the 1/m).
    Returns ``(w_new, b_new, loss)``: w_new a new (d,) array, b_new and loss
    Python floats. X, y and w stay unchanged (read-only arrays must work).
    """
    ### BEGIN SOLUTION
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},) for X of shape {X.shape}, got {w.shape}")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    b_new = float(b) - float(lr) * float(g.sum())
    return w_new, b_new, loss
    ### END SOLUTION


# ---------------------------------------------------------------------------
# Part 6: the common mistakes, as decisions
# ---------------------------------------------------------------------------

def accuracy(p, y, threshold=0.5):
    """Fraction of samples whose thresholded prediction ``p >= threshold`` equals y.

    p : (m,) probabilities; y : (m,) labels 0 or 1. Returns a Python float.
    A p exactly equal to the threshold counts as positive (``>=``, not ``>``).
    Accuracy is a metric, not a loss: 0.51 and 0.001 for a positive example
    both count as one wrong answer, and it has no useful gradient.
    Raises ValueError for mismatched shapes, an empty batch, labels other
    than 0 and 1, or NaN in p or the threshold.
    """
    ### BEGIN SOLUTION
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.isnan(p).any():
        raise ValueError("p contains NaN: a NaN prediction is neither right nor wrong")
    if np.isnan(threshold):
        raise ValueError("threshold is NaN: no prediction can be compared with it")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold 0/1 labels")
    return float(np.mean((p >= threshold) == (y == 1)))
    ### END SOLUTION


def loss_for_output(activation):
    """The loss that speaks the same language as an output activation.

    ``"identity"`` / ``"linear"`` (a real-valued output) -> ``"mse"``;
    ``"sigmoid"`` (one probability) -> ``"bce"``; ``"softmax"`` (a distribution
    over classes) -> ``"cce"``. Case-insensitive; anything else raises ValueError.
    """
    ### BEGIN SOLUTION
    pairs = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "cce"}
    if not isinstance(activation, str) or activation.lower() not in pairs:
        raise ValueError(
            f"unknown output activation {activation!r}: expected one of "
            f"'identity', 'linear', 'sigmoid', 'softmax'"
        )
    return pairs[activation.lower()]
    ### END SOLUTION


def best_epoch(train_losses, val_losses):
    """Index of the epoch to keep: the one with the lowest validation loss.

    train_losses, val_losses : the same length, at least one epoch.
    Returns a Python int (the first such epoch on a tie). The training loss
    keeps falling as a model memorises its data; only held-out data shows
    when it stopped generalising. Raises ValueError for curves of different
    lengths, empty curves or NaN in a curve.
    """
    ### BEGIN SOLUTION
    train_losses = as_float_array(train_losses, "train_losses")
    val_losses = as_float_array(val_losses, "val_losses")
    require_same_shape(train_losses, val_losses, "train_losses", "val_losses")
    require_batch(val_losses, "val_losses")
    if np.isnan(val_losses).any() or np.isnan(train_losses).any():
        raise ValueError("the loss curves contain NaN: training diverged before this epoch")
    return int(np.argmin(val_losses))
    ### END SOLUTION
