"""The class report of a large class stays light: above ROSTER_ROWS students
the roster lists the lowest scores and the submissions in error, not every
student, the counts still cover the whole class, and the page opens in the
headless browser the report tests use. (Its speed is measured by
benchmarks/bench_grading.py --scale, not here.)"""
from __future__ import annotations

import copy
import json

import pytest
from test_reports import check_page, graded_class, load_problems, open_in_browser

from autograder.classrun.outputs import results_json
from autograder.classrun.records import ClassResults
from autograder.report import render_class_report
from autograder.report.class_report import ROSTER_ROWS

N = 2 * ROSTER_ROWS + 137


@pytest.fixture(scope="module")
def large():
    _, results, _ = graded_class()
    records = []
    for i in range(N):
        record = copy.deepcopy(results["students"][i % len(results["students"])])
        record["student"] = f"s{i:05d}"
        if record["status"] == "graded":
            record["score"] = float(i % 101)          # every score, so the lowest are known
        records.append(record)
    return dict(results, students=records)


def test_a_large_roster_is_aggregated(large, tmp_path):
    html = render_class_report(ClassResults.from_json(large))
    page = check_page(html)
    errors = [r for r in large["students"] if r["status"] != "graded"]
    graded = sorted((r for r in large["students"] if r["status"] == "graded"), key=lambda r: (r["score"], r["student"]))
    rows = page.all("tr", data_student=True)
    assert len(rows) == ROSTER_ROWS + len(errors)
    shown = {r["data-student"] for r in rows}
    assert {r["student"] for r in graded[:ROSTER_ROWS]} <= shown and {r["student"] for r in errors} <= shown
    assert graded[-1]["student"] not in shown                     # a top score is left to grades.csv
    section = page.all("section", id="roster")[0]
    assert int(section["data-count"]) == N and int(section["data-rows"]) == len(rows)
    assert f"A class of {N}" in page.plain and "grades.csv" in page.plain
    stats = {a["data-stat"]: a for a in page.all(data_stat=True)}
    assert int(stats["total"]["data-count"]) == N                 # the counts cover everyone

    small = render_class_report(ClassResults.from_json(dict(large, students=large["students"][:ROSTER_ROWS])))
    assert len(check_page(small).all("tr", data_student=True)) == ROSTER_ROWS and "A class of" not in small

    path = tmp_path / "report.html"
    path.write_text(html, encoding="utf-8")
    log = open_in_browser(path, tmp_path / "report.png", 2000)
    assert not load_problems(log), load_problems(log)


def test_results_json_has_one_record_per_line(large):
    text = results_json(ClassResults.from_json(large))
    assert json.loads(text) == large
    lines = text.splitlines()
    assert len(lines) == N + 2 and json.loads(lines[1].rstrip(","))["student"] == "s00000"


def test_a_tally_keeps_only_the_roster_it_can_show(large, monkeypatch):
    """Fed one record at a time, the tally keeps a bounded roster (the lowest
    graded and every error) and shows the same rows as one that kept all."""
    from autograder.report import class_report
    monkeypatch.setattr(class_report, "ROSTER_ROWS", 7)
    records = ClassResults.from_json(large).students
    tally = class_report.Tally()
    for record in records:
        tally.add(record)
        errors = sum(r.status.value != "graded" for r in records[:tally.total])
        assert len(tally.roster) <= 4 * 7 + errors
    everyone = [{"student": r.student, "status": r.status.value, "score": r.score, "max_score": r.max_score,
                 "mistakes": r.mistakes(), "link": None} for r in records]
    kept = class_report._roster(tally)
    assert kept["roster_total"] == len(records) and kept["roster_cut"]
    order = (lambda r: (r["status"] != "graded", -float(r["score"]), r["student"]))
    assert kept["roster"] == sorted(class_report._bounded_roster(everyone), key=order)
