"""The safe scores in nbgrader's gradebook, end to end with real nbgrader
(issue 12, item 1).

In a copy of the course under tmp_path: ``nbgrader generate_assignment``,
three submissions collected into ``submitted/`` with nbgrader's
``timestamp.txt`` (one of them hostile: its first answer cell patches the
in-kernel hidden checks to give full points), ``nbgrader autograde`` (the
in-kernel scores), ``autograder grade``, ``autograder gradebook``,
``nbgrader export``: the exported CSV equals grades.csv, student by student,
and every cell holds the engine's function score. Then an instructor's
formgrader override, a resubmission regraded with ``--student``, the
gradebook written again: the override is still there and still counts.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.authoring import notebook_source
from autograder.grading.rubric import ASSIGNMENT, FUNCTIONS, function_points

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")   # nbgrader runs alembic
POINTS = function_points()
REFERENCE = notebook_source.reference_answers()

SUMMED_MSE = ("def mse(y_hat, y):\n"
              "    d = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)\n"
              "    return float(np.sum(d ** 2))\n")
SUMMED_BCE = ("def bce(p, y, eps=1e-12):\n"
              "    p = np.clip(np.asarray(p, dtype=float), eps, 1 - eps)\n"
              "    y = np.asarray(y, dtype=float)\n"
              "    return float(np.sum(-(y * np.log(p) + (1 - y) * np.log(1 - p))))\n")
PATCH = ("import autograder.notebooks.hidden as _ng\n"
         "from autograder.grading.rubric import function_points as _fp\n"
         "_ng.hidden_checks = lambda name, namespace: float(_fp()[name])\n\n")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / args[0]), *args[1:]], cwd=cwd, env=ENV, capture_output=True, text=True,
                          timeout=900)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def submit(course: Path, student: str, answers: dict, when: str) -> None:
    folder = course / "submitted" / student / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    release = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook_source.filled_release(answers, release), folder / f"{ASSIGNMENT}.ipynb")
    (folder / "timestamp.txt").write_text(when)


def exported(course: Path) -> dict[str, dict]:
    (course / "grades.csv").unlink(missing_ok=True)
    run(course, "nbgrader", "export")
    with open(course / "grades.csv", newline="") as fh:
        return {row["student_id"]: row for row in csv.DictReader(fh)}


def ours(out: Path) -> dict[str, float]:
    with open(out / "grades.csv", newline="") as fh:
        return {row["student"]: float(row["score"]) for row in csv.DictReader(fh)}


def grades(course: Path, student: str) -> dict[str, object]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "module01-loss-functions") as gb:
        notebook = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
        return {g.name: (g.auto_score, g.manual_score, g.needs_manual_grade, g.score) for g in notebook.grades}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("nbgradebook") / "course"
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    run(course, "nbgrader", "generate_assignment", ASSIGNMENT)
    submit(course, "ada", REFERENCE, "2026-03-01 10:00:00.000000 UTC")
    submit(course, "bob", {**REFERENCE, "mse": SUMMED_MSE}, "2026-03-01 11:00:00.000000 UTC")
    hostile = {name: "" for name in FUNCTIONS}           # every answer left as the stub ...
    hostile[FUNCTIONS[0]] = PATCH + "def squared_error(y_hat, y):\n    raise NotImplementedError()\n"
    submit(course, "mallory", {k: v for k, v in hostile.items() if v}, "2026-03-01 12:00:00.000000 UTC")
    run(course, "nbgrader", "autograde", ASSIGNMENT, "--Execute.timeout=20")
    return course


def test_safe_scores_reach_nbgrader_export_and_a_formgrader_override_survives_a_regrade(course, tmp_path):
    in_kernel = exported(course)
    assert float(in_kernel["mallory"]["score"]) == pytest.approx(100), \
        "the hostile notebook should fool the in-kernel tests (else this test shows nothing)"

    out = tmp_path / "out"
    run(course, "autograder", "grade", "submitted", "--out", str(out), "--seed", "2026", "--quiet")
    safe = ours(out)
    results = {r["student"]: r for r in json.loads((out / "results.json").read_text())["students"]}
    assert safe["ada"] == 100 and safe["mallory"] == 0
    assert results["bob"]["functions"]["mse"]["score"] < POINTS["mse"]
    assert safe["bob"] == pytest.approx(100 - POINTS["mse"] + results["bob"]["functions"]["mse"]["score"])

    done = run(course, "autograder", "gradebook", str(out), "--course", str(course))
    assert "3 students" in done.stdout
    export = exported(course)
    assert sorted(export) == sorted(safe)
    for student, score in safe.items():
        assert float(export[student]["score"]) == pytest.approx(score, abs=1e-6), student
        assert float(export[student]["raw_score"]) == pytest.approx(score, abs=1e-6), student
        assert float(export[student]["max_score"]) == 100
    assert export["bob"]["timestamp"].startswith("2026-03-01 11:00:00")
    for student in safe:
        cells = grades(course, student)
        for function in FUNCTIONS:
            auto, manual, review, _ = cells[f"{function}_tests"]
            assert auto == pytest.approx(results[student]["functions"][function]["score"]), (student, function)
            assert manual is None and review is False

    # The instructor overrides bob's mse in formgrader: what its API handler does
    # (nbgrader/server_extensions/formgrader/apihandlers.py, GradeHandler.put).
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "module01-loss-functions") as gb:
        grade = gb.find_grade("mse_tests", ASSIGNMENT, ASSIGNMENT, "bob")
        grade.manual_score = 2.0
        grade.needs_manual_grade = False
        gb.db.commit()
    assert float(exported(course)["bob"]["score"]) == pytest.approx(safe["bob"] + 2.0 - results["bob"]["functions"]["mse"]["score"])

    # bob resubmits (mse fixed, bce now summed); only bob is regraded
    submit(course, "bob", {**REFERENCE, "bce": SUMMED_BCE}, "2026-03-02 09:00:00.000000 UTC")
    run(course, "autograder", "grade", "submitted", "--out", str(out), "--student", "bob", "--quiet")
    meta = json.loads((out / "results.json").read_text())["meta"]
    assert meta["graded_now"] == 1 and meta["regrade_of"] == ["bob"]
    regraded = ours(out)
    assert regraded["ada"] == safe["ada"] and regraded["mallory"] == safe["mallory"]
    bob = next(r for r in json.loads((out / "results.json").read_text())["students"] if r["student"] == "bob")
    assert bob["functions"]["mse"]["score"] == POINTS["mse"] and bob["functions"]["bce"]["score"] < POINTS["bce"]
    assert regraded["bob"] == pytest.approx(100 - POINTS["bce"] + bob["functions"]["bce"]["score"])

    done = run(course, "autograder", "gradebook", str(out), "--course", str(course))
    assert "Kept 1 manual score" in done.stdout and "bob/mse_tests" in done.stdout
    auto, manual, review, score = grades(course, "bob")["mse_tests"]
    assert manual == 2.0 and score == 2.0, "the formgrader override was overwritten"
    assert auto == POINTS["mse"] and review is True      # the autograded score under it changed: flagged
    assert grades(course, "bob")["bce_tests"][0] == pytest.approx(bob["functions"]["bce"]["score"])
    export = exported(course)
    assert float(export["bob"]["score"]) == pytest.approx(regraded["bob"] - POINTS["mse"] + 2.0, abs=1e-6)
    assert export["bob"]["timestamp"].startswith("2026-03-02 09:00:00")
    for student in ("ada", "mallory"):
        assert float(export[student]["score"]) == pytest.approx(regraded[student], abs=1e-6)


def test_generate_feedback_shows_the_safe_score(course, tmp_path):
    out = tmp_path / "out"
    run(course, "autograder", "grade", "submitted", "--out", str(out), "--seed", "2026", "--quiet")
    run(course, "autograder", "gradebook", str(out), "--course", str(course))
    run(course, "nbgrader", "generate_feedback", ASSIGNMENT, "--force")
    page = (course / "feedback" / "mallory" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    assert "Score: 0.0 / 100.0" in page or "Score: 0 / 100" in page, page[page.find("Score"):][:200]


def test_late_penalty_goes_to_nbgrader_export(course, tmp_path):
    """Runs after the override test: bob's mse is overridden to 2 of 5 points."""
    out = tmp_path / "out"
    run(course, "autograder", "grade", "submitted", "--out", str(out), "--seed", "2026", "--quiet",
        "--due", "2026-03-01T10:30:00Z", "--late-policy", "per-hour", "--late-penalty", "3")
    safe = ours(out)
    run(course, "autograder", "gradebook", str(out), "--course", str(course))
    export = exported(course)
    with open(out / "grades.csv", newline="") as fh:
        rows = {row["student"]: row for row in csv.DictReader(fh)}
    assert float(rows["ada"]["late_penalty"]) == 0
    assert float(rows["mallory"]["late_penalty"]) == 0              # late, but nothing to take from 0
    assert float(rows["mallory"]["hours_late"]) == 1.5
    assert float(rows["bob"]["late_penalty"]) == 23 * 3              # 22.5 h late: 23 started hours
    for student, score in safe.items():
        override = 2.0 - POINTS["mse"] if student == "bob" else 0.0
        assert float(export[student]["score"]) == pytest.approx(score + override, abs=1e-6), student
        assert float(export[student]["late_submission_penalty"]) == pytest.approx(float(rows[student]["late_penalty"]))


def test_clear_errors(course, tmp_path):
    bad = subprocess.run([str(BIN / "autograder"), "gradebook", str(tmp_path / "nothing"), "--course", str(course)],
                         env=ENV, capture_output=True, text=True)
    assert bad.returncode == 2 and "run `autograder grade`" in bad.stderr
    empty = tmp_path / "empty-course"
    empty.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "results.json").write_text(json.dumps({"students": []}))
    bad = subprocess.run([str(BIN / "autograder"), "gradebook", str(tmp_path / "out"), "--course", str(empty)],
                         env=ENV, capture_output=True, text=True)
    assert bad.returncode == 2 and "nbgrader generate_assignment" in bad.stderr
