"""Feedback pages that say only what helps (issue 10, item 5): no figure for
a curve that agrees with the right one, repeated bullets folded, no factor
for a share or an index, the input that got through a "refuses ..." check
named, a tuple's items by name, formulas left in their case, and checks
passed with a helper carried forward shown as a note, not a failure."""
from __future__ import annotations

import ast
import dataclasses

import pytest

from autograder.authoring.single_source import REFERENCE
from autograder.classrun.records import graded_record
from autograder.grading import sweeps
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.findings import RETURN_ITEMS
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import VARIANTS, namespace_with, reference_namespace
from autograder.grading.probes import make_probes
from autograder.grading.scoring import grade
from autograder.report import render_feedback_html, render_feedback_md
from autograder.report.feedback import feedback_context, fold
from autograder.report.text import sentence
from autograder.sandbox import Isolation

SEED = 31


@pytest.fixture(scope="module")
def grader():
    probes = make_probes(SEED)
    return probes, Diagnoser(probes)


def record_for(grader, *keys):
    probes, diagnoser = grader
    namespace = reference_namespace()
    for key in keys:
        namespace = namespace_with(VARIANTS[key], namespace)
    handle = InProcessHandle(namespace)
    record = graded_record("s", grade(handle, probes, diagnoser), Isolation.TRUSTED)
    return record, sweeps.curves(handle.run(sweeps.encoded_sweep_calls()))


def test_sentence_capitalises_words_not_code():
    assert sentence("w - lr * grad for vectors and matrices") == "w - lr * grad for vectors and matrices"
    assert sentence("sigmoid(z) - y") == "sigmoid(z) - y" and sentence("y_hat is clipped") == "y_hat is clipped"
    assert sentence("a large miss costs more") == "A large miss costs more"
    assert sentence("per-sample BCE") == "Per-sample BCE" and sentence("the value. Next") == "The value. Next"


def test_return_items_are_the_references():
    tree = ast.parse(REFERENCE.read_text())
    for function, names in RETURN_ITEMS.items():
        node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
        returned = [n.value for n in ast.walk(node) if isinstance(n, ast.Return)][-1]
        assert tuple(e.id for e in returned.elts) == names


def test_tuple_items_are_named(grader):
    record, _ = record_for(grader, ("bias-grad-mean", "linear_regression_step"))
    md = render_feedback_md(record)
    assert "`b_new`, the second item returned" in md and "of the tuple" not in md
    # (the renderer on each item, a share's factor and each input a check let through: tests/test_findings.py)


def test_the_input_that_got_through_is_named(grader):
    record, _ = record_for(grader, ("silent-broadcast", "mse"))
    md = render_feedback_md(record)
    assert "let an (m, 1) column against (m,) targets through without a ValueError" in md
    assert "returned a result where the contract asks for a ValueError" not in md


def test_repeated_bullets_fold_into_one_line(grader):
    rows = [{"title": t, "kind": k, "lost": 1.0, "max_score": 1.0, "happened": w + (f"; input: {i}" if i else ""),
             "what": w, "input": i, "mistakes": ["m"]}
            for t, k, w, i in [("one", "correctness", "the values differ", "a (5,) array"),
                               ("two", "scenario", "the values differ", "a (7,) array"),
                               ("three", "scenario", "the values are exactly 2 times the right values", "")]]
    folded = fold(rows)
    assert len(folded) == 2
    assert folded[0]["title"] == "one; two" and folded[0]["lost"] == 2.0 and folded[0]["count"] == 2
    assert folded[0]["happened"] == "the values differ; inputs: a (5,) array / a (7,) array"
    assert folded[0]["kind"] == "correctness, scenario" and folded[1]["count"] == 1
    record, _ = record_for(grader, ("gradient-ascent", "sgd_step"))
    failed = [t for t in record.tests if t.function == "sgd_step" and not t.passed]
    lines = [line for line in render_feedback_md(record).splitlines() if line.startswith("- ")]
    assert len(failed) >= 3 and len(lines) == 1, lines
    assert f"(-{sum(t.max_score for t in failed):g}," in lines[0]


def test_no_figure_where_the_curves_agree(grader):
    record, curves = record_for(grader, ("missing-negative-class-term", "binary_cross_entropy"))
    context = feedback_context(record, curves)
    fix = next(f for f in context["fixes"] if f["function"] == "binary_cross_entropy")
    assert [c["name"] for c in fix["curves"]] == ["binary_cross_entropy:negative"]
    assert fix["agreeing"] == [sweeps.table()["binary_cross_entropy"].title]
    html = render_feedback_html(record, curves)
    assert html.count("<img ") == 1 and 'data-agrees="yes"' not in html
    # a function whose every sweep agrees gets one line and no figure
    agreeing = {name: dataclasses.replace(curve, student=list(curve.reference)) for name, curve in curves.items()}
    html = render_feedback_html(record, agreeing)
    assert "<img " not in html and "a sweep does not show" in html


def test_carried_checks_are_a_note_not_a_failure(grader):
    record, curves = record_for(grader, ("sum-not-mean", "batch_mean"))
    carried = {t.function for t in record.tests if t.passed and t.carried}
    assert {"mse", "bce", "cce"} <= carried
    html, md = render_feedback_html(record, curves), render_feedback_md(record)
    for function in carried:
        assert f'data-carried="{function}"' in html
        assert f"*Note:* `{function}` passed" in md
        assert f'id="fn-{function}"' not in html          # not listed among the failures
    assert html.count('data-carried="') == len(carried)
    assert 'href="#fn-batch_mean"' in html and 'id="fn-batch_mean"' in html


def test_curves_of_some_functions_are_those_of_all(grader):
    _, curves = record_for(grader, ("no-clipping", "binary_cross_entropy"))
    handle = InProcessHandle(namespace_with(VARIANTS[("no-clipping", "binary_cross_entropy")], reference_namespace()))
    outcomes = handle.run(sweeps.encoded_sweep_calls())
    some = sweeps.curves(outcomes, functions={"binary_cross_entropy", "mse"})
    assert set(some) == {n for n, s in sweeps.table().items() if s.function in ("binary_cross_entropy", "mse")}
    assert some == {n: c for n, c in curves.items() if n in some}
    assert some["binary_cross_entropy"].student != some["binary_cross_entropy"].reference
