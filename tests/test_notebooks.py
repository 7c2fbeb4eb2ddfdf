"""The nbgrader notebook: generated source, committed release, real nbgrader.

* the source notebook is generated (``autograder build``) and has one answer
  cell and one test cell per contract function, with the rubric's points;
* ``release/`` is exactly what ``nbgrader generate_assignment`` makes of it,
  holds no solution and no hidden test, and every answer raises
  NotImplementedError; ``nbgrader validate`` passes the source, fails the release;
* end to end in a temporary course: autograde, feedback and export on filled-in
  releases (the reference, every catalogue mistake, a syntax error, an
  infinite loop, leftover debugging code) give per function and in total what
  the engine gives for the same code with the same seed; the feedback shows
  no hidden test;
* ``extract_student_code`` takes the answer cells and nothing else.

Everything that runs nbgrader works in a copy of the course under tmp_path.
"""
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest

from autograder.authoring import build, notebook_source
from autograder.authoring.public_cases import CASES, decode_arg
from autograder.classrun.errors import ErrorKind
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes import variants
from autograder.grading.probes import make_probes
from autograder.grading.rubric import ASSIGNMENT, FUNCTIONS, function_points
from autograder.grading.scoring import grade
from autograder.notebooks.extract import NotebookError, extract_student_code
from autograder.notebooks.hidden import NOTEBOOK_SEED, grade_function, hidden_checks

ROOT = Path(__file__).resolve().parent.parent
SOURCE_NB = ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
RELEASE_NB = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")  # nbgrader runs `alembic`
CELL_TIMEOUT = 10
POINTS = function_points()
HIDDEN_MARKERS = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "hidden_checks(", "notebook_grading")


def nbgrader(course: Path, *args: str, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=ENV,
                          capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def new_course(path: Path) -> Path:
    path.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", path)
    shutil.copytree(ROOT / "source", path / "source")
    nbgrader(path, "generate_assignment", ASSIGNMENT)
    return path


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return new_course(tmp_path_factory.mktemp("nb") / "course")


def signature(path: Path) -> list[tuple[str, str]]:
    """What a student sees of a notebook: the type and text of every cell."""
    return [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]


def nbgrader_meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


reference_answers = notebook_source.reference_answers
filled = notebook_source.filled_release


# ------------------------------------------------------------ the source notebook

def test_source_notebook_is_generated_and_fresh():
    assert SOURCE_NB in build.derived_files()
    assert SOURCE_NB not in build.check_derived(), "run `autograder build`"


def test_source_notebook_has_an_answer_and_a_test_cell_per_function():
    cells = nbformat.read(SOURCE_NB, as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert nbgrader_meta(code[0])["locked"] and code[0].source == notebook_source.preamble_source()
    answers = [c for c in code if nbgrader_meta(c).get("solution")]
    assert [nbgrader_meta(c)["grade_id"] for c in answers] == FUNCTIONS
    for answer in answers:
        name = nbgrader_meta(answer)["grade_id"]
        assert not nbgrader_meta(answer)["grade"] and not nbgrader_meta(answer)["locked"]
        assert answer.source.count("### BEGIN SOLUTION") == 1
        tests = cells[cells.index(answer) + 1]
        meta = nbgrader_meta(tests)
        assert meta["grade"] and meta["locked"] and not meta["solution"]
        assert meta["points"] == POINTS[name]
        assert f"visible_tests({name}, [" in tests.source
        hidden = tests.source.split("### BEGIN HIDDEN TESTS\n")[1].split("### END HIDDEN TESTS")[0]
        assert hidden.strip().endswith(f"hidden_checks({name!r}, globals())")
    assert sum(nbgrader_meta(c).get("points", 0) for c in cells) == 100
    assert sum("plt.show()" in c.source for c in code) == 2


# ------------------------------------------------------------ the release

def test_release_is_what_generate_assignment_produces(course, tmp_path):
    generated = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert signature(RELEASE_NB) == signature(generated), (
        "release/ is stale: run `nbgrader generate_assignment loss_functions --force` at the repo root")
    # and the comparison would notice a stale release
    stale = nbformat.read(RELEASE_NB, as_version=4)
    stale.cells[0].source += "\nAn older sentence."
    nbformat.write(stale, tmp_path / "stale.ipynb")
    assert signature(tmp_path / "stale.ipynb") != signature(generated)


def test_release_has_no_solution_and_no_hidden_test():
    text = RELEASE_NB.read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION") + HIDDEN_MARKERS:
        assert marker not in text
    release_cells = "\n".join(source for _, source in signature(RELEASE_NB))
    for name, answer in reference_answers().items():
        body = answer.split('    """\n')[-1]        # the code after the docstring
        lines = [ln.strip() for ln in body.splitlines() if len(ln.strip()) > 30]
        assert lines, name
        for line in lines:
            assert line not in release_cells, f"a line of the solution of {name} is in the release: {line}"


def test_every_released_answer_raises_not_implemented():
    cells = nbformat.read(RELEASE_NB, as_version=4).cells
    namespace: dict = {}
    exec(cells[[c.cell_type for c in cells].index("code")].source, namespace)
    answers = {nbgrader_meta(c)["grade_id"]: c for c in cells if nbgrader_meta(c).get("solution")}
    assert sorted(answers) == sorted(FUNCTIONS)
    first_case = {}
    for name, args, kwargs, _ in CASES:
        first_case.setdefault(name, ([decode_arg(a) for a in args], kwargs))
    for name, cell in answers.items():
        assert cell.source.rstrip().endswith("# YOUR CODE HERE\n    raise NotImplementedError()")
        exec(cell.source, namespace)
        args, kwargs = first_case[name]
        with pytest.raises(NotImplementedError):
            namespace[name](*args, **kwargs)


def test_nbgrader_validate_passes_the_source_and_fails_the_release(course):
    source = nbgrader(course, "validate", f"source/{ASSIGNMENT}/{ASSIGNMENT}.ipynb")
    assert "Success! Your notebook passes all the tests." in source.stdout, source.stdout + source.stderr
    release = nbgrader(course, "validate", f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", check=False)
    assert f"VALIDATION FAILED ON {len(FUNCTIONS)} CELL(S)" in release.stdout, release.stdout + release.stderr


# ------------------------------------------------------------ the hidden checks in-kernel

def test_hidden_checks_score_each_function_as_the_engine_does():
    probes = make_probes(NOTEBOOK_SEED)
    reference = variants.reference_namespace()
    assert sum(hidden_checks(name, reference) for name in FUNCTIONS) == 100
    for v in variants.VARIANTS.values():
        namespace = variants.namespace_with(v)
        engine = grade(InProcessHandle(namespace), probes).functions[v.function].score
        assert grade_function(v.function, namespace).functions[v.function].score == engine, v.key


def test_hidden_checks_print_a_sentence_per_failed_check(capsys):
    namespace = variants.namespace_with(variants.VARIANTS[("sum-not-mean", "batch_mean")])
    score = hidden_checks("batch_mean", namespace)
    lines = capsys.readouterr().out.splitlines()
    failed = [c for c in grade_function("batch_mean", namespace).checks if not c.passed]
    assert isinstance(score, float) and 0 <= score < POINTS["batch_mean"]
    assert lines[0].startswith(f"batch_mean: {score:g} of {POINTS['batch_mean']:g} points")
    assert len(lines) == 1 + len(failed) and all(ln.startswith("- Failed: ") for ln in lines[1:])
    assert "sum-not-mean" in lines[1]


# ------------------------------------------------------------ end to end

def variant_source(v: variants.Variant) -> str:
    """The variant as a student would write it in the answer cell: the buggy
    function under its contract name, after the private helpers it calls."""
    lines = textwrap.dedent(inspect.getsource(v.impl)).splitlines()
    assert lines[0].startswith("@variant(") and lines[1].startswith("def _(")
    function = "\n".join(lines[1:]).replace("def _(", f"def {v.function}(", 1)
    needed, pending = [], [function]
    while pending:
        text = pending.pop()
        for helper in variants._SHARED_HELPERS:
            if re.search(rf"\b{helper}\(", text) and helper not in needed:
                needed.append(helper)
                pending.append(inspect.getsource(getattr(variants, helper)))
    return "\n\n".join([inspect.getsource(getattr(variants, h)) for h in needed] + [function]) + "\n"


def _written_out(v: variants.Variant) -> bool:
    """A form written as its own function (not one the catalogue builds from others)."""
    return inspect.getsource(v.impl).lstrip().startswith("@variant(")


def mistake_rounds() -> list[dict[str, variants.Variant]]:
    """Every catalogue variant written as code, at most one per function per submission."""
    by_function = defaultdict(list)
    for v in variants.VARIANTS.values():
        if v.mistake != "silent-broadcast" and _written_out(v):
            by_function[v.function].append(v)
    rounds = max(len(vs) for vs in by_function.values())
    return [{f: vs[i] for f, vs in by_function.items() if i < len(vs)} for i in range(rounds)]


def submissions() -> dict[str, dict[str, str]]:
    reference = reference_answers()
    students = {"reference": reference}
    for i, group in enumerate(mistake_rounds()):
        students[f"mistakes-{i}"] = {**reference, **{f: variant_source(v) for f, v in group.items()}}
    students["syntax-error"] = {**reference, "cce": "def cce(probs, y, eps=1e-8):\n    return (\n"}
    students["infinite-loop"] = {**reference,
                                 "best_epoch": "def best_epoch(train_losses, val_losses):\n"
                                               "    while True:\n        pass\n"}
    # correct code with debris: magics, a failing leftover call, a harmless numpy warning
    warns = reference["batch_mean"].replace("    losses = as_float_array(", "    np.float64(1.0) / 0.0\n    losses = as_float_array(", 1)
    assert warns != reference["batch_mean"]
    students["leftovers"] = {**reference,
                             "mse": "%time _ = 1\n" + reference["mse"] + "print(mse([1.0], [[2.0]]))\n",
                             "bce": "!echo shell escapes never run\n" + reference["bce"],
                             "batch_mean": warns}
    return students


LOOPING = {"infinite-loop": "best_epoch"}


def engine_result(notebook: Path, never_returns: str | None = None):
    """The in-process engine on the code the engine takes out of ``notebook``.
    A function that never returns is graded as absent (all its calls fail)."""
    namespace = {"__name__": "submission"}
    exec(compile(extract_student_code(notebook), "losses.py", "exec"), namespace)
    if never_returns:
        del namespace[never_returns]
    return grade(InProcessHandle(namespace), make_probes(NOTEBOOK_SEED))


@pytest.fixture(scope="module")
def graded_course(course):
    """The course after autograde, generate_feedback and export of every submission."""
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    students = submissions()
    for student, answers in students.items():
        folder = course / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(filled(answers, release), folder / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "autograde", ASSIGNMENT, f"--Execute.timeout={CELL_TIMEOUT}")
    nbgrader(course, "generate_feedback", ASSIGNMENT)
    nbgrader(course, "export")
    return course, sorted(students)


def nbgrader_scores(course: Path, student: str) -> tuple[float, dict[str, float]]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return notebook.score, {g.name.removesuffix("_tests"): g.score for g in notebook.grades}


def test_autograde_scores_every_function_as_the_engine_does(graded_course):
    course, students = graded_course
    with open(course / "grades.csv") as f:
        exported = {row.split(",")[3]: float(row.split(",")[9]) for row in f.read().splitlines()[1:]}
    assert sorted(exported) == students
    for student in students:
        total, per_function = nbgrader_scores(course, student)
        assert exported[student] == pytest.approx(total, abs=1e-6)
        notebook = course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        engine = engine_result(notebook, LOOPING.get(student))
        assert total == pytest.approx(engine.score, abs=1e-6), student
        for name in FUNCTIONS:
            assert per_function[name] == pytest.approx(engine.functions[name].score, abs=1e-6), (student, name)
    assert nbgrader_scores(course, "reference")[0] == 100
    assert nbgrader_scores(course, "leftovers")[0] == 100
    assert nbgrader_scores(course, "syntax-error")[0] == 100 - POINTS["cce"]
    assert nbgrader_scores(course, "infinite-loop")[0] == 100 - POINTS["best_epoch"]
    # every written-out mistake costs points in the function it is made in
    for i, group in enumerate(mistake_rounds()):
        per_function = nbgrader_scores(course, f"mistakes-{i}")[1]
        for function, v in group.items():
            assert per_function[function] < POINTS[function], v.key


def test_autograder_grade_agrees_with_nbgrader(graded_course, tmp_path):
    course, students = graded_course
    probe = subprocess.run([str(BIN / "autograder"), "grade", "--help"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip("`autograder grade` is not available in this checkout")
    out = tmp_path / "out"
    done = subprocess.run([str(BIN / "autograder"), "grade", str(course / "submitted"), "--out", str(out),
                           "--seed", str(NOTEBOOK_SEED), "--timeout", "2", "--jobs", "4", "--quiet"],
                          capture_output=True, text=True, env=ENV, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((out / "results.json").read_text())
    by_student = {s["student"]: s for s in results["students"]}
    assert sorted(by_student) == students
    for student in students:
        assert by_student[student]["status"] == "graded", by_student[student]["error"]
        assert by_student[student]["score"] == pytest.approx(nbgrader_scores(course, student)[0], abs=1e-6), student


def test_feedback_shows_no_hidden_test(graded_course):
    course, students = graded_course
    for student in students:
        html = (course / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        for marker in HIDDEN_MARKERS:
            assert marker not in html, (student, marker)
        assert "hidden checks passed" in html
    # the timed-out cell's traceback (it quotes the hidden lines) is cut to its summary
    looping = (course / "feedback" / "infinite-loop" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "CellTimeoutError" in looping and "KeyboardInterrupt" in looping
    assert "Traceback (most recent call last)" not in looping and "Cell In[" not in looping


# ------------------------------------------------------------ extract_student_code

def write(path: Path, nb) -> Path:
    nbformat.write(nb, path)
    return path


def run_module(code: str) -> dict:
    namespace = {"__name__": "submission"}
    exec(compile(code, "losses.py", "exec"), namespace)
    return namespace


def test_extract_reference_notebook(tmp_path):
    code = extract_student_code(write(tmp_path / "ref.ipynb", filled(reference_answers())))
    assert notebook_source.preamble_source() in code
    namespace = run_module(code)
    assert grade(InProcessHandle(namespace), make_probes(NOTEBOOK_SEED)).score == 100
    assert "visible_tests" not in namespace and "plt" not in namespace   # test and plot cells ignored


def test_extract_ignores_every_cell_but_the_answers(tmp_path):
    nb = filled(reference_answers())
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            cell.source = "def mse(y_hat, y):\n    return 0.0\n"          # an edited test cell
        elif meta.get("grade_id") == notebook_source.PREAMBLE_ID:
            cell.source = "import numpy as np\ndef as_float_array(x, name):\n    return x\n"
    nb.cells.append(nbformat.v4.new_code_cell("def bce(p, y, eps=1e-8):\n    return 0.0\n"))
    namespace = run_module(extract_student_code(write(tmp_path / "edited.ipynb", nb)))
    assert grade(InProcessHandle(namespace), make_probes(NOTEBOOK_SEED)).score == 100


def test_extract_keeps_partial_work_and_disables_magics(tmp_path):
    reference = reference_answers()
    answers = {"squared_error": reference["squared_error"], "batch_mean": reference["batch_mean"],
               "mse": "%matplotlib inline\n!rm -rf /\n" + reference["mse"] + "mse([1.0], [[2.0]])\n",
               "cce": "def cce(probs, y:\n"}
    code = extract_student_code(write(tmp_path / "partial.ipynb", filled(answers)))
    assert "pass  # !rm -rf /" in code and "pass  # %matplotlib inline" in code
    namespace = run_module(code)
    result = grade(InProcessHandle(namespace), make_probes(NOTEBOOK_SEED))
    # the leftover call's error stops the mse cell after its def, the syntax
    # error loses cce only, the stubs score nothing
    assert result.functions["mse"].score == POINTS["mse"]
    assert "cce" not in namespace and result.functions["cce"].score == 0
    assert result.functions["bce"].score == 0
    assert result.score == POINTS["mse"] + POINTS["squared_error"] + POINTS["batch_mean"]


def test_extract_refuses_malformed_json(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text('{"cells": [')
    with pytest.raises(NotebookError, match=r"^malformed notebook JSON: ") as caught:
        extract_student_code(path)
    assert isinstance(caught.value, ValueError) and "\n" not in str(caught.value)
    assert caught.value.kind is ErrorKind.BAD_NOTEBOOK


def test_extract_refuses_a_file_that_is_not_a_notebook(tmp_path):
    path = tmp_path / "list.ipynb"
    path.write_text("[1, 2, 3]")
    with pytest.raises(NotebookError, match="not a notebook") as caught:
        extract_student_code(path)
    assert caught.value.kind is ErrorKind.BAD_NOTEBOOK


def test_extract_refuses_a_notebook_without_answer_cells(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# my notes"),
                                         nbformat.v4.new_code_cell("def mse(y_hat, y):\n    return 0.0\n")])
    with pytest.raises(NotebookError, match="^no answer cells with nbgrader grade ids found$") as caught:
        extract_student_code(write(tmp_path / "plain.ipynb", nb))
    assert caught.value.kind is ErrorKind.NO_ANSWER_CELLS
