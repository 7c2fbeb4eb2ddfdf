"""The files a grading run writes in OUT_DIR, each written atomically.

* ``grades.csv``: student,score,max_score,status,mistakes (and, when a due
  date was given, raw_score,late_penalty,submitted,hours_late: ``late``)
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
from collections.abc import Iterable, Iterator
from pathlib import Path

from autograder.classrun.errors import ErrorKind
from autograder.classrun.filenames import safe_stem
from autograder.classrun.records import ClassResults, StudentRecord
from autograder.classrun.state import atomic_write
from autograder.grading.sweeps import Curve

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A text cell that a spreadsheet will not run as a formula (OWASP CSV
    injection): one starting with = + - @, a tab or a carriage return gets a
    leading single quote."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def grades_csv(records: Iterable[StudentRecord]) -> str:
    """One row per student; the text cells (student, status, mistakes) are
    neutralised with ``csv_text``, the scores are numbers written as they are."""
    return _csv_text([_csv_cells(r) for r in records])


def _csv_cells(r: StudentRecord) -> tuple[list[str], list[str] | None]:
    """A student's cells of grades.csv, and its late-work cells if it has a late line."""
    row = [csv_text(r.student), f"{r.score:g}", f"{r.max_score:g}", csv_text(r.status.value),
           csv_text(";".join(r.mistakes()))]
    info = r.late
    if info is None:
        return row, None
    return row, [f"{info.raw_score:g}", f"{info.penalty:g}", info.submitted or "", f"{info.seconds_late / 3600:.2f}"]


def _csv_text(rows: list[tuple[list[str], list[str] | None]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    late = any(extra is not None for _, extra in rows)        # only when a due date was given
    writer.writerow(["student", "score", "max_score", "status", "mistakes"]
                    + ["raw_score", "late_penalty", "submitted", "hours_late"] * late)
    for row, extra in rows:
        writer.writerow(row + ((extra or [row[1], "0", "", "0.00"]) if late else []))
    return buffer.getvalue()


VISIBILITIES = ("visible", "after_due_date", "after_published", "hidden")
PREVIEWS = ("none", "status", "feedback")
_WHEN = {"after_due_date": "after the due date", "after_published": "once the grades are published",
         "hidden": "by your instructor only"}


def gradescope_json(record: StudentRecord, *, visibility: str = "visible", preview: str = "status",
                    execution_time: float | None = None, feedback_md: str | None = None) -> dict:
    """Gradescope's autograder results format for one student
    (https://gradescope-autograders.readthedocs.io/en/latest/specs/).

    Every hidden check is one test (name, score, max_score, ``status``
    passed/failed, its feedback as plain ``text``, the mistake ids in
    ``tags``) with the given ``visibility``. While that is ``visible`` the
    top-level ``output`` is the student's feedback page (markdown). Otherwise
    the student sees, until the checks become visible, only what ``preview``
    allows: ``none`` (that the submission was graded), ``status`` (each check
    passed or failed, no points), ``feedback`` (and the failed checks' feedback
    text, no points). Those preview tests carry no score, so the total is the
    top-level ``score`` alone. A submission that could not be graded always
    says why and what to do (its kind's advice): the reason is about the
    student's file, not about a check."""
    if visibility not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {', '.join(VISIBILITIES)}, not {visibility!r}")
    if preview not in PREVIEWS:
        raise ValueError(f"preview must be one of {', '.join(PREVIEWS)}, not {preview!r}")
    graded = record.graded
    tests = [{"name": t.name, "score": t.score, "max_score": t.max_score,
              "status": "passed" if t.passed else "failed",
              "output": t.feedback, "output_format": "text", "visibility": visibility,
              "tags": list(t.mistakes)}
             for t in record.tests]
    if visibility == "visible":
        from autograder.report.feedback import render_feedback_md
        output = feedback_md if feedback_md is not None else render_feedback_md(record)
    else:
        output = _preview_output(record, visibility, preview)
        if graded and preview != "none":
            tests += [{"name": f"{t['name']} (preview)", "status": t["status"],
                       "output": t["output"] if preview == "feedback" else "",
                       "output_format": "text", "visibility": "visible"}
                      for t in tests]
    from autograder.course.late import gradescope_test
    penalty = gradescope_test(record)
    if penalty is not None:
        tests.append(penalty)
    result = {"score": record.score, "output": output, "output_format": "md",
              "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
    if execution_time is not None:
        result["execution_time"] = max(0, round(execution_time))
    return result


def _preview_output(record: StudentRecord, visibility: str, preview: str) -> str:
    """The top-level output while the checks are not visible to the student."""
    when = _WHEN[visibility]
    if not record.graded:
        return (f"**Your submission could not be graded:** {record.error}\n\n"
                f"**What to do:** {(record.error_kind or ErrorKind.UNKNOWN).advice}\n\n"
                f"Every check counts as zero until it can be run. Details are shown {when}.")
    lines = [f"Your submission was graded on the hidden checks. Points and details are shown {when}."]
    if preview == "none":
        return lines[0]
    failed = [t for t in record.tests if not t.passed]
    lines.append(f"\n**{len(record.tests) - len(failed)} of {len(record.tests)} checks passed.**")
    if failed:
        functions = list(dict.fromkeys(t.function for t in failed))
        lines.append("\nFunctions with a failing check: " + ", ".join(f"`{f}`" for f in functions) + ".")
    if preview == "feedback" and failed:
        lines.append("\n## What failed\n")
        lines += [f"- `{t.function}`: {t.feedback}" for t in failed]
    return "\n".join(lines)


def feedback_link(student: str) -> str:
    """The class report's relative link to ``student``'s feedback page."""
    return f"feedback/{safe_stem(student)}.html"


class FeedbackLinks(dict):
    """Every student's feedback link, computed when asked for, so that a
    large class needs no table of them."""

    def __missing__(self, student: str) -> str:
        return feedback_link(student)

    def get(self, student, default=None):
        return self[student]


def student_files(out_dir: Path, student: str) -> list[Path]:
    stem = safe_stem(student)
    return [out_dir / "feedback" / f"{stem}.md", out_dir / "feedback" / f"{stem}.html",
            out_dir / "gradescope" / f"{stem}.json"]


def student_files_exist(out_dir: Path, student: str) -> bool:
    return all(path.exists() for path in student_files(out_dir, student))


def prepare_renderer(plot_cache: Path | None) -> None:
    """A renderer process's set-up: the folder of plots it shares with the
    other renderers."""
    from autograder.report import plots
    plots.use_cache_dir(plot_cache)


def write_student_files(out_dir: Path, record: StudentRecord, curves: dict[str, Curve]) -> None:
    from autograder.course.late import feedback_html, feedback_md
    from autograder.report.feedback import render_feedback_html, render_feedback_md
    md, html, gradescope = student_files(out_dir, record.student)
    page = feedback_md(render_feedback_md(record), record)
    # Not fsynced one by one (``atomic_write``): only a crash of the machine can tear one; --force rewrites them.
    atomic_write(md, page, durable=False)
    atomic_write(html, feedback_html(render_feedback_html(record, curves), record), durable=False)
    atomic_write(gradescope, json.dumps(gradescope_json(record, feedback_md=page)), durable=False)


def results_json_chunks(head: dict, records: Iterable[StudentRecord]) -> Iterator[str]:
    """results.json with one student's record per line, piece by piece (the
    records may be read from disk one at a time: ``engine.ClassRun.rows``):
    as readable as an indented file for a class, and written by json's C
    encoder (indenting falls back to the pure-Python one, about three times
    slower)."""
    head_text = json.dumps(head)
    yield head_text[:-1] + (", " if head_text != "{}" else "") + '"students": ['
    for i, record in enumerate(records):
        yield ("\n" if i == 0 else ",\n") + json.dumps(record.to_json())
    yield "\n]}\n"


def results_json(results: ClassResults) -> str:
    return "".join(results_json_chunks(results.head_json(), results.students))


def write_results_json(out_dir: Path, head: dict, records: Iterable[StudentRecord]) -> None:
    atomic_write(out_dir / "results.json", results_json_chunks(head, records))


def write_class_files(out_dir: Path, results: ClassResults, with_report: bool = True) -> Path | None:
    """results.json, and with ``with_report`` grades.csv and report.html
    (whose path it returns), of a class whose records are all held."""
    if with_report:
        atomic_write(out_dir / "grades.csv", grades_csv(results.students))
    write_results_json(out_dir, results.head_json(), results.students)
    return _write_report(out_dir, results) if with_report else None


def write_streamed_class_files(out_dir: Path, results: ClassResults, records: Iterable[StudentRecord],
                               with_report: bool = True) -> Path | None:
    """The same files for a class too large to hold: results.json is written
    while ``records`` are read (one at a time, from the run's state), the
    report's counts and grades.csv's rows (a short line each) are taken on
    the way, and no record is kept. ``results.tally`` is set."""
    from autograder.report.class_report import Tally
    tally, rows = Tally(), []

    def counted() -> Iterator[StudentRecord]:
        for record in records:
            tally.add(record, feedback_link(record.student))
            rows.append(_csv_cells(record))
            yield record
    write_results_json(out_dir, results.head_json(), counted())
    results.tally = tally
    if not with_report:
        return None
    atomic_write(out_dir / "grades.csv", _csv_text(rows))
    return _write_report(out_dir, results)


def _write_report(out_dir: Path, results: ClassResults) -> Path:
    from autograder.report.class_report import render_class_report
    report = out_dir / "report.html"
    links = FeedbackLinks()
    atomic_write(report, render_class_report(results, feedback_links=links))
    return report
