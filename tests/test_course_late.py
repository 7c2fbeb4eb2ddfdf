"""Late work (issue 12, item 3): nbgrader's timestamp.txt (or, where asked,
file times), a due date and a declared policy; the penalty is its own line in
grades.csv, results.json, the feedback pages, the Gradescope results and the
class report; without a due date nothing changes.
"""
import csv
import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from autograder.course.late import LateError, LatePolicy, parse_time, policy_from_args
from autograder.demo import student_module
from autograder.grading.rubric import ASSIGNMENT

BIN = Path(sys.executable).parent
DUE = "2026-03-01T23:59:00+01:00"        # 22:59 UTC


def autograder(*args, check=True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "autograder"), *map(str, args)], capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, f"autograder {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done


def policy(kind="per-day", **kw) -> LatePolicy:
    return LatePolicy(parse_time(DUE), kind, **kw)


def test_parse_time_reads_nbgrader_and_iso():
    utc = datetime(2026, 3, 1, 22, 59, tzinfo=timezone.utc)
    assert parse_time(DUE) == utc
    assert parse_time("2026-03-01 22:59:00.000000 UTC") == utc
    assert parse_time("2026-03-01 17:59:00 -0500") == utc
    assert parse_time("2026-03-01T22:59:00") == utc                    # no zone: UTC, as in nbgrader
    with pytest.raises(LateError, match="ISO 8601"):
        parse_time("next friday-ish")


def test_policies():
    day, hour = 86400, 3600
    assert policy("none").penalty_for(90, 5 * day) == 0
    per_day = policy("per-day", penalty=10)
    assert [per_day.penalty_for(90, s) for s in (0, 1, day, day + 1, 3 * day)] == [0, 10, 10, 20, 30]
    assert per_day.penalty_for(15, 3 * day) == 15                      # never below zero
    assert policy("per-day", penalty=10, max_penalty=25).penalty_for(90, 10 * day) == 25
    assert policy("per-hour", penalty=2).penalty_for(90, 2.5 * hour) == 6
    assert policy("per-hour", penalty=2, grace_minutes=15).penalty_for(90, 10 * 60) == 0
    assert policy("per-hour", penalty=2, grace_minutes=15).penalty_for(90, 16 * 60) == 2
    cap = policy("cap", cap=50)
    assert cap.penalty_for(90, 1) == 40 and cap.penalty_for(30, 1) == 0 and cap.penalty_for(90, 0) == 0


def test_declared_policy_errors_say_what_to_do():
    with pytest.raises(LateError, match="needs --late-penalty"):
        policy_from_args(DUE, "per-day", None, None, None, None, "timestamp")
    with pytest.raises(LateError, match="needs --late-cap"):
        policy_from_args(DUE, "cap", None, None, None, None, "timestamp")
    with pytest.raises(LateError, match="without --due"):
        policy_from_args(None, "per-day", 10, None, None, None, "timestamp")
    assert policy_from_args(None, "none", None, None, None, None, "timestamp") is None


def nbgrader_class(root: Path) -> Path:
    """submitted/<student>/<assignment>/losses.py with nbgrader's timestamp.txt."""
    stamps = {"early": "2026-03-01 20:00:00.000000 UTC", "late": "2026-03-02 23:30:00.000000 UTC",
              "nostamp": None}
    for student, stamp in stamps.items():
        folder = root / "submitted" / student / ASSIGNMENT
        folder.mkdir(parents=True)
        (folder / "losses.py").write_text(student_module(unfinished=("mse",) if student == "late" else ()))
        if stamp:
            (folder / "timestamp.txt").write_text(stamp + "\n")
    return root


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("late")
    course = nbgrader_class(root / "course")
    plain, late = root / "plain", root / "late"
    autograder("grade", course, "--out", plain, "--seed", "9", "--quiet")
    done = autograder("grade", course, "--out", late, "--seed", "9", "--quiet", "--due", DUE,
                      "--late-policy", "per-day", "--late-penalty", "10")
    return {"course": course, "plain": plain, "late": late, "stdout": done.stdout}


def read_grades(out: Path) -> tuple[list[str], dict[str, dict]]:
    with open(out / "grades.csv", newline="") as fh:
        reader = csv.DictReader(fh)
        return reader.fieldnames, {r["student"]: r for r in reader}


def test_without_a_due_date_nothing_changes(runs):
    header, rows = read_grades(runs["plain"])
    assert header == ["student", "score", "max_score", "status", "mistakes"]
    results = json.loads((runs["plain"] / "results.json").read_text())
    assert all("late" not in r for r in results["students"]) and "late_policy" not in results["meta"]
    assert "Late" not in (runs["plain"] / "feedback" / "late.md").read_text()
    assert all(t["name"] != "Late penalty" for t in json.loads((runs["plain"] / "gradescope" / "late.json").read_text())["tests"])
    assert 'id="late"' not in (runs["plain"] / "report.html").read_text()


def test_the_penalty_is_a_line_of_its_own_everywhere(runs):
    _, plain = read_grades(runs["plain"])
    header, rows = read_grades(runs["late"])
    assert header[-4:] == ["raw_score", "late_penalty", "submitted", "hours_late"]
    raw = float(plain["late"]["score"])
    assert raw < 100                                                   # mse unfinished
    assert float(rows["late"]["raw_score"]) == raw
    assert float(rows["late"]["late_penalty"]) == 20                   # 24 h 31 min late: two started days
    assert float(rows["late"]["hours_late"]) == 24.52
    assert float(rows["late"]["score"]) == pytest.approx(raw - 20)
    assert float(rows["early"]["late_penalty"]) == 0 and float(rows["early"]["score"]) == 100
    assert rows["nostamp"]["submitted"] == "" and float(rows["nostamp"]["score"]) == float(plain["nostamp"]["score"])

    record = {r["student"]: r for r in json.loads((runs["late"] / "results.json").read_text())["students"]}["late"]
    assert record["late"]["penalty"] == 20 and record["late"]["raw_score"] == raw and record["late"]["late"]
    assert record["late"]["source"] == "timestamp.txt"
    assert sum(f["score"] for f in record["functions"].values()) == pytest.approx(raw)   # functions untouched

    md = (runs["late"] / "feedback" / "late.md").read_text()
    assert re.search(r"\*\*Late work:\*\* Submitted 1 d 31 min after the due date .* Late penalty: -20 points", md)
    html = (runs["late"] / "feedback" / "late.html").read_text()
    assert 'id="late-penalty"' in html and 'data-penalty="20"' in html
    assert "Late penalty" not in (runs["late"] / "feedback" / "early.md").read_text()

    gradescope = json.loads((runs["late"] / "gradescope" / "late.json").read_text())
    line = [t for t in gradescope["tests"] if t["name"] == "Late penalty"]
    assert len(line) == 1 and line[0]["score"] == -20 and line[0]["max_score"] == 0
    assert gradescope["score"] == pytest.approx(raw - 20)
    assert sum(t.get("score", 0) for t in gradescope["tests"]) == pytest.approx(gradescope["score"])

    report = (runs["late"] / "report.html").read_text()
    section = report[report.index('<section id="late"'):report.index("</section>", report.index('<section id="late"'))]
    assert 'data-count="1"' in section and 'data-student="late" data-penalty="20.0"' in section
    assert 'data-student="nostamp"' in section and "no timestamp.txt" in section
    assert "1 late, 20 points taken" in runs["stdout"]


def test_a_changed_policy_recomputes_from_the_graded_score(runs, tmp_path):
    done = autograder("grade", runs["course"], "--out", runs["late"], "--quiet", "--due", DUE,
                      "--late-policy", "cap", "--late-cap", "50")
    results = json.loads((runs["late"] / "results.json").read_text())
    assert results["meta"]["graded_now"] == 0                          # reused, not regraded
    late = {r["student"]: r for r in results["students"]}["late"]
    assert late["score"] == 50 and late["late"]["raw_score"] > 50
    assert "late work scores at most 50 points" in (runs["late"] / "feedback" / "late.md").read_text()
    assert "1 late" in done.stdout


def test_file_times_only_where_asked(tmp_path):
    class_dir = tmp_path / "class"
    for student, days in (("ann", 0), ("bea", 3)):
        (class_dir / student).mkdir(parents=True)
        path = class_dir / student / "losses.py"
        path.write_text(student_module())
        when = datetime(2026, 3, 1, 12, tzinfo=timezone.utc).timestamp() + days * 86400
        os.utime(path, (when, when))
    out = tmp_path / "out"
    autograder("grade", class_dir, "--out", out, "--seed", "9", "--quiet", "--due", DUE,
               "--late-policy", "per-day", "--late-penalty", "5")
    _, rows = read_grades(out)
    assert rows["bea"]["late_penalty"] == "0" and rows["bea"]["submitted"] == ""     # not asked: unknown
    autograder("grade", class_dir, "--out", out, "--quiet", "--due", DUE, "--late-policy", "per-day",
               "--late-penalty", "5", "--submitted-time", "mtime")
    _, rows = read_grades(out)
    assert rows["ann"]["late_penalty"] == "0" and rows["bea"]["late_penalty"] == "15"
    assert rows["bea"]["score"] == "85"


def test_bad_late_options_exit_2(tmp_path):
    (tmp_path / "c" / "ann").mkdir(parents=True)
    (tmp_path / "c" / "ann" / "losses.py").write_text("x = 1\n")
    bad = autograder("grade", tmp_path / "c", "--out", tmp_path / "o", "--late-policy", "per-day", check=False)
    assert bad.returncode == 2 and "without --due" in bad.stderr
    bad = autograder("grade", tmp_path / "c", "--out", tmp_path / "o", "--due", "soon", check=False)
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
    assert not (tmp_path / "o" / "results.json").exists()
