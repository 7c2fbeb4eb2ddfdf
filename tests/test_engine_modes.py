"""Engine behaviour around the sandbox: the fallback without bubblewrap,
--require-sandbox, infrastructure failures, and the per-student formats."""
import json

import pytest

from autograder import sandbox
from autograder.classrun import engine
from autograder.classrun.engine import GradeOptions, grade_class
from autograder.classrun.errors import ErrorKind
from autograder.classrun.records import StudentRecord
from autograder.classrun.state import RunState
from autograder.demo import student_module
from autograder.grading.mistakes.variants import VARIANTS
from autograder.sandbox import InfrastructureError, Limits, SandboxUnavailable
from autograder.single import grader_failed


def small_class(folder):
    if folder.exists():
        return folder
    (folder / "right").mkdir(parents=True)
    (folder / "right" / "losses.py").write_text(student_module())
    (folder / "flipped").mkdir()
    (folder / "flipped" / "losses.py").write_text(student_module([VARIANTS[("grad-sign-flipped", "bce_grad")]]))
    return folder


def options(tmp_path, **extra):
    return GradeOptions(small_class(tmp_path / "class"), tmp_path / "out", jobs=1,
                        limits=Limits(call_timeout=2), seed=3, progress=False, **extra)


def test_without_bubblewrap_it_warns_grades_and_records_process_isolation(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "bwrap_works", lambda: False)
    with pytest.warns(RuntimeWarning, match="bubblewrap"):
        results = grade_class(options(tmp_path)).to_json()
    rows = {s["student"]: s for s in results["students"]}
    assert results["meta"]["isolation"] == "process"
    assert {r["isolation"] for r in rows.values()} == {"process"}
    assert rows["right"]["score"] == 100
    assert rows["flipped"]["functions"]["bce_grad"]["mistakes"] == ["grad-sign-flipped"]


def test_require_sandbox_refuses_to_run_without_bubblewrap(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "bwrap_works", lambda: False)
    with pytest.raises(SandboxUnavailable, match="apt-get install bubblewrap"):
        grade_class(options(tmp_path, require_sandbox=True)).to_json()
    assert not (tmp_path / "out" / "results.json").exists()


def test_an_infrastructure_failure_is_retried_not_scored(tmp_path, monkeypatch):
    real_run, failures = sandbox.Worker.run, []

    def flaky(self, *args, **kwargs):
        if len(failures) < 2:
            failures.append(1)
            raise InfrastructureError("the worker vanished")
        return real_run(self, *args, **kwargs)

    monkeypatch.setattr(sandbox.Worker, "run", flaky)
    results = grade_class(options(tmp_path)).to_json()
    assert len(failures) == 2
    assert {s["student"]: s["score"] for s in results["students"]}["right"] == 100
    assert all(s["status"] == "graded" for s in results["students"])


def test_a_persistent_infrastructure_failure_is_an_error_row_and_retried_next_run(tmp_path, monkeypatch):
    def broken(self, *args, **kwargs):
        raise InfrastructureError("no sandbox today")

    monkeypatch.setattr(sandbox.Worker, "run", broken)
    results = grade_class(options(tmp_path)).to_json()
    assert all(s["status"] == "error" and "infrastructure" in s["error"] for s in results["students"])
    assert all(s["error_kind"] == ErrorKind.INFRASTRUCTURE.value and grader_failed(StudentRecord.from_json(s)) for s in results["students"])
    monkeypatch.undo()
    again = grade_class(options(tmp_path)).to_json()
    assert again["meta"]["graded_now"] == 2
    assert all(s["status"] == "graded" for s in again["students"])


def test_a_grader_bug_is_an_internal_error_row_whatever_its_message(tmp_path, monkeypatch):
    def buggy(*args, **kwargs):
        raise KeyError("syntax error at line 1: timed out, MemoryError, No module named 'torch'")

    monkeypatch.setattr(engine, "grade_outcomes", buggy)
    results = grade_class(options(tmp_path)).to_json()
    assert all(s["error"].startswith("internal grader error: KeyError") for s in results["students"])
    assert {s["error_kind"] for s in results["students"]} == {ErrorKind.INTERNAL.value}
    assert all(grader_failed(StudentRecord.from_json(s)) for s in results["students"])
    report = (tmp_path / "out" / "report.html").read_text().replace("&#39;", "'")
    assert ErrorKind.INTERNAL.advice in report and ErrorKind.SYNTAX.advice not in report


def test_a_row_the_run_never_saved_is_interrupted(tmp_path, monkeypatch):
    monkeypatch.setattr(RunState, "load", lambda self, *args: None)
    results = grade_class(options(tmp_path)).to_json()
    assert {(s["error"], s["error_kind"]) for s in results["students"]} == {
        ("not graded (the run was interrupted)", ErrorKind.INTERRUPTED.value)}


def test_a_saved_row_from_before_error_kinds_is_read_back_as_unknown(tmp_path):
    """Resuming over state written before ``error_kind`` existed: the row in
    error gets the documented default, ``unknown`` (its general advice); a
    graded one gets null. Nothing is graded again."""
    folder = small_class(tmp_path / "class")
    (folder / "broken").mkdir()
    (folder / "broken" / "losses.py").write_text("def mse(y_hat, y)\n    return 0\n")
    first = {s["student"]: s for s in grade_class(options(tmp_path)).to_json()["students"]}
    assert first["broken"]["error_kind"] == ErrorKind.SYNTAX.value
    assert ErrorKind.SYNTAX.advice in (tmp_path / "out" / "feedback" / "broken.md").read_text()
    for student in ("broken", "right"):
        saved = tmp_path / "out" / ".state" / "students" / f"{student}.json"
        data = json.loads(saved.read_text())
        del data["record"]["error_kind"]
        saved.write_text(json.dumps(data))
    again = grade_class(options(tmp_path)).to_json()
    assert again["meta"]["graded_now"] == 0
    rows = {s["student"]: s for s in again["students"]}
    assert rows["broken"]["error_kind"] == ErrorKind.UNKNOWN.value and rows["broken"]["error"] == first["broken"]["error"]
    assert rows["right"]["error_kind"] is None and rows["right"]["score"] == 100
    assert ErrorKind.UNKNOWN.advice in (tmp_path / "out" / "feedback" / "broken.md").read_text()
    on_disk = {s["student"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["students"]}
    assert on_disk["broken"]["error_kind"] == ErrorKind.UNKNOWN.value


def test_gradescope_files_follow_gradescopes_format(tmp_path):
    results = grade_class(options(tmp_path)).to_json()
    data = json.loads((tmp_path / "out" / "gradescope" / "flipped.json").read_text())
    assert data["score"] == [s for s in results["students"] if s["student"] == "flipped"][0]["score"]
    assert {"score", "tests", "output", "visibility"} <= set(data)
    for test in data["tests"]:
        assert {"name", "score", "max_score", "output", "visibility", "tags"} <= set(test)
    tagged = [t for t in data["tests"] if t["tags"]]
    assert tagged and all(t["tags"] == ["grad-sign-flipped"] for t in tagged)
    assert sum(t["max_score"] for t in data["tests"]) == 100


def test_output_folder_inside_the_class_folder_is_refused(tmp_path):
    folder = small_class(tmp_path / "class")
    with pytest.raises(ValueError, match="inside the class folder"):
        grade_class(GradeOptions(folder, folder / "out", progress=False)).to_json()
