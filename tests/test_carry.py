"""Error carried forward (``autograder/grading/carry.py``): each function is judged on
its own code, with the reference's helpers served over the sandbox's pipe."""
from __future__ import annotations

import numpy as np
import pytest

from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.classrun.records import graded_record
from autograder.grading.carry import helpers_of
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import SandboxHandle
from autograder.grading.probes import make_probes
from autograder.grading.scoring import grade

REFERENCE_TEXT = strip_markers(REFERENCE.read_text())

SUMMING_BATCH_MEAN = '''
def batch_mean(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    return float(np.sum(losses))
'''

# A failing mse that, in its rerun, asks the grader for a function that is
# not one of its helpers, with a forged frame, and hands the served helper an
# object it cannot pass on; then returns whatever it got.
FORGING_MSE = '''
import json, os, struct

def mse(y_hat, y):
    answers = []
    if callable(globals().get("batch_mean")) and getattr(batch_mean, "__name__", "") == "batch_mean" \\
            and batch_mean.__code__.co_filename != "losses.py":
        data = json.dumps({"type": "helper", "fn": "categorical_cross_entropy", "args": [], "kwargs": {}}).encode()
        os.write(3, struct.pack(">I", len(data)) + data)
        size = struct.unpack(">I", os.read(4, 4))[0]
        answers.append(json.loads(os.read(4, size)).get("raised"))
        class Sly:
            def __array__(self, *a, **k):
                return np.zeros(3)
        try:
            batch_mean(Sly())
        except RuntimeError as exc:
            answers.append(str(exc).split(":")[1].strip())
    if answers:
        raise ValueError("|".join(map(str, answers)))
    return 1.0
'''


def test_the_call_graph_is_the_references():
    assert set(helpers_of("mse")) == {"squared_error", "batch_mean"}
    assert set(helpers_of("cce")) == {"categorical_cross_entropy", "batch_mean"}
    assert {"mse", "mse_grad", "sgd_step", "batch_mean", "squared_error"} <= set(helpers_of("linear_regression_step"))
    assert helpers_of("softmax_cross_entropy_grad") == ("softmax",)
    assert helpers_of("sigmoid") == () and helpers_of("batch_mean") == ()


@pytest.fixture(scope="module")
def probes():
    return make_probes(31)


def _sandboxed(source: str, probes):
    handle = SandboxHandle(source)
    try:
        return grade(handle, probes, Diagnoser(probes)), handle.isolation
    finally:
        handle.close()


def test_a_summing_batch_mean_costs_only_its_own_points_in_the_sandbox(probes):
    result, isolation = _sandboxed(REFERENCE_TEXT + SUMMING_BATCH_MEAN, probes)
    assert isolation == "bubblewrap"
    losing = {name for name, f in result.functions.items() if f.score < f.max_score}
    assert losing == {"batch_mean"}
    assert result.functions["batch_mean"].mistakes == ["sum-not-mean"]
    assert result.score == 100 - result.functions["batch_mean"].max_score + result.functions["batch_mean"].score
    record = graded_record("s", result, isolation)
    carried = [t for t in record.to_json()["tests"] if t["carried"]]
    assert {t["function"] for t in carried} >= {"mse", "bce", "cce", "linear_regression_step"}
    assert all(t["passed"] and t["carried"] == ["batch_mean"] for t in carried)
    mse_values = next(t for t in carried if t["name"] == "mse:values")
    assert "Your `mse` is right" in mse_values["feedback"] and "sum-not-mean" in mse_values["feedback"]


def test_a_rerun_is_served_only_its_own_helpers_and_only_plain_data(probes):
    """The forging mse runs again (it fails), and in that run the grader
    refuses a helper that mse may not call and an argument it cannot pass on."""
    source = REFERENCE_TEXT + SUMMING_BATCH_MEAN + FORGING_MSE
    result, _ = _sandboxed(source, probes)
    mse = [c for c in result.checks if c.function == "mse" and not c.passed]
    assert mse, "the forging mse must fail (it returns 1.0)"
    assert result.functions["batch_mean"].mistakes == ["sum-not-mean"]
    assert {name for name, f in result.functions.items() if f.score < f.max_score} <= {"batch_mean", "mse"}


def test_a_student_that_only_asks_for_helpers_ends_within_its_limits(probes):
    source = REFERENCE_TEXT + SUMMING_BATCH_MEAN + '''
def mse(y_hat, y):
    total = 0.0
    for _ in range(25000):
        total += batch_mean([1.0, 2.0])
    return total
'''
    result, _ = _sandboxed(source, probes)
    assert result.functions["mse"].score < result.functions["mse"].max_score
    assert result.functions["squared_error"].score == result.functions["squared_error"].max_score


def test_the_grader_answers_only_allowed_helpers_and_plain_arguments():
    from autograder.grading.carry import HelperServer
    from autograder.sandbox.runtime import values
    server = HelperServer()
    allowed = frozenset(helpers_of("mse"))
    ok = server.answer({"fn": "batch_mean", "args": [values.encode_result(np.array([1.0, 3.0]))]}, allowed)
    assert values.decode_arg(ok["value"]) == 2.0
    assert server.answer({"fn": "categorical_cross_entropy", "args": []}, allowed)["raised"] == "NameError"
    assert server.answer({"fn": "__import__", "args": []}, allowed)["raised"] == "NameError"
    other = {"t": "other", "type": "Sly"}
    assert server.answer({"fn": "batch_mean", "args": [other]}, allowed)["raised"] == "TypeError"
    assert server.answer({"fn": "batch_mean", "args": [{"t": "nd", "shape": [-1]}]}, allowed)["raised"] == "TypeError"
    refused = server.answer({"fn": "batch_mean", "args": [values.encode_result(np.array([]))]}, allowed)
    assert refused["raised"] == "ValueError" and "empty" in refused["message"]
