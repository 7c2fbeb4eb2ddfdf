"""The mistakes made in code: buggy variants of the reference functions.

A variant is written like the reference but with one mistake. A mistake
may have several *forms* in one function (``unstable-softmax`` without any
max and with the batch's global max; ``label-indexing`` as an m x m block
or reduced to (m,) by a mean): each form is a variant, keyed
``(mistake, function)`` for the first and ``(mistake, function, form)`` for
the others, and the diagnosis names the mistake when any of its forms
explains the student's numbers. It runs in a
copy of the reference namespace in which it replaces the function it
targets, so the helpers and the other (correct) functions stay available:
``namespace_with(variant)``.

Two shortcuts keep the catalogue honest and short:

* ``inherits``: a batch loss that makes a per-sample function's mistake in
  its own code (``mse`` sums inline) is the reference batch loss run on a
  private copy of the module in which that per-sample variant is swapped
  in, so the mistake stays inside the function (what the student's other
  functions are does not change it);
* ``without_shape_check``: ``silent-broadcast`` is the reference with its
  shape check switched off, which is exactly what the mistake is.
"""
from __future__ import annotations

import functools
import itertools
import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.grading.mistakes.catalogue import MISTAKES

# Names the variants use resolve in the reference namespace at run time;
# these imports only make the module readable on its own.
from autograder.reference.losses import (  # noqa: F401
    as_float_array,
    batch_mean,
    binary_cross_entropy,
    categorical_cross_entropy,
    class_targets,
    mse,
    mse_grad,
    require_batch,
    require_same_shape,
    sgd_step,
    sigmoid,
    softmax,
    squared_error,
)


@dataclass(frozen=True)
class Variant:
    mistake: str
    function: str
    impl: Callable[..., Any] | None = None   # the buggy function itself
    via: str | None = None                   # the function whose variant it runs privately (``inherits``)
    form: str = ""                           # "" for a mistake's first form in a function
    also: tuple[str, ...] = ()               # further mistakes the same code makes (two slips in one function)

    @property
    def mistakes(self) -> tuple[str, ...]:
        return (self.mistake, *self.also)

    @property
    def key(self) -> tuple:
        return (self.mistake, self.function, self.form) if self.form else (self.mistake, self.function)


VARIANTS: dict[tuple, Variant] = {}


def variant(mistake: str, function: str, form: str = ""):
    def register(fn):
        _add(Variant(mistake, function, impl=fn, form=form))
        return fn
    return register


def _add(v: Variant) -> None:
    unknown = [m for m in v.mistakes if m not in MISTAKES]
    if unknown:
        raise KeyError(f"variant for unknown mistake {unknown[0]!r}")
    if v.key in VARIANTS:
        raise KeyError(f"two variants for {v.key}")
    VARIANTS[v.key] = v


def inherits(mistake: str, function: str, via: str) -> None:
    """``function`` making ``via``'s mistake in its own code: every form of
    the mistake in ``via`` gives a form of it in ``function``."""
    for source in [v for v in VARIANTS.values() if v.mistake == mistake and v.function == via]:
        _add(Variant(mistake, function, impl=_privately(function, source), via=via, form=source.form))


def _private_function(function: str, build: Callable[[], dict]) -> Callable[..., Any]:
    """``function`` of a private module that ``build()`` makes on the first
    call (closure variables survive ``_rebind``; ``build`` keeps its globals)."""
    made: list[dict] = []

    def private(*args, **kwargs):
        if not made:
            made.append(build())
        return made[0][function](*args, **kwargs)
    private.__name__ = function
    return private


def _privately(function: str, helper: Variant) -> Callable[..., Any]:
    """The reference ``function`` run in its own copy of the module where
    ``helper`` replaces its function."""
    return _private_function(function, lambda: namespace_with(helper))


# ------------------------------------------------------------ namespaces

@functools.cache
def _reference_code() -> types.CodeType:
    return compile(strip_markers(REFERENCE.read_text()), str(REFERENCE), "exec")


def reference_namespace() -> dict:
    """A fresh, private copy of the reference module's globals."""
    namespace = {"__name__": "reference_copy"}
    exec(_reference_code(), namespace)
    return namespace


def _rebind(fn: Callable[..., Any], namespace: dict) -> types.FunctionType:
    assert isinstance(fn, types.FunctionType), fn
    return types.FunctionType(fn.__code__, namespace, fn.__name__, fn.__defaults__, fn.__closure__)


def namespace_with(v: Variant, namespace: dict | None = None) -> dict:
    """The reference namespace with ``v`` swapped in for its function."""
    namespace = reference_namespace() if namespace is None else namespace
    for name in _SHARED_HELPERS:
        namespace.setdefault(name, _rebind(globals()[name], namespace))
    if v.impl is None:
        raise ValueError(f"variant {v.key} has no code")
    namespace[v.function] = _rebind(v.impl, namespace)
    return namespace


def variants_for(function: str) -> list[Variant]:
    return [v for v in VARIANTS.values() if v.function == function]


# ------------------------------------------------------------ Part 1

@variant("abs-not-square", "squared_error")
def _(y_hat, y):
    y_hat, y = as_float_array(y_hat, "y_hat"), as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    errors = np.abs(y_hat - y)
    return errors.mean(axis=1) if errors.ndim == 2 else errors


def _bce_inputs(p, y):
    p, y = as_float_array(p, "p"), as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities in [0, 1]: use bce_with_logits for logits")
    return p, y


@variant("no-clipping", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))


@variant("missing-negative-class-term", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    return -(y * np.log(np.clip(p, eps, 1 - eps)))


@variant("wrong-log-base", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log10(pc) + (1 - y) * np.log10(1 - pc))


@variant("wrong-log-base", "binary_cross_entropy", form="log2")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log2(pc) + (1 - y) * np.log2(1 - pc))


@variant("no-clipping", "binary_cross_entropy", form="masks")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    loss = np.zeros_like(p)
    pos, neg = y > 0, y < 1                         # each term only where it counts: inf, never 0 * log 0
    with np.errstate(divide="ignore"):
        loss[pos] -= y[pos] * np.log(p[pos])
        loss[neg] -= (1 - y[neg]) * np.log(1 - p[neg])
    return loss


@variant("accepts-logits", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = as_float_array(p, "p"), as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    pc = np.clip(p, eps, 1 - eps)
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


@variant("mutates-input", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    pc = np.clip(p, eps, 1 - eps, out=p)   # clips the caller's array in place
    return -(y * np.log(pc) + (1 - y) * np.log(1 - pc))


@variant("accuracy-as-loss", "binary_cross_entropy")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    return ((p >= 0.5) != (y >= 0.5)).astype(np.float64)


def _cce_inputs(probs, y, check_rows=True):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if check_rows and (np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6)):
        raise ValueError("rows of probs must be distributions: use softmax_cross_entropy for logits")
    return probs, class_targets(y, probs.shape)


@variant("no-clipping", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -(t * np.log(probs)).sum(axis=1)


@variant("wrong-log-base", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -(t * np.log2(np.clip(probs, eps, 1 - eps))).sum(axis=1)


@variant("wrong-log-base", "categorical_cross_entropy", form="log10")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -(t * np.log10(np.clip(probs, eps, 1 - eps))).sum(axis=1)


@variant("no-clipping", "categorical_cross_entropy", form="pick")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    with np.errstate(all="ignore"):
        if labels.ndim == 1:                        # -log of the true class's probability: inf, never NaN
            return -np.log(probs[np.arange(len(probs)), labels.astype(int)])
        return -(t * np.log(probs)).sum(axis=1)


@variant("mean-over-classes", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).mean(axis=1)


@variant("label-indexing", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    if labels.ndim == 1:
        return -np.log(np.clip(probs[:, labels.astype(int)], eps, 1 - eps))   # an (m, m) pick
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)


def _picked_block(probs, y, eps):
    """probs[:, y] for integer labels: an (m, m) block of -log probabilities, or None for targets."""
    labels = np.asarray(y)
    if labels.ndim != 1:
        return None
    return -np.log(np.clip(probs[:, labels.astype(int)], eps, 1 - eps))


@variant("label-indexing", "categorical_cross_entropy", form="block-mean")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    block = _picked_block(probs, y, eps)
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1) if block is None else block.mean(axis=1)


@variant("label-indexing", "categorical_cross_entropy", form="block-sum")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    block = _picked_block(probs, y, eps)
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1) if block is None else block.sum(axis=1)


@variant("label-indexing", "categorical_cross_entropy", form="block-column-mean")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    block = _picked_block(probs, y, eps)
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1) if block is None else block.mean(axis=0)


@variant("label-indexing", "categorical_cross_entropy", form="rows-by-label")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    if labels.ndim != 1:
        return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    rows = probs[labels.astype(int)]                # probs[y]: rows picked by label, (m, K)
    return -np.log(np.clip(rows, eps, 1 - eps)).sum(axis=1)


@variant("label-indexing", "categorical_cross_entropy", form="rows-by-label-mean")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    if labels.ndim != 1:
        return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    return -np.log(np.clip(probs[labels.astype(int)], eps, 1 - eps)).mean(axis=1)


@variant("label-indexing", "categorical_cross_entropy", form="diagonal-of-rows")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    if labels.ndim != 1:
        return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    return -np.log(np.clip(np.diagonal(probs[labels.astype(int)]), eps, 1 - eps))   # probs[y_i, i]


@variant("accepts-logits", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y, check_rows=False)
    return -(t * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)


@variant("mutates-input", "categorical_cross_entropy")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -(t * np.log(np.clip(probs, eps, 1 - eps, out=probs))).sum(axis=1)


# ------------------------------------------------------------ Part 2

@variant("sum-not-mean", "batch_mean")
def _(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return float(np.sum(losses))


@variant("mean-off-by-one", "batch_mean")
def _(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return float(np.sum(losses) / (len(losses) - 1)) if len(losses) > 1 else float("inf")


@variant("mean-off-by-one", "batch_mean", form="guarded")
def _(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    n = len(losses)
    return float(np.sum(losses) / (n - 1 if n > 1 else 1))


for _fn in ("mse", "bce", "cce"):
    inherits("sum-not-mean", _fn, via="batch_mean")
inherits("abs-not-square", "mse", via="squared_error")
for _id in ("no-clipping", "missing-negative-class-term", "wrong-log-base", "accuracy-as-loss"):
    inherits(_id, "bce", via="binary_cross_entropy")
for _id in ("no-clipping", "wrong-log-base", "mean-over-classes", "label-indexing"):
    inherits(_id, "cce", via="categorical_cross_entropy")


@variant("unweighted-epoch-mean", "epoch_mean")
def _(batch_means, batch_sizes):
    batch_means = as_float_array(batch_means, "batch_means")
    batch_sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(batch_means, batch_sizes, "batch_means", "batch_sizes")
    require_batch(batch_means, "batch_means")
    if not np.all(batch_sizes > 0):
        raise ValueError("every batch size must be positive")
    return float(np.mean(batch_means))


# ------------------------------------------------------------ Part 3

def _pair(a, b, a_name, b_name, ndims=(1,)):
    a, b = as_float_array(a, a_name), as_float_array(b, b_name)
    require_same_shape(a, b, a_name, b_name)
    require_batch(a, a_name, ndims=ndims)
    return a, b


@variant("grad-missing-mean", "mse_grad")
def _(y_hat, y):
    y_hat, y = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 * (y_hat - y)


@variant("grad-divides-by-m-not-N", "mse_grad")
def _(y_hat, y):
    y_hat, y = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 * (y_hat - y) / y_hat.shape[0]


@variant("grad-missing-2", "mse_grad")
def _(y_hat, y):
    y_hat, y = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return (y_hat - y) / y_hat.size


@variant("grad-sign-flipped", "mse_grad")
def _(y_hat, y):
    y_hat, y = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return 2.0 * (y - y_hat) / y_hat.size


@variant("grad-of-mae", "mse_grad")
def _(y_hat, y):
    y_hat, y = _pair(y_hat, y, "y_hat", "y", (1, 2))
    return np.sign(y_hat - y) / y_hat.size


@variant("grad-missing-mean", "bce_grad")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc))


@variant("grad-sign-flipped", "bce_grad")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return (y - pc) / (pc * (1 - pc)) / len(p)


@variant("logits-grad-for-probs", "bce_grad")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    return (p - y) / len(p)


@variant("no-clipping", "bce_grad")
def _(p, y, eps=1e-8):
    p, y = _bce_inputs(p, y)
    return (p - y) / (p * (1 - p)) / len(p)


@variant("grad-missing-mean", "cce_grad")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -t / np.clip(probs, eps, 1 - eps)


@variant("grad-sign-flipped", "cce_grad")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return t / np.clip(probs, eps, 1 - eps) / len(probs)


@variant("logits-grad-for-probs", "cce_grad")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return (probs - t) / len(probs)


@variant("no-clipping", "cce_grad")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    return -t / probs / len(probs)


@variant("label-indexing", "cce_grad")
def _(probs, y, eps=1e-8):
    probs, t = _cce_inputs(probs, y)
    labels = np.asarray(y)
    if labels.ndim != 1:
        return -t / np.clip(probs, eps, 1 - eps) / len(probs)
    grad = np.zeros_like(probs)
    columns = labels.astype(int)
    grad[:, columns] = -1.0 / np.clip(probs[:, columns], eps, 1 - eps) / len(probs)
    return grad


# ------------------------------------------------------------ Part 4

@variant("unstable-sigmoid", "sigmoid")
def _(z):
    return 1.0 / (1.0 + np.exp(-as_float_array(z, "z")))


@variant("unstable-sigmoid", "sigmoid", form="exp-pos")
def _(z):
    e = np.exp(as_float_array(z, "z"))
    return e / (1.0 + e)


@variant("unstable-sigmoid", "sigmoid", form="where-both")
def _(z):
    z = as_float_array(z, "z")
    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))


@variant("mutates-input", "sigmoid")
def _(z):
    z = as_float_array(z, "z")
    np.clip(z, -500, 500, out=z)    # keeps exp finite by clipping the caller's array in place
    return 1.0 / (1.0 + np.exp(-z))


@variant("softmax-wrong-axis", "softmax")
def _(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    e = np.exp(z - z.max(axis=0, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)


@variant("unstable-softmax", "softmax")
def _(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@variant("softmax-wrong-axis", "softmax", form="column-sums")
def _(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0)                        # each row's max, but the batch's sums


@variant("unstable-softmax", "softmax", form="global-max")
def _(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    e = np.exp(z - z.max())                         # the batch's max, not each row's
    return e / e.sum(axis=-1, keepdims=True)


@variant("unstable-softmax", "softmax", form="rows-only")
def _(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    if z.ndim == 1:                                 # a 1-D special case, stable; the batch is not
        e = np.exp(z - z.max())
        return e / e.sum()
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


@variant("naive-logits-loss", "bce_with_logits")
def _(z, y):
    z, y = _pair(z, y, "z", "y")
    p = sigmoid(z)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


@variant("naive-logits-loss", "bce_with_logits", form="unstable-sigmoid")
def _(z, y):
    z, y = _pair(z, y, "z", "y")
    p = 1.0 / (1.0 + np.exp(-z))
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


@variant("grad-missing-mean", "bce_with_logits_grad")
def _(z, y):
    z, y = _pair(z, y, "z", "y")
    return sigmoid(z) - y


@variant("grad-sign-flipped", "bce_with_logits_grad")
def _(z, y):
    z, y = _pair(z, y, "z", "y")
    return (y - sigmoid(z)) / len(z)


@variant("unstable-sigmoid", "bce_with_logits_grad")
def _(z, y):
    z, y = _pair(z, y, "z", "y")
    return (1.0 / (1.0 + np.exp(-z)) - y) / len(z)


def _logits_inputs(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    return z, class_targets(y, z.shape)


@variant("naive-logits-loss", "softmax_cross_entropy")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    return float(np.mean(-(t * np.log(softmax(z))).sum(axis=1)))


@variant("unstable-softmax", "softmax_cross_entropy")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    return float(np.mean(np.log(np.exp(z).sum(axis=1)) - (t * z).sum(axis=1)))


@variant("unstable-softmax", "softmax_cross_entropy", form="global-max")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    shifted = z - z.max()
    return float(np.mean(np.log(np.exp(shifted).sum(axis=1)) - (t * shifted).sum(axis=1)))


@variant("naive-logits-loss", "softmax_cross_entropy", form="log-of-ratio")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return float(np.mean(-(t * np.log(e / e.sum(axis=1, keepdims=True))).sum(axis=1)))


@variant("softmax-wrong-axis", "softmax_cross_entropy")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    shifted = z - z.max(axis=0, keepdims=True)           # stable, but over the batch axis
    log_p = shifted - np.log(np.exp(shifted).sum(axis=0, keepdims=True))
    return float(np.mean(-(t * log_p).sum(axis=1)))


@variant("grad-missing-mean", "softmax_cross_entropy_grad")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    return softmax(z) - t


@variant("grad-sign-flipped", "softmax_cross_entropy_grad")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    return (t - softmax(z)) / len(z)


@variant("unstable-softmax", "softmax_cross_entropy_grad", form="global-max")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    e = np.exp(z - z.max())
    return (e / e.sum(axis=1, keepdims=True) - t) / len(z)


@variant("unstable-softmax", "softmax_cross_entropy_grad")
def _(logits, y):
    z, t = _logits_inputs(logits, y)
    e = np.exp(z)
    return (e / e.sum(axis=1, keepdims=True) - t) / len(z)


# ------------------------------------------------------------ Part 5

def _step_inputs(w, grad, lr):
    w, grad = as_float_array(w, "w"), as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    return w, grad, float(lr)


@variant("loss-as-update", "sgd_step")
def _(w, grad, lr):
    w, grad, lr = _step_inputs(w, grad, lr)
    return w - lr * float(np.mean(grad ** 2))   # one scalar for every weight


@variant("gradient-ascent", "sgd_step")
def _(w, grad, lr):
    w, grad, lr = _step_inputs(w, grad, lr)
    return w + lr * grad


@variant("mutates-input", "sgd_step")
def _(w, grad, lr):
    w, grad, lr = _step_inputs(w, grad, lr)
    w -= lr * grad
    return w


def _regression_forward(X, y, w, b):
    X, y, w = as_float_array(X, "X"), as_float_array(y, "y"), as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    y_hat = X @ w + float(b)
    return X, y, w, y_hat, mse(y_hat, y), mse_grad(y_hat, y)


@variant("loss-as-update", "linear_regression_step")
def _(X, y, w, b, lr):
    X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
    return w - lr * loss, float(b) - lr * loss, loss


@variant("gradient-ascent", "linear_regression_step")
def _(X, y, w, b, lr):
    X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
    return w + lr * (X.T @ g), float(b) + lr * float(g.sum()), loss


@variant("loss-after-update", "linear_regression_step")
def _(X, y, w, b, lr):
    X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
    w_new, b_new = w - lr * (X.T @ g), float(b) - lr * float(g.sum())
    return w_new, b_new, mse(X @ w_new + b_new, y)


@variant("bias-grad-mean", "linear_regression_step")
def _(X, y, w, b, lr):
    X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
    return w - lr * (X.T @ g), float(b) - lr * float(g.mean()), loss


@variant("mutates-input", "linear_regression_step")
def _(X, y, w, b, lr):
    X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
    w -= lr * (X.T @ g)
    return w, float(b) - lr * float(g.sum()), loss


# ------------------------------------------------------------ Part 6

@variant("mse-for-classification", "loss_for_output")
def _(activation):
    if not isinstance(activation, str) or activation.lower() not in (
            "identity", "linear", "sigmoid", "softmax"):
        raise ValueError(f"unknown output activation {activation!r}")
    return "mse"


@variant("mse-for-classification", "loss_for_output", form="sigmoid-only")
def _(activation):
    table = {"identity": "mse", "linear": "mse", "sigmoid": "mse", "softmax": "cce"}
    if not isinstance(activation, str) or activation.lower() not in table:
        raise ValueError(f"unknown output activation {activation!r}")
    return table[activation.lower()]


@variant("mse-for-classification", "loss_for_output", form="softmax-only")
def _(activation):
    table = {"identity": "mse", "linear": "mse", "sigmoid": "bce", "softmax": "mse"}
    if not isinstance(activation, str) or activation.lower() not in table:
        raise ValueError(f"unknown output activation {activation!r}")
    return table[activation.lower()]


@variant("best-by-train-loss", "best_epoch")
def _(train_losses, val_losses):
    train = as_float_array(train_losses, "train_losses")
    val = as_float_array(val_losses, "val_losses")
    require_same_shape(train, val, "train_losses", "val_losses")
    require_batch(val, "val_losses")
    return int(np.argmin(train))


# ------------------------------------------------------------ mutates-input, everywhere

def _writes_back(function: str) -> Callable[..., Any]:
    """The reference ``function``, which then reuses the caller's first array
    as scratch space (``y_hat -= y`` style): right values, changed input."""
    reference = _private_function(function, reference_namespace)

    def scratch(*args, **kwargs):   # closure variables survive rebinding
        result = reference(*[a.copy() if isinstance(a, np.ndarray) else a for a in args], **kwargs)
        first = next((a for a in args if isinstance(a, np.ndarray) and a.dtype.kind == "f"), None)
        if first is not None:
            first += 1.0
        return result
    scratch.__name__ = function
    return scratch


for _fn in ("squared_error", "batch_mean", "mse", "bce", "cce", "epoch_mean", "mse_grad", "bce_grad", "cce_grad",
            "softmax", "bce_with_logits", "bce_with_logits_grad", "softmax_cross_entropy",
            "softmax_cross_entropy_grad", "accuracy", "best_epoch"):
    _add(Variant("mutates-input", _fn, impl=_writes_back(_fn), form="writes-back"))


# ------------------------------------------------------------ silent-broadcast

def _no_shape_check(a, b, a_name, b_name):
    return None


def _only_empty_check(a, name, ndims=(1,)):
    if a.size == 0:
        raise ValueError(f"{name} is an empty batch")


def _without_shape_check(function: str) -> Callable[..., Any]:
    """The reference ``function`` with its shape checks switched off (only an
    empty batch is still refused), as a student who never checks shapes writes it."""
    def build() -> dict:
        namespace = reference_namespace()
        namespace["require_same_shape"] = _no_shape_check
        namespace["require_batch"] = _only_empty_check
        return namespace
    return _private_function(function, build)


for _fn in ("squared_error", "binary_cross_entropy", "mse", "bce", "mse_grad", "bce_grad",
            "bce_with_logits", "bce_with_logits_grad", "epoch_mean", "sgd_step", "accuracy", "best_epoch"):
    _add(Variant("silent-broadcast", _fn, impl=_without_shape_check(_fn)))


# ------------------------------------------------------------ two slips in one batch loss

def _both(function: str, batch: Variant, per_sample: Variant) -> Callable[..., Any]:
    """The reference batch loss on a private module where its averaging and
    its per-sample loss are both a variant: ``np.sum(np.abs(...))`` in mse."""
    return _private_function(function, lambda: namespace_with(per_sample, namespace_with(batch)))


# per-sample mistakes that change the values a batch loss averages (not its checks or its inputs)
_IN_THE_VALUES = {"abs-not-square", "missing-negative-class-term", "wrong-log-base", "no-clipping",
                  "mean-over-classes", "label-indexing", "accuracy-as-loss"}

for _fn, _per_sample in (("mse", "squared_error"), ("bce", "binary_cross_entropy"),
                         ("cce", "categorical_cross_entropy")):
    for _v in [v for v in list(VARIANTS.values()) if v.function == _per_sample and v.mistake in _IN_THE_VALUES
               and any(w.function == _fn and w.mistake == v.mistake for w in VARIANTS.values())]:
        _add(Variant("sum-not-mean", _fn, impl=_both(_fn, VARIANTS[("sum-not-mean", "batch_mean")], _v),
                     form=f"with-{_v.mistake}" + (f"-{_v.form}" if _v.form else ""), also=(_v.mistake,)))


# ------------------------------------------------------------ several slips in one function

def _scaled(function: str, factor) -> Callable[..., Any]:
    """The reference ``function`` with its result multiplied by ``factor(args)``
    (a flipped sign, a missing 1/m, a missing 2, in any combination)."""
    reference = _private_function(function, reference_namespace)

    def scaled(*args, **kwargs):   # closure variables survive rebinding
        return reference(*args, **kwargs) * factor(args)
    scaled.__name__ = function
    return scaled


def _samples(args) -> int:
    return len(np.asarray(args[0]))


def _elements(args) -> int:
    return np.asarray(args[0]).size


_GRADIENT_FACTORS = {     # mistake: the factor it puts on the right gradient
    "grad-sign-flipped": lambda args: -1.0,
    "grad-missing-2": lambda args: 0.5,
    "grad-divides-by-m-not-N": lambda args: _elements(args) / _samples(args),
}
for _fn in ("mse_grad", "bce_grad", "cce_grad", "bce_with_logits_grad", "softmax_cross_entropy_grad"):
    _factors = dict(_GRADIENT_FACTORS, **{"grad-missing-mean": _elements if _fn == "mse_grad" else _samples})
    _mine = sorted({v.mistake for v in VARIANTS.values() if v.function == _fn} & set(_factors))
    for _i, _first in enumerate(_mine):
        for _second in _mine[_i + 1:]:
            if {_first, _second} == {"grad-missing-mean", "grad-divides-by-m-not-N"}:
                continue                                  # one is a case of the other
            _add(Variant(_first, _fn, impl=_scaled(_fn, lambda args, f=_factors[_first], g=_factors[_second]:
                                                    f(args) * g(args)),
                         form=f"with-{_second}", also=(_second,)))


def _regression_step(ascent=False, bias_mean=False, loss_after=False, loss_as_update=False):
    """linear_regression_step written with some of its lesson's slips at once."""
    def step(X, y, w, b, lr):
        X, y, w, y_hat, loss, g = _regression_forward(X, y, w, b)
        sign = 1.0 if ascent else -1.0
        if loss_as_update:
            w_new, b_new = w + sign * lr * loss, float(b) + sign * lr * loss
        else:
            w_new = w + sign * lr * (X.T @ g)
            b_new = float(b) + sign * lr * float(g.mean() if bias_mean else g.sum())
        return w_new, b_new, (mse(X @ w_new + b_new, y) if loss_after else loss)
    return step


_STEP_SLIPS = {"gradient-ascent": "ascent", "bias-grad-mean": "bias_mean", "loss-after-update": "loss_after",
               "loss-as-update": "loss_as_update"}
for _size in (2, 3):
    for _combo in itertools.combinations(sorted(_STEP_SLIPS), _size):
        if {"loss-as-update", "bias-grad-mean"} <= set(_combo):
            continue                                      # no bias gradient to average when the loss is the step
        _add(Variant(_combo[0], "linear_regression_step",
                     impl=_regression_step(**{_STEP_SLIPS[m]: True for m in _combo}),
                     form="with-" + "-and-".join(_combo[1:]), also=_combo[1:]))


# Private helpers above that variants call: copied into every swapped namespace.
_SHARED_HELPERS = ("_bce_inputs", "_cce_inputs", "_pair", "_step_inputs",
                   "_regression_forward", "_logits_inputs", "_picked_block")
