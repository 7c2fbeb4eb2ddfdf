"""The files a grading run writes in OUT_DIR, each written atomically.

* ``grades.csv``: student,score,max_score,status,mistakes
* ``results.json``: every student's record (see ``records``) and the run's metadata
* ``feedback/<student>.md`` and ``.html``: what the student sees
* ``gradescope/<student>.json``: Gradescope's results.json format
* ``report.html``: the class report

``<student>`` is ``filenames.safe_stem(student)``: the id itself for ordinary
ids, a slug and a hash for long or unusual ones.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from .filenames import safe_stem
from .records import mistakes_of
from .report.feedback import render_feedback_html, render_feedback_md
from .state import atomic_write


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (OWASP CSV
    injection): one starting with = + - @, a tab or a carriage return gets a
    leading single quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def grades_csv(records: list[dict]) -> str:
    """One row per student; the text cells (student, status, mistakes) are
    neutralised with ``csv_text``, the scores are numbers written as they are."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "score", "max_score", "status", "mistakes"])
    for r in records:
        writer.writerow([csv_text(r["student"]), f"{r['score']:g}", f"{r['max_score']:g}", csv_text(r["status"]),
                         csv_text(";".join(mistakes_of(r)))])
    return buffer.getvalue()


def gradescope_json(record: dict) -> dict:
    """Gradescope's autograder results format for one student."""
    tests = [{"name": t["name"], "score": t["score"], "max_score": t["max_score"],
              "output": t["feedback"], "visibility": "visible", "tags": list(t["mistakes"])}
             for t in record["tests"]]
    result = {"score": record["score"], "tests": tests, "visibility": "visible",
              "stdout_visibility": "hidden"}
    if record["status"] == "error":
        result["output"] = f"Your submission could not be graded: {record['error']}"
    else:
        named = mistakes_of(record)
        result["output"] = (f"Score {record['score']:g}/{record['max_score']:g}."
                            + (f" Mistakes found: {', '.join(named)}." if named else ""))
    return result


def feedback_link(student: str) -> str:
    """The class report's relative link to ``student``'s feedback page."""
    return f"feedback/{safe_stem(student)}.html"


def student_files(out_dir: Path, student: str) -> list[Path]:
    stem = safe_stem(student)
    return [out_dir / "feedback" / f"{stem}.md", out_dir / "feedback" / f"{stem}.html",
            out_dir / "gradescope" / f"{stem}.json"]


def student_files_exist(out_dir: Path, student: str) -> bool:
    return all(path.exists() for path in student_files(out_dir, student))


def write_student_files(out_dir: Path, record: dict, curves: dict) -> None:
    md, html, gradescope = student_files(out_dir, record["student"])
    atomic_write(md, render_feedback_md(record))
    atomic_write(html, render_feedback_html(record, curves))
    atomic_write(gradescope, json.dumps(gradescope_json(record), indent=1))


def write_class_files(out_dir: Path, results: dict) -> Path:
    from .report.class_report import render_class_report
    atomic_write(out_dir / "grades.csv", grades_csv(results["students"]))
    atomic_write(out_dir / "results.json", json.dumps(results, indent=1))
    report = out_dir / "report.html"
    links = {r["student"]: feedback_link(r["student"]) for r in results["students"]}
    atomic_write(report, render_class_report(results, feedback_links=links))
    return report
