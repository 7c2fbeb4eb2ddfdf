"""Plain-data encoding of call arguments and results.

Everything that crosses the boundary between the grader and student code is
turned into JSON-safe data here: no pickle, no object of the student's ever
reaches the grader. Results keep their exact type: a float subclass, an
ndarray subclass or any other object is recorded as ``other`` and never
compared by value, so an object whose ``__eq__`` claims equality with
anything earns nothing.

This module runs inside the sandbox too: it imports only numpy and the
standard library.
"""
from __future__ import annotations

import base64
import math

import numpy as np

from . import caps

MAX_ITEMS = 1_000_000        # array elements kept from one result
MAX_STR = 2_000              # characters kept from one string or message
MAX_DEPTH = 4                # nesting of tuples/lists in a result


class EncodingError(ValueError):
    """Data that does not follow the schema (from a broken or hostile child)."""


# ---------------------------------------------------------------- arguments

def encode_arg(value):
    """Encode a probe argument (trusted data built by the grader)."""
    if isinstance(value, np.ndarray):
        data = np.ascontiguousarray(value)
        return {"t": "nd", "dtype": data.dtype.str, "shape": list(data.shape),
                "b64": base64.b64encode(data.tobytes()).decode("ascii"),
                "readonly": not value.flags.writeable}
    if isinstance(value, tuple):
        return {"t": "tuple", "items": [encode_arg(v) for v in value]}
    if isinstance(value, list):
        return {"t": "list", "items": [encode_arg(v) for v in value]}
    if value is None or isinstance(value, (bool, int, float, str)):
        return {"t": "py", "v": value}
    raise TypeError(f"cannot encode probe argument of type {type(value).__name__}")


def decode_arg(data):
    t = data["t"]
    if t == "nd":
        array = np.frombuffer(base64.b64decode(data["b64"]), dtype=np.dtype(data["dtype"]))
        array = array.reshape(data["shape"]).copy()
        if data.get("readonly"):
            array.setflags(write=False)
        return array
    if t == "tuple":
        return tuple(decode_arg(v) for v in data["items"])
    if t == "list":
        return [decode_arg(v) for v in data["items"]]
    if t == "py":
        return data["v"]
    raise EncodingError(f"unknown argument tag {t!r}")


# ---------------------------------------------------------------- results

def encode_result(value, depth=0):
    """Describe a student's result as plain data, keeping its exact type."""
    kind = type(value)
    if kind is float or kind is np.float64:
        return {"t": "float" if kind is float else "np.float64", "v": float(value)}
    if kind is int or kind in (np.int64, np.int32, np.intp):
        return {"t": "int" if kind is int else "np.int", "v": int(value)}
    if kind is bool or kind is np.bool_:
        return {"t": "bool", "v": bool(value)}
    if kind is str:
        return {"t": "str", "v": value[:MAX_STR]}
    if value is None:
        return {"t": "none"}
    if kind is np.ndarray:
        if value.dtype.kind not in "biuf":
            return {"t": "other", "type": f"ndarray of dtype {value.dtype}"}
        if value.size > MAX_ITEMS:
            return {"t": "other", "type": f"ndarray of {value.size} elements (too large)"}
        data = np.ascontiguousarray(value, dtype=np.float64)
        return {"t": "nd", "dtype": str(value.dtype), "shape": list(value.shape),
                "b64": base64.b64encode(data.tobytes()).decode("ascii")}
    if kind in (tuple, list) and depth < MAX_DEPTH and len(value) <= 16:
        return {"t": kind.__name__, "items": [encode_result(v, depth + 1) for v in value]}
    return {"t": "other", "type": _type_name(kind)}


def _type_name(kind) -> str:
    try:
        return f"{kind.__module__}.{kind.__qualname__}"[:caps.DETAIL]
    except Exception:  # a hostile metaclass
        return "unknown type"


def decode_result(data, depth=0):
    """Turn encoded result data back into plain Python/numpy values.

    Validates the schema strictly: anything unexpected raises EncodingError.
    Returns a ``Value``: (tag, payload) with payload a float, int, str, bool,
    None, float64 ndarray, a tuple of Values, or a type name for ``other``.
    """
    if not isinstance(data, dict) or depth > MAX_DEPTH + 1:
        raise EncodingError("result is not an object")
    t = data.get("t")
    if t in ("float", "np.float64"):
        return Value(t, _number(data.get("v"), float))
    if t in ("int", "np.int"):
        return Value(t, _number(data.get("v"), int))
    if t == "bool":
        return Value(t, bool(data.get("v")))
    if t == "str":
        v = data.get("v")
        if not isinstance(v, str):
            raise EncodingError("str result without a string")
        return Value(t, v[:MAX_STR])
    if t == "none":
        return Value(t, None)
    if t == "nd":
        shape = data.get("shape")
        if not (isinstance(shape, list) and all(isinstance(n, int) and n >= 0 for n in shape)):
            raise EncodingError("bad array shape")
        try:
            raw = base64.b64decode(str(data.get("b64", "")), validate=True)
        except ValueError:                       # binascii.Error: not base64
            raise EncodingError("array data is not base64") from None
        if len(shape) <= 3 and all(n < 2**20 for n in shape):
            count = math.prod(shape)             # what np.prod gives below int64's overflow, faster
        else:
            count = int(np.prod(shape)) if shape else 1
        if len(raw) != 8 * count or count > MAX_ITEMS:
            raise EncodingError("array data does not match its shape")
        array = np.frombuffer(raw, dtype=np.float64).reshape(shape).copy()
        return Value(t, array, dtype=str(data.get("dtype", ""))[:40])
    if t in ("tuple", "list"):
        items = data.get("items")
        if not isinstance(items, list) or len(items) > 16:
            raise EncodingError("bad sequence result")
        return Value(t, tuple(decode_result(v, depth + 1) for v in items))
    if t == "other":
        return Value(t, str(data.get("type", "?"))[:caps.DETAIL])
    raise EncodingError(f"unknown result tag {t!r}")


def _number(v, kind):
    if kind is float and isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    if kind is int and isinstance(v, int) and not isinstance(v, bool):
        return v
    raise EncodingError("number expected")


class Value:
    """A decoded result: its exact type tag and its plain payload."""

    __slots__ = ("tag", "payload", "dtype")

    def __init__(self, tag, payload, dtype=""):
        self.tag, self.payload, self.dtype = tag, payload, dtype

    def __repr__(self):
        return f"Value({self.tag}, {self.payload!r})"

    @property
    def kind(self) -> str:
        """What the contract cares about: float, int, str, array, tuple, ..."""
        return _KINDS.get(self.tag, self.tag)


_KINDS = {"float": "float", "np.float64": "float", "int": "int", "np.int": "int", "nd": "array", "tuple": "tuple"}
