"""Strict comparison of outcomes.

Results are compared as plain float64 arrays / Python numbers after decoding,
never through the student's objects. Shapes must be equal (no broadcasting,
an (m, m) array is not an (m,) one), the kind must be the one the contract
names (a shape-(1,) array is not a float), NaN equals nothing in scoring and
matches NaN only in diagnosis, inf matches only the same inf.
"""
from __future__ import annotations

import builtins
import math
import re
from dataclasses import replace
from fractions import Fraction

import numpy as np

from autograder.grading.findings import Finding, FindingKind, say
from autograder.grading.outcomes import Outcome
from autograder.sandbox.runtime.values import Value

RTOL = 1e-6
ATOL = 1e-10


def values_close(a: np.ndarray, b: np.ndarray, nan_equal: bool) -> bool:
    """Elementwise closeness of two float64 arrays of the same shape."""
    if a.shape != b.shape:
        return False
    with np.errstate(all="ignore"):
        close = (a == b) | (np.abs(a - b) <= ATOL + RTOL * np.abs(b))
    if close.all():          # then no NaN on either side (NaN is close to nothing)
        return True
    both_nan = np.isnan(a) & np.isnan(b)
    if both_nan.any() and not nan_equal:
        return False
    return bool(np.all(close | both_nan))


def floats_close(a: float, b: float, nan_equal: bool) -> bool:
    """``values_close`` of two numbers, with Python's floats (the same IEEE
    arithmetic, without numpy's cost per call)."""
    if a == b or abs(a - b) <= ATOL + RTOL * abs(b):
        return True
    return nan_equal and a != a and b != b


def same_value(got: Value, want: Value, nan_equal: bool = False) -> bool:
    """Is ``got`` what the contract asks for when ``want`` is the right answer?"""
    if got.kind != want.kind:
        return False
    if want.kind == "float":
        return floats_close(float(got.payload), float(want.payload), nan_equal)
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
        return same_value(got.result, want.result, nan_equal)
    return True


# ------------------------------------------------------------------ wording
#
# Everything below turns outcomes into what a student reads (a ``Finding``,
# which ``findings.say`` words). The
# student's own code chose much of what an outcome holds (an exception's
# message and class name, a returned shape, dtype or type name, an exit
# code) and it ran on the hidden probes, so any of it may carry a probe
# value. A finding therefore names only what the grader itself can vouch
# for: a builtin exception's name, a shape made of the right result's own
# dimensions, a known dtype, a factor the lesson names. It never quotes the
# hidden probe, the right value, or the student's words.

_NUMPY_EXCEPTIONS = frozenset({
    "LinAlgError", "AxisError", "DTypePromotionError", "TooHardError", "ComplexWarning", "RankWarning",
    "VisibleDeprecationWarning", "ModuleDeprecationWarning", "UFuncTypeError", "_UFuncNoLoopError",
    "_UFuncBinaryResolutionError", "_UFuncInputCastingError", "_UFuncOutputCastingError", "_ArrayMemoryError",
})
_BUILTIN_EXCEPTIONS = frozenset(name for name, obj in vars(builtins).items()
                                if isinstance(obj, type) and issubclass(obj, BaseException))
_DTYPES = frozenset({"bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                     "float16", "float32", "float64", "float128", "longdouble", "intc", "uintc", "longlong"})


def exception_name(error_type: str, value_error: bool = False) -> str:
    """A raised exception as a student may be told of it: the name of a
    Python or numpy exception, or that it is a class of the student's own
    (whose name the student's code chose, maybe from the probe)."""
    if error_type in _BUILTIN_EXCEPTIONS or error_type in _NUMPY_EXCEPTIONS:
        return error_type
    return "an exception of a class defined in your code" + (" (a kind of ValueError)" if value_error else "")


def _shape(shape) -> str:
    return str(tuple(int(n) for n in shape))


def student_shape(shape, want_shape=None) -> str:
    """The shape of an array the student returned, written out only when
    every dimension is one the right result has (or 0 or 1): any other
    number in it was the student's choice, maybe a probe value."""
    shape = tuple(shape)
    allowed = {0, 1} | set(want_shape or ())
    if len(shape) <= max(len(want_shape or ()), 1) + 1 and all(n in allowed for n in shape):
        return f"shape {_shape(shape)}"
    dims = f"{len(shape)}-d" if 1 <= len(shape) <= 3 else ("0-d" if not shape else "more than 3-d")
    return f"another shape ({dims})"


def _dtype(dtype: str) -> str:
    return f"dtype {dtype}" if dtype in _DTYPES else "a dtype other than float64"


def _other_type(name: str) -> str:
    """What an unreadable result was, from the type name the child reported."""
    if name.startswith("ndarray of dtype "):
        dtype = name[len("ndarray of dtype "):]
        for prefix, words in (("<U", "strings"), (">U", "strings"), ("|S", "bytes"), ("str", "strings"),
                              ("bytes", "bytes"), ("object", "Python objects"), ("|O", "Python objects"),
                              ("complex", "complex numbers"), ("<c", "complex numbers"),
                              ("datetime", "dates"), ("timedelta", "time spans")):
            if dtype.startswith(prefix):
                return f"an array of {words}"
        return "an array that is not numbers"
    if name.startswith("ndarray of ") and name.endswith("(too large)"):
        return "an array too large to read"
    module, _, qualname = name.rpartition(".")
    if module == "builtins" and isinstance(getattr(builtins, qualname, None), type):
        return f"an object of type {qualname}"
    if module.split(".")[0] == "numpy" and isinstance(getattr(np, qualname, None), type):
        return f"an object of type numpy.{qualname}"
    return "an object of a type defined in your code"


def describe_value(v: Value, want: Value | None = None) -> str:
    """A value in words. ``want`` given: ``v`` is the student's, told only
    through what the grader can vouch for (see ``student_shape``)."""
    if v.kind == "array":
        if want is None:
            return f"an array of shape {_shape(v.payload.shape)} (dtype {v.dtype})"
        want_shape = tuple(want.payload.shape) if want.kind == "array" else ()
        return f"an array of {student_shape(v.payload.shape, want_shape)} ({_dtype(v.dtype)})"
    if v.kind == "tuple":
        return f"a tuple of {len(v.payload)} items"
    if v.tag == "np.float64":
        return "a numpy float64"
    if v.kind == "other":
        return _other_type(str(v.payload))
    article = "an" if v.kind[:1] in "aeiou" else "a"
    return f"{article} {v.kind}"


_FAILURES = [   # (pattern of what the sandbox reported, what the student is told)
    (r"timed out after \d+(\.\d+)? s", None),
    (r"skipped: an earlier call of this function timed out", None),
    (r"the submission's time limit was reached", None),
    (r"crashed: the process was ended by (a segmentation fault|SIGKILL \(a limit was hit\)|the CPU-time limit"
     r"|the file-size limit|an abort|a refused system call)", None),
    (r"crashed: the process was ended by signal \d+", "crashed: the process was ended by a signal"),
    (r"crashed: the process exited with code \d+",
     "crashed: the process exited while the function ran (exit() or os._exit()?)"),
    (r"(crashed: )?the call broke the grading channel.*", "crashed: the call broke the grading channel"),
    (r"the call produced no result", None),
]


def failure_text(got: Outcome) -> str:
    """A call that produced nothing (timeout, crash, unreadable result), in
    the sandbox's own words where those hold nothing the student chose."""
    if got.status == "bad-output":
        return "returned a result the grader could not read"
    message = got.error_message
    for pattern, told in _FAILURES:
        if re.fullmatch(pattern, message):
            return told or message
    return "timed out" if got.status == "timeout" else "the process running your function stopped"


def mismatch(got: Outcome, want: Outcome) -> Finding:
    """How a student's outcome differs from the right one, as data
    (``findings.say`` words it).

    It holds nothing of the hidden probe, the right value or anything the
    student's code chose (see above): only kinds, shapes, the names of
    Python's exceptions, a sign and the factors the lesson names.
    """
    if got.status == "missing":
        return Finding(FindingKind.MISSING)
    if got.status in ("timeout", "crashed", "bad-output"):
        return Finding(FindingKind.STOPPED, got=failure_text(got))
    if got.not_implemented:
        return Finding(FindingKind.NOT_IMPLEMENTED)
    if want.status == "raised":
        if got.status == "ok":
            return Finding(FindingKind.LET_THROUGH)
        return Finding(FindingKind.WRONG_ERROR, got=exception_name(got.error_type, got.value_error))
    if got.status == "raised":
        return Finding(FindingKind.RAISED, got=exception_name(got.error_type, got.value_error))
    g, w = got.result, want.result
    if g.kind != w.kind:
        return Finding(FindingKind.WRONG_TYPE, got=describe_value(g, w), want=describe_value(w))
    if w.kind == "array" and g.payload.shape != w.payload.shape:
        want_shape = tuple(w.payload.shape)
        square = (g.payload.ndim == 2 and g.payload.shape[0] == g.payload.shape[1] != 1
                  and g.payload.shape[0] in want_shape)
        return Finding(FindingKind.SQUARE_SHAPE if square else FindingKind.WRONG_SHAPE,
                       got=student_shape(g.payload.shape, want_shape), want=_shape(want_shape))
    if w.kind == "array" and g.dtype != "float64":
        return Finding(FindingKind.WRONG_DTYPE, got=_dtype(g.dtype))
    if w.kind == "tuple":
        for index, (gi, wi) in enumerate(zip(g.payload, w.payload)):
            if not same_value(gi, wi):
                return replace(mismatch(Outcome("ok", gi), Outcome("ok", wi)), item=index)
    if w.kind in ("float", "array"):
        return _numbers_relation(np.asarray(g.payload, dtype=np.float64), np.asarray(w.payload, dtype=np.float64))
    return Finding(FindingKind.DIFFERENT_VALUE)


def explain_mismatch(got: Outcome, want: Outcome) -> str:
    """``mismatch`` in words, told of no check (no tuple item's name)."""
    return say(mismatch(got, want))


# Factors the lesson's mistakes produce. A factor is named only when it is one
# of these (to 1e-9): a student who returns a constant c gets no "factor of
# c / right value" back, which would be the right value in other digits.
# ("{right}" is "the right value" or "the right values".)
_LOG_FACTORS = [
    (1 / math.log(2), "1/ln 2 times {right} (a base-2 log instead of the natural log?)"),
    (1 / math.log(10), "1/ln 10 times {right} (a base-10 log instead of the natural log?)"),
    (math.log(2), "ln 2 times {right}"),
    (math.log(10), "ln 10 times {right}"),
]


def named_factor(r: float) -> str | None:
    """``r`` in words when it is a factor a formula makes (an integer up to
    64, a fraction p/q with q up to 16, a change of log base), else None."""
    if not math.isfinite(r) or r == 0:
        return None
    for value, words in _LOG_FACTORS:
        if abs(r - value) <= 1e-9 * value:
            return words
    fraction = Fraction(r).limit_denominator(16)
    if abs(float(fraction) - r) > 1e-9 * abs(r) or abs(fraction.numerator) > 64 or abs(fraction) == 1:
        return None
    p, q = abs(fraction.numerator), fraction.denominator
    sign = ", with the wrong sign" if fraction < 0 else ""
    if q == 1:
        return f"exactly {p} times {{right}}{sign}"
    if p == 1:
        return ("exactly half {right}" if q == 2 else f"exactly 1/{q} of {{right}}") + sign
    if q == 2:
        return f"exactly {p / 2:g} times {{right}}{sign}"
    return f"exactly {p}/{q} times {{right}}{sign}"


def _numbers_relation(got: np.ndarray, want: np.ndarray) -> Finding:
    many = want.size != 1
    if np.isnan(got).any() and not np.isnan(want).any():
        return Finding(FindingKind.RETURNED_NAN)
    if np.isinf(got).any() and not np.isinf(want).any():
        return Finding(FindingKind.RETURNED_INF)
    mask = (np.abs(want) > 1e-12) & np.isfinite(got) & np.isfinite(want)
    if mask.any():
        ratio = got[mask] / want[mask]
        if np.allclose(ratio, ratio.flat[0], rtol=1e-6):
            r = float(ratio.flat[0])
            if abs(r + 1) < 1e-6:
                return Finding(FindingKind.WRONG_SIGN, many=many)
            words = named_factor(r)
            if words:
                right = "the right values" if many else "the right value"
                return Finding(FindingKind.FACTOR, many=many, factor=words.format(right=right))
            if many:
                return Finding(FindingKind.UNNAMED_FACTOR, many=many)
    return Finding(FindingKind.WRONG_VALUE, many=many)


# Free text a student's code wrote (an error message while loading, an exit
# code) may carry a probe value or a right answer in other words.
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_RUN = re.compile(r"[A-Za-z0-9+/=_\\-]{16,}")


def _too_precise(number: str) -> bool:
    bare = number.lstrip("+-")
    mantissa = re.split(r"[eE]", bare)[0]
    return len(mantissa.replace(".", "").strip("0")) >= 3


def hide_numbers(text: str) -> str:
    """Hide what in a sentence could be a probe value: every number of three
    or more significant digits (a line number aside), a word with such digits
    in it (a class named after a probe) and every long run of letters and
    digits (base64, hex). Shapes, 1.5, 1e-08 and float64 stay."""
    def hide(match: re.Match) -> str:
        token = match.group()
        if token[0].isalpha() or token[0] == "_":
            if token in _DTYPES or not any(_too_precise(run) for run in re.findall(r"\d+", token)):
                return token
            return "[value hidden]"
        if text[max(0, match.start() - 5):match.start()] == "line ":
            return token
        return "[value hidden]" if _too_precise(token) else token
    text = _TOKEN.sub(hide, text)
    return _RUN.sub(lambda m: "[hidden]" if re.search(r"\d", m.group()) else m.group(), text)
