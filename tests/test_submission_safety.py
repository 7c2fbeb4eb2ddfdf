"""Class folders a hostile or careless student can shape (issue 15).

* Symbolic links are never followed: a linked ``losses.py``, student folder,
  nbgrader assignment folder or notebook is an error row with its reason, and
  neither the source nor the fingerprint reads the link's target.
* A FIFO (or device) named ``losses.py`` is refused without blocking.
* Student ids of any length and character map to distinct, safe file names
  (``filenames.safe_stem``), used by every file the run writes.
* ``grades.csv`` cells that a spreadsheet would run as a formula are neutralised.
* Output files get the mode the umask gives, not 0600.
"""
import csv
import dataclasses
import io
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.authoring.notebook_source import filled_release, reference_answers
from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.classrun import outputs
from autograder.classrun.errors import ErrorKind
from autograder.classrun.filenames import safe_stem
from autograder.classrun.records import ClassResults, Status, error_record
from autograder.classrun.state import RunState, atomic_write
from autograder.classrun.submissions import SubmissionError, discover
from autograder.grading.rubric import ASSIGNMENT
from autograder.notebooks.extract import extract_student_code

REF = strip_markers(REFERENCE.read_text())
SECRET = "secret-target-content-5b1f"
LONG_ID = "s" * 241
HYPERLINK_ID = '=HYPERLINK("evil.example","y")'     # a folder name cannot hold the '/' of a URL
SAFE_NAME = re.compile(r"[A-Za-z0-9._-]+")


def by_student(class_dir: Path) -> dict:
    return {s.student: s for s in discover(class_dir)}


def refusal(submission) -> str:
    with pytest.raises(SubmissionError) as caught:
        submission.read_source()
    return str(caught.value)


@pytest.fixture
def outside(tmp_path):
    """A folder outside the class, holding what links point to."""
    folder = tmp_path / "outside"
    (folder / "student").mkdir(parents=True)
    (folder / "student" / "losses.py").write_text(f"# {SECRET}\n" + REF)
    (folder / "secret.txt").write_text(SECRET + "\n")
    return folder


# --- symbolic links -------------------------------------------------------------------

def test_a_linked_losses_py_is_refused_and_its_target_never_read(tmp_path, outside):
    class_dir = tmp_path / "class"
    for student, target in (("to-solutions", REFERENCE), ("to-secret", outside / "secret.txt")):
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").symlink_to(target)
    found = by_student(class_dir)
    assert set(found) == {"to-solutions", "to-secret"}
    for submission in found.values():
        reason = refusal(submission)
        assert "losses.py is a symbolic link" in reason and "\n" not in reason
        assert SECRET not in reason


def test_the_fingerprint_does_not_follow_a_link(tmp_path, outside):
    class_dir = tmp_path / "class"
    (class_dir / "linker").mkdir(parents=True)
    (class_dir / "linker" / "losses.py").symlink_to(outside / "secret.txt")
    (class_dir / "plain").mkdir()
    (class_dir / "plain" / "losses.py").write_text("x = 1\n")
    before = {name: s.fingerprint() for name, s in by_student(class_dir).items()}
    (outside / "secret.txt").write_text("changed\n")
    (class_dir / "plain" / "losses.py").write_text("x = 2\n")
    after = {name: s.fingerprint() for name, s in by_student(class_dir).items()}
    assert after["linker"] == before["linker"]         # the target's content is not part of it
    assert after["plain"] != before["plain"]           # a real file's content is


def test_a_linked_student_folder_is_an_error_row_not_its_target(tmp_path, outside):
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    (class_dir / "mallory").symlink_to(outside / "student", target_is_directory=True)
    (class_dir / "stray-file-link").symlink_to(outside / "secret.txt")      # not a folder: not a student
    (class_dir / "dangling").symlink_to(tmp_path / "nowhere")
    found = by_student(class_dir)
    assert set(found) == {"mallory"}
    reason = refusal(found["mallory"])
    assert reason == "the student folder is a symbolic link; links are not graded: submit a real folder"
    fingerprint = found["mallory"].fingerprint()
    (outside / "student" / "losses.py").write_text("changed = True\n")
    assert by_student(class_dir)["mallory"].fingerprint() == fingerprint


def test_a_folder_replaced_by_a_link_after_discovery_is_refused(tmp_path, outside):
    class_dir = tmp_path / "class"
    (class_dir / "eve").mkdir(parents=True)
    (class_dir / "eve" / "losses.py").write_text("x = 1\n")
    submission = by_student(class_dir)["eve"]
    (class_dir / "eve" / "losses.py").unlink()
    (class_dir / "eve").rmdir()
    (class_dir / "eve").symlink_to(outside / "student", target_is_directory=True)
    assert "the student folder is a symbolic link" in refusal(submission)


def nbgrader_course(tmp_path: Path) -> Path:
    submitted = tmp_path / "course" / "submitted"
    submitted.mkdir(parents=True)
    return submitted


def write_notebook(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(filled_release(reference_answers()), path)


def test_a_linked_nbgrader_assignment_folder_is_refused(tmp_path):
    submitted = nbgrader_course(tmp_path)
    elsewhere = tmp_path / "elsewhere" / ASSIGNMENT
    write_notebook(elsewhere / f"{ASSIGNMENT}.ipynb")
    (submitted / "carol").mkdir()
    (submitted / "carol" / ASSIGNMENT).symlink_to(elsewhere, target_is_directory=True)
    write_notebook(submitted / "dan" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    found = by_student(submitted.parent)                   # the course folder that holds submitted/
    assert set(found) == {"carol", "dan"}
    assert refusal(found["carol"]) == f"{ASSIGNMENT} is a symbolic link; links are not graded: submit the folder itself"
    assert found["dan"].kind == "notebook"


def test_a_linked_notebook_is_refused_and_a_real_one_still_graded(tmp_path):
    submitted = nbgrader_course(tmp_path)
    real = tmp_path / "elsewhere" / f"{ASSIGNMENT}.ipynb"
    write_notebook(real)
    (submitted / "frank" / ASSIGNMENT).mkdir(parents=True)
    (submitted / "frank" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").symlink_to(real)
    write_notebook(submitted / "grace" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    found = by_student(submitted)
    assert refusal(found["frank"]) == (f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb is a symbolic link; "
                                       "links are not graded: submit the file itself")
    assert found["grace"].read_source() == extract_student_code(
        submitted / "grace" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")


# --- FIFOs and other special files -------------------------------------------------------

@pytest.mark.timeout(30)
def test_a_fifo_named_losses_py_is_refused_without_blocking(tmp_path):
    class_dir = tmp_path / "class"
    (class_dir / "piper").mkdir(parents=True)
    os.mkfifo(class_dir / "piper" / "losses.py")
    (class_dir / "nb-piper" / ASSIGNMENT).mkdir(parents=True)
    os.mkfifo(class_dir / "nb-piper" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    found = by_student(class_dir)
    assert found["piper"].kind == "python"                  # picked, then refused with its reason
    found["piper"].fingerprint()                            # would block on open without O_NONBLOCK
    assert refusal(found["piper"]) == "losses.py is a named pipe (FIFO), not a regular file: submit the file itself"
    found["nb-piper"].fingerprint()
    assert "is a named pipe (FIFO)" in refusal(found["nb-piper"])


def test_a_folder_named_losses_py_is_not_picked(tmp_path):
    class_dir = tmp_path / "class"
    (class_dir / "odd" / "losses.py").mkdir(parents=True)
    assert "no losses.py or notebook" in refusal(by_student(class_dir)["odd"])


def test_hidden_folders_are_not_students(tmp_path):
    class_dir = tmp_path / "class"
    for name in (".ipynb_checkpoints", ".hidden", "...", "visible"):
        (class_dir / name).mkdir(parents=True)
    assert list(by_student(class_dir)) == ["visible"]


# --- safe file names ---------------------------------------------------------------------

ODD_IDS = [
    LONG_ID, "s" * 240 + "t", "é" * 200, "Zoë Ünal", "with space", "名前", "..", ".hidden", "-",
    "tab\there", "new\nline", "x\udcff", HYPERLINK_ID, "a:b*c?d", "CON", "a" * 100 + "b",
    "alice-0123456789abcdef", "", "under_score-and.dots",
]


def test_ordinary_ids_keep_their_file_names():
    for student in ("alice", "s123", "Bob_Smith-2.v1", "a" * 100):
        assert safe_stem(student) == student


@pytest.mark.parametrize("student", ODD_IDS)
def test_every_id_maps_to_a_safe_short_file_name(student):
    stem = safe_stem(student)
    assert SAFE_NAME.fullmatch(stem), stem
    assert not stem.startswith(".")
    assert len(stem.encode()) <= 100
    assert safe_stem(student) == stem                       # stable across calls (and runs)


def test_distinct_ids_give_distinct_file_names():
    shared_prefix = ["p" * 240 + c for c in "abcdefgh"] + ["p" * 300, "p" * 241]
    ids = ODD_IDS + shared_prefix + [safe_stem(LONG_ID), safe_stem("Zoë Ünal"), "Zoe Unal", "Zoe-Unal"]
    ids = list(dict.fromkeys(ids))
    stems = [safe_stem(s) for s in ids]
    assert len(set(stems)) == len(ids)


def test_a_name_shaped_like_a_hashed_stem_is_hashed_too():
    hashed = safe_stem(LONG_ID)
    assert hashed != LONG_ID and safe_stem(hashed) != hashed


@pytest.mark.parametrize("student", [LONG_ID, "Zoë Ünal", "x\udcff", HYPERLINK_ID])
def test_state_round_trips_for_any_id(tmp_path, student):
    state = RunState(tmp_path / "out")
    record = error_record(student, "reason", "process", ErrorKind.UNKNOWN)
    state.save(student, "fp", 3, record, {})
    assert [p.name for p in state.students.iterdir()] == [f"{safe_stem(student)}.json"]
    assert state.load(student, "fp", 3).record == record
    assert state.load(student, "other", 3) is None


def test_ordinary_ids_keep_their_state_file(tmp_path):
    state = RunState(tmp_path / "out")
    state.save("alice", "fp", 3, error_record("alice", "reason", "process", ErrorKind.UNKNOWN), {})
    assert (state.students / "alice.json").exists()


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """Student and class files for ids that need a mapping (error rows: no sandbox needed)."""
    out = tmp_path_factory.mktemp("written")
    students = ["alice", LONG_ID, "Zoë Ünal", "x\udcff", HYPERLINK_ID, ".hidden"]
    records = [error_record(s, "could not be graded", "process", ErrorKind.UNKNOWN) for s in students]
    for record in records:
        outputs.write_student_files(out, record, {})
    results = ClassResults(ASSIGNMENT, 100, records, [],
                           {"grader_version": "test", "isolation": "process", "seed": 3, "jobs": 1,
                            "started": "now", "graded_now": len(records), "reused": 0, "elapsed_seconds": 0})
    outputs.write_class_files(out, results)
    return out, students


def test_student_files_are_named_by_the_safe_stem(written):
    out, students = written
    assert (out / "feedback" / "alice.md").exists()
    for student in students:
        stem = safe_stem(student)
        assert outputs.student_files_exist(out, student)
        for path in outputs.student_files(out, student):
            assert path.name.startswith(stem + ".")
        gradescope = json.loads((out / "gradescope" / f"{stem}.json").read_text())
        assert gradescope["score"] == 0
    assert {p.name for p in (out / "feedback").iterdir()} == {
        f"{safe_stem(s)}.{ext}" for s in students for ext in ("md", "html")}


def test_the_class_report_links_to_the_files_written(written):
    out, students = written
    report = (out / "report.html").read_text()
    links = set(re.findall(r'href="(feedback/[^"]*)"', report))
    assert links == {f"feedback/{safe_stem(s)}.html" for s in students}
    for link in links:
        assert (out / link).is_file()


# --- grades.csv --------------------------------------------------------------------------

@pytest.mark.parametrize("text, cell", [
    ("=HYPERLINK(\"x\",\"y\")", "'=HYPERLINK(\"x\",\"y\")"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("alice", "alice"), ("a=b", "a=b"), ("", ""),
])
def test_formula_cells_are_neutralised(text, cell):
    assert outputs.csv_text(text) == cell


def test_grades_csv_neutralises_text_cells_and_keeps_numbers(written):
    out, students = written
    graded = error_record("=1+1", "r", "process", ErrorKind.UNKNOWN)
    functions = dict(graded.functions)
    first = next(iter(functions))
    functions[first] = dataclasses.replace(functions[first], mistakes=("-summed-not-averaged", "plain-mistake"))
    graded = dataclasses.replace(graded, score=87.5, status=Status.GRADED, error_kind=None, functions=functions)
    rows = list(csv.reader(io.StringIO(outputs.grades_csv([graded, error_record("@bob", "r", "process", ErrorKind.UNKNOWN),
                                                           error_record("alice", "r", "process", ErrorKind.UNKNOWN)]))))
    assert rows[0] == ["student", "score", "max_score", "status", "mistakes"]
    assert rows[1] == ["'=1+1", "87.5", "100", "graded", "'-summed-not-averaged;plain-mistake"]
    assert rows[2] == ["'@bob", "0", "100", "error", ""]
    assert rows[3] == ["alice", "0", "100", "error", ""]
    on_disk = list(csv.reader(io.StringIO((out / "grades.csv").read_text())))
    written_ids = [outputs.csv_text(s).encode("utf-8", "backslashreplace").decode("utf-8") for s in students]
    assert [r[0] for r in on_disk[1:]] == written_ids      # a non-UTF-8 folder name is escaped, not fatal
    assert f"'{HYPERLINK_ID}" in written_ids and "x\\udcff" in written_ids


# --- file modes --------------------------------------------------------------------------

@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600), (0o002, 0o664)])
def test_written_files_honour_the_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        atomic_write(tmp_path / "out" / "grades.csv", "student\n")
        RunState(tmp_path / "out").save(LONG_ID, "fp", 1, error_record(LONG_ID, "reason", "process", ErrorKind.UNKNOWN), {})
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out" / "grades.csv").stat().st_mode) == mode
    saved = tmp_path / "out" / ".state" / "students" / f"{safe_stem(LONG_ID)}.json"
    assert stat.S_IMODE(saved.stat().st_mode) == mode
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".state", "grades.csv"]   # no temporary left


def test_atomic_write_replaces_and_does_not_follow_a_planted_link(tmp_path):
    target = tmp_path / "victim.txt"
    target.write_text("untouched\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "grades.csv").symlink_to(target)
    atomic_write(out / "grades.csv", "new\n")
    assert target.read_text() == "untouched\n"
    assert not (out / "grades.csv").is_symlink() and (out / "grades.csv").read_text() == "new\n"


# --- end to end ----------------------------------------------------------------------------

def grade(class_dir: Path, out_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out", str(out_dir),
                           "--jobs", "1", "--seed", "3"], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def class_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("safety")
    class_dir, out_dir = base / "class", base / "out"
    for student in ("correct", LONG_ID, HYPERLINK_ID, "linked-folder-target"):
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(REF)
    (class_dir / "linked-file").mkdir()
    (class_dir / "linked-file" / "losses.py").symlink_to(REFERENCE)
    (class_dir / "linked-folder").symlink_to(class_dir / "linked-folder-target", target_is_directory=True)
    first = grade(class_dir, out_dir)
    results = json.loads((out_dir / "results.json").read_text()) if first.returncode == 0 else None
    second = grade(class_dir, out_dir)
    return {"first": first, "second": second, "results": results, "out": out_dir}


def rows(run) -> dict:
    assert run["first"].returncode == 0, run["first"].stderr[-3000:]
    return {r["student"]: r for r in run["results"]["students"]}


def test_every_row_is_present_with_its_status(class_run):
    r = rows(class_run)
    assert set(r) == {"correct", LONG_ID, HYPERLINK_ID, "linked-folder-target", "linked-file", "linked-folder"}
    for student in ("correct", LONG_ID, HYPERLINK_ID, "linked-folder-target"):
        assert r[student]["status"] == "graded" and r[student]["score"] == 100, (student[:20], r[student])
    assert r["linked-file"]["status"] == "error" and r["linked-file"]["score"] == 0
    assert "losses.py is a symbolic link" in r["linked-file"]["error"]
    assert r["linked-folder"]["status"] == "error" and r["linked-folder"]["score"] == 0
    assert "the student folder is a symbolic link" in r["linked-folder"]["error"]


def test_every_student_has_files_and_a_working_link(class_run):
    r = rows(class_run)
    out = class_run["out"]
    report = (out / "report.html").read_text()
    for student in r:
        assert outputs.student_files_exist(out, student), student[:20]
        assert f'href="{outputs.feedback_link(student)}"' in report
    assert (out / "feedback" / "correct.md").exists()
    assert not any(len(p.name) > 120 for p in out.rglob("*"))


def test_the_formula_cell_is_neutralised_in_grades_csv(class_run):
    rows(class_run)
    table = list(csv.reader(io.StringIO((class_run["out"] / "grades.csv").read_text())))
    students = {row[0]: row for row in table[1:]}
    assert students[f"'{HYPERLINK_ID}"][1:4] == ["100", "100", "graded"]
    assert HYPERLINK_ID not in students
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)


def test_a_rerun_resumes_every_row(class_run):
    rows(class_run)
    assert class_run["second"].returncode == 0, class_run["second"].stderr[-3000:]
    results = json.loads((class_run["out"] / "results.json").read_text())
    assert results["meta"]["reused"] == 6 and results["meta"]["graded_now"] == 0
    assert {r["student"]: r["score"] for r in results["students"]} == {
        r["student"]: r["score"] for r in class_run["results"]["students"]}
