"""No surprises: every kind of requirement a hidden check scores has a public
case of the same kind (with other values).

Each hidden check's probe calls are run on the reference and described by
the kinds of requirement they test: each ValueError the contract asks for
(told apart by the reference's message), read-only inputs, no numpy warning
on large inputs, the accuracy threshold's boundary, probabilities of exactly
0 or 1, a batch stacked twice, hesitant against confident misses, each
argument's form (list, float array, int array, number, str) and number of
dimensions, each keyword and the type of the result. The public cases are
described the same way. The test prints, per hidden check, the public cases
of each of its kinds, and fails when a kind has none.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from autograder.authoring import build
from autograder.authoring.public_cases import decode_arg
from autograder.grading.rubric import RUBRIC

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "exercises" / "public_cases.json").read_text())["cases"]
REFERENCE = build.load_reference()
PROBABILITIES = ("binary_cross_entropy", "bce", "categorical_cross_entropy", "cce", "bce_grad", "cce_grad")


def message_kind(message: str) -> str:
    """A ValueError's message without its numbers, shapes and quoted names."""
    text = re.sub(r"'[^']*'", "'…'", message)
    text = re.sub(r"\([\d, ]*\)", "(shape)", text)
    return re.sub(r"-?\d+(\.\d+)?(e[-+]?\d+)?", "#", text)


def form(value) -> str:
    if isinstance(value, np.ndarray):
        return f"{'int' if value.dtype.kind in 'iu' else 'float'} array, {value.ndim}-D"
    if isinstance(value, (list, tuple)):
        return f"list, {np.ndim(value)}-D"
    return type(value).__name__


def result_kind(value) -> str:
    if isinstance(value, tuple):
        return "tuple of " + ", ".join(result_kind(v) for v in value)
    if isinstance(value, np.ndarray):
        return f"{value.dtype} array, {value.ndim}-D"
    return type(value).__name__


def call_kinds(fn: str, args: list, kwargs: dict) -> set[tuple]:
    """The kinds of requirement one call tests, from the reference's behaviour."""
    kinds = set()
    try:
        with np.errstate(all="ignore"):
            result = getattr(REFERENCE, fn)(*args, **kwargs)
    except ValueError as exc:
        return {("refuses", message_kind(str(exc)))}
    kinds.add(("returns", result_kind(result)))
    kinds |= {("argument", position, form(a)) for position, a in enumerate(args)}
    kinds |= {("keyword", name) for name in kwargs}
    if any(isinstance(a, np.ndarray) and not a.flags.writeable for a in args):
        kinds.add(("read-only input",))
    if fn == "accuracy" and np.any(np.asarray(args[0], dtype=float) == kwargs.get("threshold", 0.5)):
        kinds.add(("a p equal to the threshold",))
    if fn in PROBABILITIES:
        first = np.asarray(args[0], dtype=float)
        if np.any((first == 0) | (first == 1)):
            kinds.add(("a probability of exactly 0 or 1",))
        if fn in ("binary_cross_entropy", "bce"):
            miss = np.abs(first - np.asarray(args[1], dtype=float))
            if np.any((miss > 0.45) & (miss < 0.5)):
                kinds.add(("a hesitant miss",))
            if np.any(miss > 0.99):
                kinds.add(("a confident miss",))
    return kinds


def stacked(args) -> bool:
    """The call's array arguments are some batch stacked twice."""
    arrays = [np.asarray(a, dtype=float) for a in args if not np.isscalar(a)]
    return bool(arrays) and all(len(a) % 2 == 0 and len(a) > 0 and np.array_equal(a[: len(a) // 2], a[len(a) // 2:])
                                for a in arrays)


def check_kinds(check) -> set[tuple]:
    calls = [c for seed in (0, 1, 2024) for c in check.probes(np.random.default_rng(seed))]
    kinds = set()
    for call in calls:
        kinds |= call_kinds(call.fn, list(call.args), dict(call.kwargs))
    judge = getattr(check.judge, "__name__", "")
    if judge == "quiet_and_matching":
        kinds.add(("no numpy warning on large inputs",))
    if judge in ("unchanged_by_duplication", "halves_when_batch_doubles"):
        kinds.add(("the batch stacked twice",))
    if judge == "inputs_unchanged":
        kinds.add(("read-only input",))
    return kinds


def public_kinds() -> dict[tuple, list[str]]:
    """(function, kind) -> the ids of the public cases of that kind."""
    found = defaultdict(list)
    for case in CASES:
        fn = case["function"]
        for call in case["calls"]:
            args = [decode_arg(a) for a in call["args"]]
            kinds = call_kinds(fn, args, call["kwargs"])
            large = any(np.abs(np.asarray(a, dtype=float)).max(initial=0) >= 100
                        for a in args if not isinstance(a, str))
            if case.get("quiet") and large:
                kinds.add(("no numpy warning on large inputs",))
            if stacked(args):
                kinds.add(("the batch stacked twice",))
            for kind in kinds:
                if case["id"] not in found[(fn, kind)]:
                    found[(fn, kind)].append(case["id"])
            if "raises" in call["expected"]:
                assert any(k[0] == "refuses" for k in kinds), case["id"]
    return found


def test_every_hidden_check_has_public_cases_of_each_of_its_kinds():
    public = public_kinds()
    lines, missing = [], []
    for check in RUBRIC:
        lines.append(f"{check.name}:")
        for kind in sorted(check_kinds(check), key=str):
            cases = public.get((check.function, kind), [])
            label = " ".join(str(k) for k in kind)
            lines.append(f"    {label}: {'; '.join(cases) if cases else 'NO PUBLIC CASE'}")
            if not cases:
                missing.append(f"{check.name}: {label}")
    print("\n".join(lines))
    assert not missing, "hidden requirements with no public case of their kind:\n" + "\n".join(missing)


def test_the_kinds_tell_requirements_apart():
    """The description is sharp enough to fail: an empty batch and a shape
    mismatch are different refusals, and a public set without the read-only
    cases would miss a kind."""
    empty = call_kinds("mse", [np.array([]), np.array([])], {})
    mismatch = call_kinds("mse", [np.zeros((3, 1)), np.zeros(3)], {})
    assert empty != mismatch and all(k[0] == "refuses" for k in empty | mismatch)
    frozen = np.array([1.0, 2.0])
    frozen.setflags(write=False)
    assert ("read-only input",) in call_kinds("sigmoid", [frozen], {})
    assert ("read-only input",) not in call_kinds("sigmoid", [np.array([1.0, 2.0])], {})


def test_every_public_refusal_is_refused_by_the_reference_and_nothing_else_is():
    for case in CASES:
        for call in case["calls"]:
            assert ("raises" in call["expected"]) == bool(call.get("what")), case["id"]
