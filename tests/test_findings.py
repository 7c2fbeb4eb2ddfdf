"""A failed check's finding is data, worded once (issue 13): ``findings.say``
on each kind of difference, with and without the check it belongs to (a
tuple's items by name, no factor for a count, a share or an index, the
input a "refuses ..." check let through, read from the check's title and the
inputs' shapes as data), and the judges that make the findings."""
from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from autograder.classrun import records
from autograder.classrun.records import graded_record
from autograder.grading.checks.base import Call, inputs_unchanged, matches_reference
from autograder.grading.compare import mismatch
from autograder.grading.findings import (
    NO_FACTOR,
    RETURN_ITEMS,
    Arg,
    Finding,
    FindingKind,
    Input,
    say,
    say_arg,
    say_input,
    slipped_through,
)
from autograder.grading.outcomes import Outcome
from autograder.grading.rubric import RUBRIC
from autograder.grading.scoring import CheckResult, GradeResult, call_input, describe_call
from autograder.report.text import what_happened
from autograder.sandbox import Isolation
from autograder.sandbox.runtime.values import Value

K = FindingKind
SHAPES = "refuses an (m, 1) column against (m,) targets (either way round) and an empty batch"


def check(function: str = "mse", title: str = "the mean of the squared errors") -> SimpleNamespace:
    return SimpleNamespace(function=function, title=title)


def arrays(*shapes) -> Input:
    return Input(args=tuple(Arg("array", s) for s in shapes))


# ------------------------------------------------------------------ each kind, no check

WORDS = [
    (Finding(K.MISSING), "the function is not defined"),
    (Finding(K.NOT_IMPLEMENTED), "not implemented yet (raises NotImplementedError)"),
    (Finding(K.STOPPED, got="timed out after 2 s"), "timed out after 2 s"),
    (Finding(K.LET_THROUGH), "returned a result where the contract asks for a ValueError"),
    (Finding(K.WRONG_ERROR, got="TypeError"), "raised TypeError where the contract asks for a ValueError"),
    (Finding(K.RAISED, got="ZeroDivisionError"), "raised ZeroDivisionError"),
    (Finding(K.WRONG_TYPE, got="a list", want="an array of shape (4,) (dtype float64)"),
     "returned a list; the contract asks for an array of shape (4,) (dtype float64)"),
    (Finding(K.WRONG_SHAPE, got="shape (4, 1)", want="(4,)"), "returned shape (4, 1), expected (4,)"),
    (Finding(K.SQUARE_SHAPE, got="shape (4, 4)", want="(4,)"),
     "returned shape (4, 4), expected (4,) (an (m, m) result: did an (m, 1) column broadcast against (m,)?)"),
    (Finding(K.WRONG_DTYPE, got="dtype float32"), "returned dtype float32; the contract asks for float64"),
    (Finding(K.RETURNED_NAN), "returned NaN where the right result is a number"),
    (Finding(K.RETURNED_INF), "returned inf where the right result is finite"),
    (Finding(K.WRONG_SIGN), "the value has the wrong sign"),
    (Finding(K.WRONG_SIGN, many=True), "the values have the wrong sign"),
    (Finding(K.FACTOR, factor="exactly 2 times the right value"), "the value is exactly 2 times the right value"),
    (Finding(K.FACTOR, many=True, factor="exactly half the right values"), "the values are exactly half the right values"),
    (Finding(K.UNNAMED_FACTOR, many=True),
     "the values are all off by the same factor (not one the lesson's mistakes make)"),
    (Finding(K.WRONG_VALUE), "the value is not the right one"),
    (Finding(K.WRONG_VALUE, many=True), "the values differ from the right ones"),
    (Finding(K.DIFFERENT_VALUE), "returned a different value"),
    (Finding(K.MUTATED_INPUT, argument=0), "wrote into its first argument (inputs must never change: compute into a new array)"),
    (Finding(K.MUTATED_INPUT, argument=7), "wrote into an argument (inputs must never change: compute into a new array)"),
    (Finding(K.READ_ONLY_FAILED),
     "a read-only input made the call fail where a writable copy did not: the function writes into its argument"),
    (Finding(K.FP_WARNING, got="invalid, overflow"),
     "numpy reported invalid, overflow during the computation: the formula is not numerically stable for large inputs"),
    (Finding(K.NOT_ORDERED), "the costs are not ordered as they should be"),
    (Finding(K.DEPENDS_ON_BATCH_SIZE), "stacking the batch twice changed the loss: it depends on the batch size"),
    (Finding(K.NOT_HALVED), "doubling the batch did not halve each sample's gradient: the 1/m of the mean is missing"),
]


@pytest.mark.parametrize("finding, words", WORDS, ids=[f.kind.value + ("-many" if f.many else "") + (
    f"-{f.argument}" if f.argument is not None else "") for f, _ in WORDS])
def test_each_kind_is_worded(finding, words):
    assert say(finding) == words
    assert say(finding, check()) == words          # a loss's check changes none of them
    given = arrays((4,), (4,))
    if finding.kind is not K.LET_THROUGH:
        assert say(replace(finding, input=given), check()) == f"{words}; input: a (4,) array and a (4,) array"


def test_every_kind_is_worded_somewhere():
    assert {f.kind for f, _ in WORDS} == set(FindingKind)


# ------------------------------------------------------------------ a tuple's items

def test_a_tuple_item_is_named_for_the_function_that_returns_it():
    assert RETURN_ITEMS["linear_regression_step"] == ("w_new", "b_new", "loss")
    step = check("linear_regression_step", "one gradient step")
    finding = Finding(K.FACTOR, item=1, factor="exactly 2 times the right value")
    assert say(finding, step) == "`b_new`, the second item returned: the value is exactly 2 times the right value"
    assert say(Finding(K.WRONG_VALUE, item=2), step) == "`loss`, the third item returned: the value is not the right one"
    assert say(Finding(K.WRONG_SIGN, many=True, item=0, input=arrays((5, 2), (5,))), step) == \
        "`w_new`, the first item returned: the values have the wrong sign; input: a (5, 2) array and a (5,) array"
    # told of no check, or of a function whose items have no names: counted
    assert say(finding) == "the second item of the tuple: the value is exactly 2 times the right value"
    assert say(finding, check("sgd_step")) == say(finding)
    assert say(Finding(K.WRONG_VALUE, item=6), step) == "the number 7 item of the tuple: the value is not the right one"


def test_the_judge_finds_the_tuple_item_that_differs():
    def step(w, b, loss) -> Outcome:
        return Outcome("ok", Value("tuple", (Value("nd", np.asarray(w, dtype=float), dtype="float64"),
                                             Value("float", b), Value("float", loss))))
    found = mismatch(step([1.0, 2.0], 0.5, 3.0), step([1.0, 2.0], 0.25, 3.0))
    assert found == Finding(K.FACTOR, item=1, factor="exactly 2 times the right value")
    assert mismatch(step([-1.0, -2.0], 0.5, 3.0), step([1.0, 2.0], 0.5, 3.0)) == Finding(K.WRONG_SIGN, item=0, many=True)


# ------------------------------------------------------------------ no factor for a count, a share, an index

@pytest.mark.parametrize("function", sorted(NO_FACTOR))
def test_no_factor_for_a_share_a_count_or_an_index(function):
    for factor in ("exactly 1.5 times the right value", "exactly 2 times the right value, with the wrong sign",
                   "1/ln 2 times the right value (a base-2 log instead of the natural log?)"):
        finding = Finding(K.FACTOR, factor=factor, input=arrays((4,), (4,)))
        assert say(finding, check(function)) == "the value is not the right one; input: a (4,) array and a (4,) array"
        assert say(finding).startswith(f"the value is {factor}")     # told of no check, the factor stays
    many = Finding(K.FACTOR, many=True, factor="exactly 2 times the right values")
    assert say(many, check(function)) == "the values differ from the right ones"
    # the sign is no factor: said for a share as for a loss
    assert say(Finding(K.WRONG_SIGN), check(function)) == "the value has the wrong sign"


def test_a_loss_keeps_its_factor():
    finding = Finding(K.FACTOR, factor="exactly 6 times the right value")
    assert say(finding, check("mse")) == "the value is exactly 6 times the right value"


# ------------------------------------------------------------------ what a "refuses ..." check let through

THROUGH = [
    (SHAPES, arrays((6, 1), (6,)), "an (m, 1) column against (m,) targets"),
    (SHAPES, arrays((6,), (6, 1)), "(m,) values against an (m, 1) column of targets"),
    (SHAPES, arrays((0,), (0,)), "an empty batch"),
    ("refuses mismatched lengths, no batches and non-positive batch sizes",
     Input(args=(Arg("list", (0,)), Arg("integer"))), "an empty batch"),
    ("refuses mismatched lengths, no batches and non-positive batch sizes",
     Input(args=(Arg("list", (3,), holds="numbers"), Arg("list", (2,), holds="integers"))), None),
    ("refuses logits", arrays((0, 3), (0,)), "an empty input"),
    ("refuses mismatched shapes and a learning rate that is not positive",
     Input(args=(Arg("array", (3,)), Arg("array", (3,)), Arg("number"))), "a learning rate that is not positive"),
    ("refuses mismatched shapes and an empty batch", arrays((4,), (5,)), "inputs of mismatched shapes"),
    ("refuses logits, labels out of range, mismatched targets and an empty batch", arrays((4, 3), (5,)),
     "inputs of mismatched shapes"),
    ("refuses curves of different lengths and empty curves", arrays((4,), (5,)), "inputs of different lengths"),
    ("refuses logits, bad labels and an empty batch", arrays((4, 3), (4,)), None),     # valid shapes: cannot tell
    ("refuses labels out of range, non-integer labels, mismatched targets and an empty batch",
     arrays((4, 3), (4,)), None),                                                      # (m, K) and (m,): a valid pair
    (SHAPES, Input(public_case="mse: an empty batch"), None),                          # a public case: named as itself
]


@pytest.mark.parametrize("title, given, through", THROUGH)
def test_the_input_that_got_through_is_named(title, given, through):
    assert slipped_through(title, given) == through
    text = say(Finding(K.LET_THROUGH, input=given), check("mse", title))
    inputs = say_input(given)
    if through:
        assert text == f"let {through} through without a ValueError (the contract refuses it); input: {inputs}"
    else:
        assert text == f"returned a result where the contract asks for a ValueError; input: {inputs}"


def test_without_the_input_or_the_check_nothing_is_said_to_have_got_through():
    assert say(Finding(K.LET_THROUGH), check("mse", SHAPES)) == "returned a result where the contract asks for a ValueError"
    assert say(Finding(K.LET_THROUGH, input=arrays((6, 1), (6,)))) == \
        "returned a result where the contract asks for a ValueError; input: a (6, 1) array and a (6,) array"


# ------------------------------------------------------------------ the inputs as data

def test_arguments_are_kinds_and_shapes():
    assert [say_arg(a) for a in (Arg("array", (5, 3)), Arg("array", (4,), read_only=True), Arg("array"),
                                 Arg("list", (5,), holds="integers"), Arg("tuple", (0,)), Arg("list", (0,)),
                                 Arg("bool"), Arg("integer"), Arg("number"), Arg("string"), Arg("None"),
                                 Arg("object"))] == \
        ["a (5, 3) array", "a (4,) array (read-only)", "a 0-d array", "a list of 5 integers", "an empty tuple",
         "an empty list", "a bool", "an integer", "a number", "a string", "None", "an object"]
    assert say_input(Input()) == "no input"
    assert say_input(Input(args=(Arg("number"),), keywords=("eps", "threshold"))) == "a number, with eps and threshold"
    assert say_input(Input(public_case="mse: the lesson's example")) == (
        'the public case "mse: the lesson\'s example" '
        '(python -m pytest "exercises/test_losses.py::test_public_case[mse: the lesson\'s example]" runs it)')


def test_a_call_becomes_its_inputs_as_data():
    frozen = np.zeros((2, 3))
    frozen.setflags(write=False)
    call = Call("bce", (np.array([0.123456, 0.5]), [1.0, 0.0], frozen, np.float64(2.0), (1, 2.5), [[1], [2]], None,
                        True, "softmax", np.array(3.0)), {"eps": 0.001234})
    given = call_input(call)
    assert given == Input(args=(Arg("array", (2,)), Arg("list", (2,), holds="numbers"), Arg("array", (2, 3), read_only=True),
                                Arg("number"), Arg("tuple", (2,), holds="items"), Arg("list", (2,), holds="lists"),
                                Arg("None"), Arg("bool"), Arg("string"), Arg("array", ())),
                          keywords=("eps",))
    assert describe_call(call) == say_input(given)
    assert "0.123456" not in repr(given) and "0.001234" not in repr(given)


# ------------------------------------------------------------------ the judges and the record

def _ok(values) -> Outcome:
    return Outcome("ok", Value("nd", np.asarray(values, dtype=np.float64), dtype="float64"))


def test_judges_report_findings_not_sentences():
    verdict = matches_reference([_ok([1.0, 2.0]), _ok([2.0, 4.0])], [_ok([1.0, 2.0]), _ok([1.0, 2.0])])
    assert not verdict.passed and verdict.call == 1
    assert verdict.finding == Finding(K.FACTOR, many=True, factor="exactly 2 times the right values")
    mutated = Outcome("ok", _ok([1.0]).value, mutated=(1,))
    verdict = inputs_unchanged([mutated, _ok([1.0])], [_ok([1.0]), _ok([1.0])])
    assert verdict.finding == Finding(K.MUTATED_INPUT, argument=1) and verdict.call == 0


def test_the_record_keeps_the_rendered_words_and_an_old_record_is_shown_as_stored():
    rubric = {c.name: c for c in RUBRIC}
    step = rubric["linear_regression_step:values"]
    finding = Finding(K.WRONG_VALUE, item=1, input=arrays((5, 2), (5,)))
    result = CheckResult(step.name, step.function, step.kind, step.title, step.points, 0.0, False, finding)
    words = "`b_new`, the second item returned: the value is not the right one; input: a (5, 2) array and a (5,) array"
    assert result.detail == words
    test = graded_record("s", GradeResult(0.0, step.points, [result], {}), Isolation.TRUSTED).tests[0]
    assert test.detail == words and f"What happened: {words}." in test.feedback
    assert what_happened(test) == words
    # its parts are kept apart for the pages (folding), never cut out of the sentence
    assert test.input == "a (5, 2) array and a (5,) array" and test.finding == K.WRONG_VALUE.value
    assert test.what == "`b_new`, the second item returned: the value is not the right one"
    assert records.TestRecord.from_json(test.to_json()) == test
    # a record from an older results.json: its words as they were stored (long numbers hidden)
    # (TestRecord is not imported by name: pytest would try to collect it)
    old = dict(test.to_json(), detail="item 2 of the tuple: the value is exactly 1.5 times the right value.", input="")
    assert what_happened(records.TestRecord.from_json(old)) == "item 2 of the tuple: the value is exactly 1.5 times the right value"
    old["detail"] = "raised ValueError: bad p=0.1234567"
    assert what_happened(records.TestRecord.from_json(old)) == "raised ValueError: bad p=[value hidden]"
