"""Run one call of a student's function and describe what happened as data.

The same code runs in the sandboxed child (engine) and in-process (for
trusted code: the reference and the catalogue's variants), so both are
judged by identical rules. It imports only numpy, the standard library and
``values``.
"""
from __future__ import annotations

import warnings

import numpy as np

from . import caps, values

try:        # numpy 2: the whole floating-point error state (modes and callback) is this variable's value
    from numpy._core import umath as _umath
    _ERROR_STATE = getattr(_umath, "_extobj_contextvar", None)
except ImportError:  # pragma: no cover - numpy 1: re-armed before every call
    _ERROR_STATE = None


def _error_state():
    """An object that is the same exactly while numpy's error state is (None: unknown)."""
    return _ERROR_STATE.get() if _ERROR_STATE is not None else None


def run_calls(namespace: dict, calls, ask=None):
    """Execute encoded calls one after the other, yielding one outcome each:

    {"status": "ok" | "raised" | "missing", "value", "error": {"type",
    "message", "value_error", "not_implemented"}, "fp": [numpy floating-point
    errors], "warnings": n, "mutated": [argument indices written into]}

    The warning capture is set up once for the batch; numpy's error state is
    re-armed before every call that finds it changed (student code may change
    it: with numpy 2 any change replaces the object ``_error_state`` returns). A call with
    ``"serve": [names]`` runs with those contract functions replaced by
    proxies that ask the grader (``ask``, see ``carry``).
    """
    fp_errors: set[str] = set()
    record = fp_errors.add

    def callback(err, flag):
        record(err.split()[0])
    old_call = np.seterrcall(callback)
    old_state = np.seterr(all="call", under="ignore")
    armed = _error_state()
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for call in calls:
                fp_errors.clear()
                if armed is None or _error_state() is not armed:     # the last call changed it
                    np.seterr(all="call", under="ignore")
                    np.seterrcall(callback)
                    armed = _error_state()
                seen = len(caught)
                outcome = _execute(namespace, call, ask)
                outcome["warnings"] = len(caught) - seen
                outcome["fp"] = sorted(fp_errors)
                del caught[:]
                yield outcome
    finally:
        np.seterr(**old_state)
        np.seterrcall(old_call)


def _execute(namespace: dict, call: dict, ask=None) -> dict:
    served = call.get("serve") or []
    if not served:
        return _execute_plain(namespace, call)
    saved = {name: namespace.get(name) for name in served}
    namespace.update(proxies(served, ask))
    try:
        return _execute_plain(namespace, call)
    finally:
        for name, value in saved.items():
            if value is None:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _execute_plain(namespace: dict, call: dict) -> dict:
    fn = namespace.get(call["fn"])
    if not callable(fn):
        return {"status": "missing", "mutated": []}
    args = [values.decode_arg(a) for a in call["args"]]
    kwargs = {k: values.decode_arg(v) for k, v in call.get("kwargs", {}).items()}
    before = [a.copy() if isinstance(a, np.ndarray) else _snapshot(a) for a in args]
    try:
        result = fn(*args, **kwargs)
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything, SystemExit too
        outcome = {"status": "raised", "error": _describe_error(exc)}
    else:
        try:
            outcome = {"status": "ok", "value": values.encode_result(result)}
        except Exception as exc:  # noqa: BLE001 - a hostile __len__ or similar
            outcome = {"status": "raised", "error": _describe_error(exc)}
    outcome["mutated"] = [i for i, (a, b) in enumerate(zip(before, args)) if _changed(a, b)]
    return outcome


def proxies(names, ask) -> dict:
    """Stand-ins for served helpers (``carry``): each sends its arguments as
    plain data through ``ask(request) -> answer`` and returns (or raises)
    what the reference did with them."""
    def make(name):
        def helper(*args, **kwargs):
            request = {"type": "helper", "fn": name,   # protocol.Kind.HELPER
                       "args": [values.encode_result(a) for a in args],
                       "kwargs": {str(k): values.encode_result(v) for k, v in kwargs.items()}}
            answer = ask(request) if ask is not None else None
            if not isinstance(answer, dict):
                raise RuntimeError(f"{name}: the grader did not answer")
            if "value" in answer:
                return values.decode_arg(answer["value"])
            if answer.get("raised") == "ValueError":
                raise ValueError(str(answer.get("message", "")))
            raise RuntimeError(f"{name}: {answer.get('raised')}: {answer.get('message', '')}")
        helper.__name__ = helper.__qualname__ = name
        return helper
    return {name: make(name) for name in names}


def _describe_error(exc: BaseException) -> dict:
    try:
        message = str(exc)[:caps.MESSAGE]
    except Exception:  # noqa: BLE001
        message = "<unprintable message>"
    return {"type": type(exc).__name__[:caps.TYPE_NAME], "message": message,
            "value_error": isinstance(exc, ValueError),
            "not_implemented": isinstance(exc, NotImplementedError)}


def _snapshot(arg):
    if isinstance(arg, np.ndarray):
        return arg.copy()
    if isinstance(arg, list):
        return [_snapshot(a) for a in arg]
    return arg


def _changed(before, after) -> bool:
    if isinstance(before, np.ndarray):
        if not (isinstance(after, np.ndarray) and before.shape == after.shape and before.dtype == after.dtype):
            return True
        return before.tobytes() != after.tobytes() and not np.array_equal(before, after, equal_nan=True)
    if isinstance(before, list):
        return not (isinstance(after, list) and len(before) == len(after)
                    and not any(_changed(a, b) for a, b in zip(before, after)))
    return False
