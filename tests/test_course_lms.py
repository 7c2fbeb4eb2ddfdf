"""LMS export and LMS downloads (issue 12, item 2).

* The same three students as one folder per student, as Canvas's flat
  download (``name_[LATE_]userid_subid_file``, a re-upload's ``-1``, a stray
  attachment) and as that download zipped grade to the same records;
* ``autograder lms-export`` on a Canvas gradebook export used as the roster
  gives a CSV that reads back with Canvas's column names, one row per roster
  student, the scores of grades.csv, an empty cell for no submission, and
  text cells a spreadsheet will not run;
* bad rosters and unknown students fail with what to do.
"""
import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder.classrun.errors import ErrorKind
from autograder.classrun.submissions import discover, lms_name
from autograder.demo import student_module
from autograder.grading.mistakes.variants import VARIANTS

BIN = Path(sys.executable).parent
VARIANT = sorted(VARIANTS.values(), key=lambda v: v.key)[0]
SOURCES = {"101": student_module(), "102": student_module([VARIANT]), "103": student_module(unfinished=("mse",))}
CANVAS_FILES = {"smithjohn_101_9001_losses.py": SOURCES["101"],
                "doejane_LATE_102_9002_losses-1.py": SOURCES["102"],
                "doejane_LATE_102_9002_notes.txt": "my notes",
                "roecopy_103_9003_losses.py": SOURCES["103"]}
ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section,Loss functions (777)
    Points Possible,,,,,100.00
"Smith, John",101,S101,jsmith,Section A,
"Doe, Jane",102,S102,jdoe,Section B,
"Roe, Copy",103,S103,croe,Section A,
"=HYPERLINK(""http://x""), Evil",104,S104,evil,Section B,
"""
CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Loss functions (777)"]


def autograder(*args, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "autograder"), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"autograder {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done


def per_student(folder: Path, names=None) -> Path:
    for student, source in SOURCES.items():
        (folder / (names or {}).get(student, student)).mkdir(parents=True)
        (folder / (names or {}).get(student, student) / "losses.py").write_text(source)
    return folder


def flat(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, text in CANVAS_FILES.items():
        (folder / name).write_text(text)
    return folder


def zipped(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in CANVAS_FILES.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 1, 12, 0, 0)), text)
    return path


def comparable(out: Path) -> dict:
    records = json.loads((out / "results.json").read_text())["students"]
    return {r["student"]: (r["score"], r["functions"], [(t["name"], t["score"]) for t in r["tests"]])
            for r in records}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lms")
    classes = {"tree": per_student(root / "tree"), "flat": flat(root / "flat"), "zip": zipped(root / "class.zip")}
    outs = {}
    for layout, class_dir in classes.items():
        outs[layout] = root / f"out-{layout}"
        autograder("grade", class_dir, "--out", outs[layout], "--seed", "31", "--quiet")
    (root / "roster.csv").write_text(ROSTER)
    outs["roster"] = root / "roster.csv"
    return outs


def test_canvas_names_are_read():
    assert lms_name("smithjohn_101_9001_losses.py") == ("101", "losses.py", False)
    assert lms_name("doejane_LATE_102_9002_losses-1.py") == ("102", "losses.py", True)
    assert lms_name("doejane_102_9002_loss_functions-12.ipynb") == ("102", "loss_functions.ipynb", False)
    assert lms_name("losses.py") is None and lms_name("alice_losses.py") is None


def test_flat_and_zipped_downloads_grade_like_a_per_student_tree(graded):
    tree = comparable(graded["tree"])
    assert sorted(tree) == ["101", "102", "103"]
    assert tree["101"][0] == 100 and tree["102"][0] < 100 and tree["103"][0] < 100
    assert comparable(graded["flat"]) == tree
    assert comparable(graded["zip"]) == tree


def test_discovery_of_a_zip_refuses_links_and_reads_per_student_folders(tmp_path):
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ann/loss_functions/losses.py", SOURCES["101"])
        link = zipfile.ZipInfo("bea/losses.py")
        link.external_attr = (0o120777) << 16
        archive.writestr(link, "/etc/passwd")
        archive.writestr("cat/readme.txt", "no code")
    found = {s.student: s for s in discover(path)}
    assert sorted(found) == ["ann", "bea", "cat"]
    assert found["ann"].read_source() == SOURCES["101"]
    assert "symbolic link" in str(found["bea"].problem) and found["bea"].data is None
    assert "no losses.py or notebook" in str(found["cat"].problem)
    assert found["bea"].problem.kind is ErrorKind.SYMLINK and found["cat"].problem.kind is ErrorKind.NO_FILE


def test_a_flat_folder_with_two_candidate_files_says_so(tmp_path):
    folder = tmp_path / "flat"
    folder.mkdir()
    (folder / "ann_5_6_a.py").write_text("x = 1\n")
    (folder / "ann_5_6_b.py").write_text("x = 2\n")
    (folder / "bea_7_8_losses.py").write_text("x = 3\n")
    found = {s.student: s for s in discover(folder)}
    assert sorted(found) == ["5", "7"]
    assert "no losses.py or notebook among the files of student 5" in str(found["5"].problem)
    assert found["7"].read_source() == "x = 3\n"


def test_lms_export_reads_back_with_canvas_columns(graded, tmp_path):
    target = tmp_path / "canvas.csv"
    done = autograder("lms-export", graded["flat"], "--roster", graded["roster"],
                      "--assignment", "Loss functions (777)", "--out", target)
    assert "matched by the roster's 'ID' column" in done.stdout and "1 roster student(s) with no submission" in done.stdout
    rows = list(csv.DictReader(io.StringIO(target.read_text())))
    assert list(rows[0]) == CANVAS_HEADER
    assert rows[0]["Student"] == "Points Possible" and rows[0]["Loss functions (777)"] == "100"
    by_id = {r["ID"]: r for r in rows[1:]}
    assert sorted(by_id) == ["101", "102", "103", "104"]
    with open(graded["flat"] / "grades.csv", newline="") as fh:
        scores = {r["student"]: r["score"] for r in csv.DictReader(fh)}
    for student in ("101", "102", "103"):
        assert by_id[student]["Loss functions (777)"] == scores[student]
    assert by_id["102"]["Student"] == "Doe, Jane" and by_id["102"]["SIS Login ID"] == "jdoe"
    assert by_id["102"]["Section"] == "Section B" and by_id["102"]["SIS User ID"] == "S102"
    assert by_id["104"]["Loss functions (777)"] == ""                 # no submission: Canvas keeps the grade
    assert by_id["104"]["Student"].startswith("'=")                   # never a formula


def test_lms_export_matches_by_login_id_and_scores_missing_as_zero(graded, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    results = json.loads((graded["tree"] / "results.json").read_text())
    logins = {"101": "jsmith", "102": "jdoe", "103": "croe"}
    for r in results["students"]:
        r["student"] = logins[r["student"]]
    (out / "results.json").write_text(json.dumps(results))
    autograder("lms-export", out, "--roster", graded["roster"], "--missing", "zero")
    rows = {r["SIS Login ID"]: r for r in csv.DictReader(io.StringIO((out / "canvas.csv").read_text()))
            if r["Student"] != "Points Possible"}
    assert rows["evil"]["loss_functions"] == "0"
    assert rows["jsmith"]["loss_functions"] == "100"


def test_lms_export_errors_say_what_to_do(graded, tmp_path):
    no_ids = tmp_path / "names.csv"
    no_ids.write_text("Student,Section\nAnn,A\n")
    bad = autograder("lms-export", graded["flat"], "--roster", no_ids, check=False)
    assert bad.returncode == 2 and "no id column" in bad.stderr and "SIS Login ID" in bad.stderr
    bad = autograder("lms-export", graded["flat"], "--roster", tmp_path / "missing.csv", check=False)
    assert bad.returncode == 2 and "Grades > Export" in bad.stderr
    short = tmp_path / "short.csv"
    short.write_text("Student,ID\nSmith,101\nDoe,102\n")
    bad = autograder("lms-export", graded["flat"], "--roster", short, "--out", tmp_path / "x.csv", check=False)
    assert bad.returncode == 1 and "103" in bad.stderr and "not in the roster" in bad.stderr
    elsewhere = tmp_path / "other.csv"
    elsewhere.write_text("Student,ID\nSmith,901\n")
    bad = autograder("lms-export", graded["flat"], "--roster", elsewhere, check=False)
    assert bad.returncode == 2 and "--match" in bad.stderr


def test_a_plain_file_is_not_a_class(tmp_path):
    plain = tmp_path / "notes.txt"
    plain.write_text("hello")
    bad = autograder("grade", plain, "--out", tmp_path / "out", check=False)
    assert bad.returncode == 2 and "is a file, not a class folder" in bad.stderr
