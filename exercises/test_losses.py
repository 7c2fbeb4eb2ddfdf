"""Public checks for losses.py. Run them with:

    python -m pytest exercises

Each case feeds fixed inputs to one of your functions and compares the result
with the expected value stored in public_cases.json. When your numbers show a
mistake the lesson warns about (a batch loss m times too large, a flipped
sign, ...), the failure message says which.
"""
import json
from pathlib import Path

import numpy as np
import pytest

CASES = json.loads((Path(__file__).with_name("public_cases.json")).read_text())["cases"]
RTOL, ATOL = 1e-7, 1e-10


def as_argument(arg):
    if isinstance(arg, dict) and "array" in arg:
        return np.array(arg["array"], dtype=np.float64)
    return arg


def describe(value):
    if isinstance(value, np.ndarray):
        return f"ndarray of shape {value.shape}, dtype {value.dtype}: {np.array2string(value, precision=6)}"
    return f"{type(value).__name__} {value!r}"


def known_mistake(got, want, m):
    """Name the lesson's mistake that the ratio or sign of the numbers shows, if any."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        if got.ndim == want.ndim + 1 or (got.ndim == 2 and got.shape[0] == got.shape[1]):
            return "the result has an extra axis: an (m, 1) column met an (m,) vector and numpy broadcast them"
        return ""
    if not np.all(np.isfinite(got)):
        return "inf or NaN: a log of 0 (clip p to [eps, 1 - eps]) or an overflowing exp (subtract the max)"
    mask = np.abs(want) > 1e-12
    if not mask.any():
        return ""
    ratio = got[mask] / want[mask]
    if not np.allclose(ratio, ratio.flat[0], rtol=1e-6):
        return ""
    r = float(ratio.flat[0])
    hints = {
        float(m): f"exactly m = {m} times too large: summed instead of averaged over the batch?",
        1.0 / m if m else 0.0: f"exactly m = {m} times too small: divided twice by the batch size?",
        -1.0: "the sign is flipped: the gradient points uphill",
        0.5: "exactly half: a factor 2 is missing (d/dx of x**2 is 2x)",
        2.0: "exactly twice too large: a factor 2 too many?",
        1 / np.log(10): "the log is base 10: use the natural log np.log",
        1 / np.log(2): "the log is base 2: use the natural log np.log",
        m / (m - 1) if m > 1 else 0.0: "divided by m - 1 instead of m",
    }
    for factor, hint in hints.items():
        if factor and abs(r - factor) < 1e-6 * abs(factor):
            return hint
    return ""


def check_result(got, expected, m):
    kind, want = next(iter(expected.items()))
    if kind == "tuple":
        assert isinstance(got, tuple) and len(got) == len(want), (
            f"expected a tuple of {len(want)} items, got {describe(got)}")
        for item, sub in zip(got, want):
            check_result(item, sub, m)
        return
    if kind == "array":
        shape = tuple(expected["shape"])
        assert isinstance(got, np.ndarray), f"expected an ndarray of shape {shape}, got {describe(got)}"
        hint = known_mistake(got, np.array(want), m)
        assert got.shape == shape, f"expected shape {shape}, got shape {got.shape}. {hint}"
        assert got.dtype == np.float64, f"expected dtype float64, got {got.dtype}"
        assert np.allclose(got, np.array(want), rtol=RTOL, atol=ATOL), (
            f"expected {np.array2string(np.array(want), precision=6)}, got {describe(got)}. {hint}")
        return
    if kind == "float":
        assert isinstance(got, float), f"expected a Python float, got {describe(got)}"
        hint = known_mistake(got, want, m)
        assert np.isclose(got, want, rtol=RTOL, atol=ATOL), f"expected {want!r}, got {got!r}. {hint}"
        return
    if kind == "int":
        assert isinstance(got, (int, np.integer)) and not isinstance(got, bool), (
            f"expected an int, got {describe(got)}")
        assert got == want, f"expected {want}, got {got}"
        return
    assert kind == "str", kind
    assert got == want, f"expected {want!r}, got {describe(got)}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case(losses, case):
    function = getattr(losses, case["function"])
    args = [as_argument(a) for a in case["args"]]
    expected = case["expected"]
    first = np.asarray(args[0], dtype=object) if case["args"] else None
    m = len(args[0]) if first is not None and first.ndim >= 1 else 1
    if "raises" in expected:
        with pytest.raises(ValueError):
            function(*args, **case["kwargs"])
        return
    got = function(*args, **case["kwargs"])
    check_result(got, expected, m)
