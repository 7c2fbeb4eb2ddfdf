"""Strict comparison of outcomes.

Results are compared as plain float64 arrays / Python numbers after decoding,
never through the student's objects. Shapes must be equal (no broadcasting,
an (m, m) array is not an (m,) one), the kind must be the one the contract
names (a shape-(1,) array is not a float), NaN equals nothing in scoring and
matches NaN only in diagnosis, inf matches only the same inf.
"""
from __future__ import annotations

import numpy as np

from .outcomes import Outcome
from .values import Value

RTOL = 1e-6
ATOL = 1e-10


def values_close(a: np.ndarray, b: np.ndarray, nan_equal: bool) -> bool:
    """Elementwise closeness of two float64 arrays of the same shape."""
    if a.shape != b.shape:
        return False
    both_nan = np.isnan(a) & np.isnan(b)
    if both_nan.any() and not nan_equal:
        return False
    with np.errstate(all="ignore"):
        close = (a == b) | (np.abs(a - b) <= ATOL + RTOL * np.abs(b))
    return bool(np.all(close | both_nan))


def same_value(got: Value, want: Value, nan_equal: bool = False) -> bool:
    """Is ``got`` what the contract asks for when ``want`` is the right answer?"""
    if got.kind != want.kind:
        return False
    if want.kind == "float":
        return values_close(np.float64(got.payload).reshape(()), np.float64(want.payload).reshape(()), nan_equal)
    if want.kind == "array":
        if got.dtype != "float64":
            return False
        return values_close(got.payload, want.payload, nan_equal)
    if want.kind == "tuple":
        return (len(got.payload) == len(want.payload)
                and all(same_value(g, w, nan_equal) for g, w in zip(got.payload, want.payload)))
    if want.kind in ("int", "str", "bool", "none"):
        return got.payload == want.payload
    return False  # "other" is never equal to anything


def same_outcome(got: Outcome, want: Outcome, nan_equal: bool = True) -> bool:
    """Did two calls behave alike? Used by the diagnosis (NaN matches NaN).

    Raised errors match when both are ValueErrors or both the same type;
    floating-point warnings and input mutation are part of the behaviour.
    """
    if got.status != want.status:
        return False
    if got.fp != want.fp or got.mutated != want.mutated:
        return False
    if got.status == "raised":
        return got.value_error == want.value_error and (got.value_error or got.error_type == want.error_type)
    if got.status == "ok":
        return same_value(got.value, want.value, nan_equal)
    return True


def describe_value(v: Value) -> str:
    if v.kind == "array":
        return f"an array of shape {tuple(v.payload.shape)} (dtype {v.dtype})"
    if v.kind == "tuple":
        return f"a tuple of {len(v.payload)} items"
    if v.tag == "np.float64":
        return "a numpy float64"
    if v.kind == "other":
        return f"an object of type {v.payload}"
    article = "an" if v.kind[:1] in "aeiou" else "a"
    return f"{article} {v.kind}"


def explain_mismatch(got: Outcome, want: Outcome) -> str:
    """One plain sentence on how a student's outcome differs from the right one.

    It never quotes the hidden probe or the right value: only kinds, shapes
    and how the numbers relate (a factor, a sign).
    """
    if got.status == "missing":
        return "the function is not defined"
    if got.status in ("timeout", "crashed", "bad-output"):
        return got.error_message or got.status
    if got.not_implemented:
        return "not implemented yet (raises NotImplementedError)"
    if want.status == "raised":
        if got.status == "ok":
            return "returned a result where the contract asks for a ValueError"
        return f"raised {got.error_type} where the contract asks for a ValueError"
    if got.status == "raised":
        return f"raised {got.error_type}: {got.error_message}"
    g, w = got.value, want.value
    if g.kind != w.kind:
        return f"returned {describe_value(g)}; the contract asks for {describe_value(w)}"
    if w.kind == "array" and g.payload.shape != w.payload.shape:
        extra = " (an (m, m) result: did an (m, 1) column broadcast against (m,)?)" if (
            g.payload.ndim == 2 and g.payload.shape[0] == g.payload.shape[1] != 1) else ""
        return f"returned shape {tuple(g.payload.shape)}, expected {tuple(w.payload.shape)}{extra}"
    if w.kind == "array" and g.dtype != "float64":
        return f"returned dtype {g.dtype}; the contract asks for float64"
    if w.kind == "tuple":
        for index, (gi, wi) in enumerate(zip(g.payload, w.payload)):
            if not same_value(gi, wi):
                return f"item {index} of the tuple: " + explain_mismatch(
                    Outcome("ok", gi), Outcome("ok", wi))
    if w.kind in ("float", "array"):
        return _numbers_relation(np.asarray(g.payload, dtype=np.float64), np.asarray(w.payload, dtype=np.float64))
    return "returned a different value"


def _numbers_relation(got: np.ndarray, want: np.ndarray) -> str:
    if np.isnan(got).any() and not np.isnan(want).any():
        return "returned NaN where the right result is a number"
    if np.isinf(got).any() and not np.isinf(want).any():
        return "returned inf where the right result is finite"
    mask = (np.abs(want) > 1e-12) & np.isfinite(got) & np.isfinite(want)
    if mask.any():
        ratio = got[mask] / want[mask]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6):
            r = float(ratio.flat[0])
            if abs(r + 1) < 1e-6:
                return "the values have the wrong sign"
            return f"the values are off by a constant factor of {r:.4g}"
    return "the values differ from the right ones"
