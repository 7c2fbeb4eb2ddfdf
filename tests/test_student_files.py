"""What students receive: the stub, the public checks and their data.

The public checks pass on the reference and fail, case by case, on the stub;
the stub has the contract's 22 functions with the reference's signatures and
no answer in it; nothing under exercises/ reaches into the reference or the
grader; and the derived files are fresh (a change in the reference shows up
as a stale file).
"""
import ast
import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from contract import CONTRACT_FUNCTIONS

from autograder.authoring import build, public_cases, single_source

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "solutions" / "losses.py"
STUB = ROOT / "exercises" / "losses.py"
EXERCISES = ROOT / "exercises"
# the contract's argument lists (names and defaults)
CONTRACT_PARAMETERS = {
    "squared_error": [("y_hat",), ("y",)],
    "binary_cross_entropy": [("p",), ("y",), ("eps", 1e-8)],
    "categorical_cross_entropy": [("probs",), ("y",), ("eps", 1e-8)],
    "batch_mean": [("losses",)],
    "mse": [("y_hat",), ("y",)],
    "bce": [("p",), ("y",), ("eps", 1e-8)],
    "cce": [("probs",), ("y",), ("eps", 1e-8)],
    "epoch_mean": [("batch_means",), ("batch_sizes",)],
    "mse_grad": [("y_hat",), ("y",)],
    "bce_grad": [("p",), ("y",), ("eps", 1e-8)],
    "cce_grad": [("probs",), ("y",), ("eps", 1e-8)],
    "sigmoid": [("z",)],
    "softmax": [("z",)],
    "bce_with_logits": [("z",), ("y",)],
    "bce_with_logits_grad": [("z",), ("y",)],
    "softmax_cross_entropy": [("logits",), ("y",)],
    "softmax_cross_entropy_grad": [("logits",), ("y",)],
    "sgd_step": [("w",), ("grad",), ("lr",)],
    "linear_regression_step": [("X",), ("y",), ("w",), ("b",), ("lr",)],
    "accuracy": [("p",), ("y",), ("threshold", 0.5)],
    "loss_for_output": [("activation",)],
    "best_epoch": [("train_losses",), ("val_losses",)],
}


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_public_checks(losses_file):
    env = dict(os.environ, LOSSES_FILE=str(losses_file))
    env.pop("PYTEST_ADDOPTS", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "exercises"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )


def number_of_public_cases():
    cases = json.loads((EXERCISES / "public_cases.json").read_text())["cases"]
    assert len(cases) > 0
    return len(cases)


def count(word, output):
    found = re.findall(rf"(\d+) {word}\b", output.splitlines()[-1] if output.strip() else "")
    return int(found[-1]) if found else 0


# ---------------------------------------------------------------------------
# The public checks
# ---------------------------------------------------------------------------

def test_public_checks_pass_on_the_reference():
    result = run_public_checks(REFERENCE)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert count("passed", result.stdout) == number_of_public_cases(), output
    assert count("failed", result.stdout) == 0


def test_public_checks_fail_on_the_stub_case_by_case():
    result = run_public_checks(STUB)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert count("failed", result.stdout) == number_of_public_cases(), output
    assert count("passed", result.stdout) == 0, output
    assert "NotImplementedError" in result.stdout


def test_public_cases_cover_every_contract_function():
    cases = json.loads((EXERCISES / "public_cases.json").read_text())["cases"]
    assert {c["function"] for c in cases} == set(CONTRACT_FUNCTIONS)
    assert len({c["id"] for c in cases}) == len(cases)


# ---------------------------------------------------------------------------
# The stub
# ---------------------------------------------------------------------------

def function_defs(path):
    tree = ast.parse(path.read_text())
    return {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("name", CONTRACT_FUNCTIONS)
def test_stub_function_returns_nothing_and_raises_not_implemented(name):
    node = function_defs(STUB)[name]
    assert not any(isinstance(n, ast.Return) for n in ast.walk(node)), f"{name} has a return"
    last = node.body[-1]
    assert isinstance(last, ast.Raise)
    assert ast.unparse(last.exc) == "NotImplementedError()"
    # nothing but a docstring before the raise
    body = node.body[:-1]
    assert len(body) <= 1
    if body:
        assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
        assert isinstance(body[0].value.value, str)


def test_stub_raises_not_implemented_when_called():
    stub = load(STUB, "stub_losses_raise")
    for name in CONTRACT_FUNCTIONS:
        parameters = inspect.signature(getattr(stub, name)).parameters
        required = [p for p in parameters.values() if p.default is inspect.Parameter.empty]
        with pytest.raises(NotImplementedError):
            getattr(stub, name)(*([[0.5]] * len(required)))


def test_stub_defines_exactly_the_contract_functions_with_the_reference_signatures():
    stub = load(STUB, "stub_losses_signatures")
    reference = load(REFERENCE, "reference_losses_signatures")
    graded = single_source.graded_functions(REFERENCE.read_text())
    assert sorted(graded) == sorted(CONTRACT_FUNCTIONS)
    assert len(graded) == 22
    # the same top-level functions (the 22 plus the provided helpers)
    assert sorted(function_defs(STUB)) == sorted(function_defs(REFERENCE))
    assert set(CONTRACT_FUNCTIONS) <= set(function_defs(STUB))
    for name in CONTRACT_FUNCTIONS:
        stub_sig = inspect.signature(getattr(stub, name))
        assert stub_sig == inspect.signature(getattr(reference, name)), name
        params = [(p.name,) if p.default is inspect.Parameter.empty else (p.name, p.default)
                  for p in stub_sig.parameters.values()]
        assert params == CONTRACT_PARAMETERS[name], name


def test_stub_helpers_are_the_reference_helpers():
    stub_defs, ref_defs = function_defs(STUB), function_defs(REFERENCE)
    helpers = sorted(set(ref_defs) - set(CONTRACT_FUNCTIONS))
    assert helpers  # the provided helpers travel to the student unchanged
    for name in helpers:
        assert ast.dump(stub_defs[name]) == ast.dump(ref_defs[name]), name


# ---------------------------------------------------------------------------
# Nothing under exercises/ leaks the answers
# ---------------------------------------------------------------------------

EXERCISE_FILES = sorted(EXERCISES.rglob("*.py"))


def test_there_are_exercise_files():
    names = {p.name for p in EXERCISE_FILES}
    assert {"losses.py", "test_losses.py", "conftest.py"} <= names


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_exercise_files_do_not_import_the_reference_or_the_grader(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            modules = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "__import__", "import_module"):
            modules = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        else:
            continue
        for module in modules:
            top = module.split(".")[0]
            assert top not in ("solutions", "autograder"), f"{path.name} imports {module}"
    text = path.read_text()
    assert "solutions/" not in text and "solutions." not in text


def solution_regions(source):
    """{function name: text between its ### BEGIN / ### END SOLUTION markers}.

    Taken straight from the reference's lines: ``split_units`` cuts a unit at
    the function's last statement, so the ``### END SOLUTION`` comment after
    it falls outside the unit and ``Unit.solution_body`` comes back empty.
    """
    lines = source.splitlines(keepends=True)
    functions = [(node.lineno, node.name) for node in ast.parse(source).body
                 if isinstance(node, ast.FunctionDef)]
    regions = {}
    begin = None
    for number, line in enumerate(lines, start=1):
        if line.strip() == single_source.BEGIN:
            assert begin is None, f"nested BEGIN at line {number}"
            begin = number
        elif line.strip() == single_source.END:
            assert begin is not None, f"END without BEGIN at line {number}"
            owner = [name for start, name in functions if start < begin][-1]
            assert owner not in regions, f"two solution regions in {owner}"
            regions[owner] = "".join(lines[begin:number - 1])
            begin = None
    assert begin is None, "BEGIN without END"
    return regions


SOLUTIONS = solution_regions(REFERENCE.read_text())


def test_every_graded_function_has_one_solution_region():
    graded = [u.name for u in single_source.split_units(REFERENCE.read_text()) if u.graded]
    assert sorted(graded) == sorted(CONTRACT_FUNCTIONS)
    assert sorted(SOLUTIONS) == sorted(CONTRACT_FUNCTIONS)
    assert all(body.strip() for body in SOLUTIONS.values())
    # the stub is the reference with exactly these regions replaced
    stub_text = single_source.render_stub()
    for body in SOLUTIONS.values():
        assert body not in stub_text


@pytest.mark.parametrize("name", CONTRACT_FUNCTIONS)
def test_no_solution_body_reaches_the_exercises(name):
    body = SOLUTIONS[name]
    long_lines = [line.strip() for line in body.splitlines() if len(line.strip()) > 30]
    assert long_lines, f"the solution of {name} has no line to look for"
    for path in EXERCISE_FILES + [EXERCISES / "public_cases.json"]:
        text = path.read_text()
        assert body.strip() not in text, f"the solution of {name} is in {path.name}"
        for line in long_lines:
            assert line not in text, f"a line of the solution of {name} is in {path.name}: {line!r}"
    assert single_source.BEGIN not in STUB.read_text() and single_source.END not in STUB.read_text()


# ---------------------------------------------------------------------------
# Derived files are fresh, and staleness is detectable
# ---------------------------------------------------------------------------

def test_derived_files_are_fresh():
    assert build.check_derived() == []
    assert single_source.render_stub() == STUB.read_text()


def with_edited_docstring(text, name):
    """The reference with one line changed: the first line of ``name``'s docstring."""
    node = function_defs_of(text)[name]
    lines = text.splitlines(keepends=True)
    index = node.body[0].lineno - 1
    assert '"""' in lines[index]
    lines[index] = lines[index].replace('"""', '"""Edited. ', 1)
    return "".join(lines)


def with_edited_solution(text, name, new_body):
    """The reference with ``name``'s solution region replaced by ``new_body``."""
    body = SOLUTIONS[name]
    indent = body[: len(body) - len(body.lstrip())]
    assert text.count(body) == 1
    return text.replace(body, indent + new_body + "\n")


def function_defs_of(text):
    return {node.name: node for node in ast.parse(text).body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("name", ["mse_grad", "best_epoch"])
def test_a_changed_docstring_makes_a_different_stub(name):
    text = REFERENCE.read_text()
    changed = with_edited_docstring(text, name)
    assert changed != text
    assert single_source.render_stub(changed) != STUB.read_text()
    assert single_source.render_stub(text) == STUB.read_text()


def test_a_changed_reference_is_reported_stale(tmp_path, monkeypatch):
    text = REFERENCE.read_text()
    # one line of a docstring: the stub goes stale
    copy_doc = tmp_path / "doc" / "losses.py"
    copy_doc.parent.mkdir()
    copy_doc.write_text(with_edited_docstring(text, "mse_grad"))
    monkeypatch.setattr(single_source, "REFERENCE", copy_doc)
    assert single_source.STUB in build.check_derived()

    # a solution: the stub stays, the public expected values go stale
    copy_solution = tmp_path / "solution" / "losses.py"
    copy_solution.parent.mkdir()
    copy_solution.write_text(with_edited_solution(text, "loss_for_output", 'return "edited"'))
    monkeypatch.setattr(single_source, "REFERENCE", copy_solution)
    stale = build.check_derived()
    assert public_cases.PUBLIC_CASES in stale
    assert single_source.STUB not in stale
