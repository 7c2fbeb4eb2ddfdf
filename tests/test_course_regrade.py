"""Regrades (issue 12, item 4): ``--student ID`` grades only the named
students in an existing output folder, keeps the others' rows and rebuilds
the class files; a resubmission is told by the content's hash, not its time.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.demo import student_module

BIN = Path(sys.executable).parent


def autograder(*args, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "autograder"), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"autograder {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done


def rows(out: Path) -> dict[str, dict]:
    return {r["student"]: r for r in json.loads((out / "results.json").read_text())["students"]}


@pytest.fixture
def graded(tmp_path):
    class_dir = tmp_path / "class"
    for student, unfinished in (("ann", ()), ("bea", ("mse",)), ("cid", ("bce",))):
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(student_module(unfinished=unfinished))
    out = tmp_path / "out"
    autograder("grade", class_dir, "--out", out, "--seed", "12", "--quiet")
    return class_dir, out


def test_only_named_students_are_regraded_and_a_touch_is_not_a_resubmission(graded):
    class_dir, out = graded
    before = rows(out)
    ann_page = (out / "feedback" / "ann.md").read_text()
    # bea resubmits (mse now written); cid's file is only touched; ann changes but is not named
    (class_dir / "bea" / "losses.py").write_text(student_module())
    later = os.stat(class_dir / "cid" / "losses.py").st_mtime + 3600
    os.utime(class_dir / "cid" / "losses.py", (later, later))
    (class_dir / "ann" / "losses.py").write_text(student_module(unfinished=("sigmoid",)))

    done = autograder("grade", class_dir, "--out", out, "--student", "bea", "--student", "cid", "--quiet")
    meta = json.loads((out / "results.json").read_text())["meta"]
    assert meta["graded_now"] == 1 and meta["regrade_of"] == ["bea", "cid"]     # cid: same hash, reused
    after = rows(out)
    assert after["bea"]["score"] == 100 and before["bea"]["score"] < 100
    assert after["cid"] == before["cid"]
    assert after["ann"] == before["ann"] and after["ann"]["score"] == 100   # kept, although ann's file changed
    assert (out / "feedback" / "ann.md").read_text() == ann_page
    grades = (out / "grades.csv").read_text().splitlines()
    assert grades[1:] == ["ann,100,100,graded,", "bea,100,100,graded,", f"cid,{after['cid']['score']:g},100,graded,"]
    report = (out / "report.html").read_text()
    assert all(f'data-student="{s}"' in report for s in ("ann", "bea", "cid"))
    assert "Regrade of bea, cid: 1 graded again" in done.stdout

    forced = autograder("grade", class_dir, "--out", out, "--student", "cid", "--force", "--quiet")
    assert json.loads((out / "results.json").read_text())["meta"]["graded_now"] == 1
    assert rows(out)["ann"] == before["ann"]
    assert "cid" in forced.stdout


def test_regrade_errors_say_what_to_do(graded, tmp_path):
    class_dir, out = graded
    bad = autograder("grade", class_dir, "--out", out, "--student", "zed", check=False)
    assert bad.returncode == 2 and "--student zed" in bad.stderr and "ann, bea, cid" in bad.stderr
    bad = autograder("grade", class_dir, "--out", tmp_path / "fresh", "--student", "ann", check=False)
    assert bad.returncode == 2 and "grade the whole class into it first" in bad.stderr
    bad = autograder("grade", class_dir, "--out", out, "--student", "ann", "--seed", "13", check=False)
    assert bad.returncode == 2 and "differs from the seed 12" in bad.stderr
    assert json.loads((out / ".state" / "run.json").read_text())["seed"] == 12       # nothing was changed
