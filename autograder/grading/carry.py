"""Error carried forward: each function judged on its own.

A student's ``mse`` that calls the student's own ``batch_mean`` inherits its
mistake. A function that fails a check is therefore run a second time with
the contract functions it may call (the reference's own call graph,
``HELPERS``) *served* by the grader: inside the student's module those names
are replaced for the duration of the call by proxies, and each proxy's
arguments travel as plain data (``values.encode_result``, the same trust
boundary as a result) to the grader, which runs the reference helper and
sends back its plain result. The reference never enters the sandbox, and a
rerun is served only the helpers of the function it reruns.

The function keeps every point it earns either way, and a check it passes
only with the right helpers says so (``CheckResult.carried``).
"""
from __future__ import annotations

import ast
import functools
import json
import warnings

import numpy as np

from autograder.authoring.single_source import REFERENCE, split_units, strip_markers
from autograder.grading.handle import IN_PROCESS
from autograder.sandbox.runtime import caps, values


@functools.lru_cache(maxsize=1)
def _direct_calls() -> dict[str, frozenset[str]]:
    units = [u for u in split_units(REFERENCE.read_text()) if u.graded]
    graded = {u.name for u in units}
    calls = {}
    for unit in units:
        tree = ast.parse(strip_markers(unit.source).strip("\n"))
        names = {node.func.id for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        calls[unit.name] = frozenset(names & graded - {unit.name})
    return calls


@functools.cache
def helpers_of(function: str) -> tuple[str, ...]:
    """The contract functions ``function`` may call: the reference's calls,
    and theirs (``linear_regression_step`` -> ``mse`` -> ``batch_mean``)."""
    direct = _direct_calls()
    seen: list[str] = []
    todo = list(sorted(direct.get(function, ())))
    while todo:
        name = todo.pop(0)
        if name not in seen:
            seen.append(name)
            todo.extend(sorted(direct.get(name, ())))
    return tuple(seen)


def rerun_calls(encoded: list[dict], function: str) -> list[dict]:
    """``function``'s probe calls again, with its helpers served."""
    served = list(helpers_of(function))
    return [dict(call, serve=served) for call in encoded]


# ---------------------------------------------------------------- the grader's side

class HelperServer:
    """Answers a rerun's helper requests with the reference (trusted code,
    in the grader), for the helpers the running call may use only."""

    def __init__(self):
        from autograder.grading.mistakes.variants import reference_namespace
        self.namespace = reference_namespace()
        self.answered = 0

    def answer(self, request: dict, allowed: frozenset[str] | set[str]) -> dict:
        self.answered += 1
        fn = request.get("fn") if isinstance(request, dict) else None
        if self.answered > caps.HELPER_CALLS:
            return {"raised": "RuntimeError", "message": "too many helper calls"}
        if not isinstance(fn, str) or fn not in allowed:
            return {"raised": "NameError", "message": "not a helper of this function"}
        try:
            args = [_plain(values.decode_result(a)) for a in request.get("args", [])]
            kwargs = {str(k): _plain(values.decode_result(v)) for k, v in dict(request.get("kwargs", {})).items()}
        except (values.EncodingError, TypeError, ValueError, AttributeError):
            return {"raised": "TypeError", "message": f"{fn} got an argument it cannot take"}
        try:
            with IN_PROCESS, np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = self.namespace[fn](*args, **kwargs)
            return {"value": values.encode_arg(result)}
        except ValueError as exc:
            return {"raised": "ValueError", "message": str(exc)[:caps.MESSAGE]}
        except Exception as exc:  # noqa: BLE001 - the reference on a student's odd input
            return {"raised": type(exc).__name__, "message": str(exc)[:caps.MESSAGE]}


def _plain(value: values.Value):
    """A decoded argument as the reference takes it."""
    if value.kind == "other":
        raise TypeError("an object the grader does not pass on")
    if value.tag in ("tuple", "list"):
        items = [_plain(v) for v in value.payload]
        return tuple(items) if value.tag == "tuple" else items
    if value.kind == "array" and value.dtype.startswith(("int", "uint")):
        return value.payload.astype(np.int64)
    return value.payload


# the student's side (the proxies) is ``execution.proxies``: it runs in the sandbox


def serving(function: str):
    """The grader's answerer for a sandboxed rerun of ``function``."""
    server = HelperServer()
    allowed = frozenset(helpers_of(function))
    def answer(request) -> dict:
        reply = server.answer(request, allowed)
        if len(json.dumps(reply)) > caps.HELPER_ANSWER:
            return {"raised": "RuntimeError", "message": "the helper's result is too large to send back"}
        return reply
    return answer


def in_process_asker(allowed_for: str):
    """For trusted runs (tests, the notebook's kernel): the same round trip
    through plain data, answered here."""
    server = HelperServer()
    allowed = frozenset(helpers_of(allowed_for))

    def ask(request: dict) -> dict:
        return json.loads(json.dumps(server.answer(json.loads(json.dumps(request)), allowed)))
    return ask
