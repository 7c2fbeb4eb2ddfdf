"""The safe scores in nbgrader's gradebook: ``autograder gradebook OUT_DIR
--course COURSE_DIR`` writes what ``autograder grade`` gave each student of an
nbgrader course into the course's ``gradebook.db``, through nbgrader's own
``Gradebook`` API, so that formgrader, ``nbgrader generate_feedback`` and
``nbgrader export`` show the scores of the sandboxed engine instead of the
in-kernel ones.

Where each number goes (``nbgrader.api``):

* a function's score is the ``Grade.auto_score`` of its graded cell, the
  test cell ``<function>_tests`` of the generated notebook (the answer cell,
  ``grade_id`` = the function's name, is a solution cell: nbgrader keeps no
  grade for it), or a graded cell named after the function itself;
* ``Grade.manual_score`` and ``Grade.extra_credit``, what an instructor sets
  in formgrader, are never written: nbgrader's ``Grade.score`` prefers the
  manual score, so an override stays in force through any regrade. When the
  autograded score under an override changes, the cell is flagged
  ``needs_manual_grade`` (as ``nbgrader autograde`` does), so formgrader
  lists it for review;
* the submission's ``timestamp`` is nbgrader's own reading of
  ``submitted/<student>/<assignment>/timestamp.txt``; a late penalty from
  ``autograder grade --due`` goes to ``SubmittedNotebook.late_submission_penalty``,
  which ``nbgrader export`` takes off the score, as it does its own;
* a student the gradebook does not know is added (``update_or_create_student``),
  as ``nbgrader autograde`` does.

The course must have been through ``nbgrader generate_assignment`` (that is
what puts the assignment, its notebook and its graded cells in the
gradebook); ``nbgrader autograde`` is not needed (it runs the student's code
unsandboxed in a kernel), but if it was run, its ``auto_score`` values are
replaced, and running it again afterwards puts the in-kernel scores back:
write the safe scores again after it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from autograder.classrun.records import ClassResults
from autograder.grading.rubric import ASSIGNMENT, FUNCTIONS, function_points


class GradebookError(ValueError):
    """The gradebook cannot take these results; the message says what to do."""


@dataclass
class WriteSummary:
    students: list[str] = field(default_factory=list)
    cells: int = 0
    changed: int = 0
    overrides_kept: list[tuple[str, str]] = field(default_factory=list)   # (student, cell)
    flagged: list[tuple[str, str]] = field(default_factory=list)          # override whose auto score changed
    added_students: list[str] = field(default_factory=list)
    late_penalties: dict[str, float] = field(default_factory=dict)


def course_settings(course_dir: Path):
    """nbgrader's ``CourseDirectory`` of a course (db_url, course_id, the
    submitted folder), configured from its ``nbgrader_config.py`` by
    nbgrader's own configuration classes."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader
    course_dir = Path(course_dir).resolve()
    if not course_dir.is_dir():
        raise GradebookError(f"the course folder {course_dir} does not exist: pass the folder that holds "
                             "nbgrader_config.py and gradebook.db (--course)")
    config = Config()
    if (course_dir / "nbgrader_config.py").exists():
        try:
            config = PyFileConfigLoader("nbgrader_config.py", path=str(course_dir)).load_config()
        except ConfigFileNotFound:
            config = Config()
        except Exception as exc:  # noqa: BLE001 - the instructor's config file may fail in any way
            raise GradebookError(f"{course_dir / 'nbgrader_config.py'} could not be loaded: "
                                 f"{type(exc).__name__}: {exc}") from None
    coursedir = CourseDirectory(config=config)
    coursedir.root = str(course_dir)
    return coursedir


def _timestamp(coursedir, student: str, assignment: str):
    folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
    try:
        return coursedir.get_existing_timestamp(str(folder)) if (folder / "timestamp.txt").is_file() else None
    except Exception:  # noqa: BLE001 - an unreadable timestamp is nbgrader's to report, not a reason to stop
        return None


def graded_cells(notebook) -> dict[str, Any]:
    """Function name -> its graded cell in the gradebook's notebook."""
    cells = {cell.name: cell for cell in notebook.grade_cells}
    found, missing = {}, []
    for function in FUNCTIONS:
        cell = cells.get(f"{function}_tests") or cells.get(function)
        if cell is None:
            missing.append(function)
        else:
            found[function] = cell
    if missing:
        raise GradebookError(
            f"the gradebook's notebook {notebook.name!r} has no graded cell for {', '.join(missing)} "
            f"(looked for '<function>_tests' and '<function>'): is it this assignment's notebook? "
            "Run `nbgrader generate_assignment` on the generated source notebook")
    points = function_points()
    wrong = [f"{f} ({cell.max_score:g} points, the rubric says {points[f]:g})"
             for f, cell in found.items() if abs(float(cell.max_score) - points[f]) > 1e-9]
    if wrong:
        raise GradebookError(f"the gradebook's points differ from the rubric for {', '.join(wrong)}: "
                             "regenerate the assignment (`autograder build`, then `nbgrader generate_assignment "
                             "--force`) so both come from the same rubric")
    return found


def read_results(out_dir: Path) -> ClassResults:
    """OUT_DIR/results.json, read back and checked (``ClassResults.from_json``)."""
    path = Path(out_dir) / "results.json"
    try:
        return ClassResults.from_json(json.loads(path.read_text()))
    except FileNotFoundError:
        raise GradebookError(f"{path} does not exist: run `autograder grade` with --out {out_dir} first") from None
    except (OSError, ValueError, RecursionError) as exc:
        raise GradebookError(f"{path} is not an autograder results.json ({exc})") from None


def write_scores(results: ClassResults, course_dir: Path, *, assignment: str | None = None,
                 notebook: str | None = None) -> WriteSummary:
    """Write every student's per-function scores (and late penalty) into the
    course's gradebook as autograded scores; manual scores are left alone."""
    from nbgrader.api import Gradebook, MissingEntry
    assignment = assignment or ASSIGNMENT
    course_dir = Path(course_dir).resolve()
    coursedir = course_settings(course_dir)
    db_url, course_id = coursedir.db_url, coursedir.course_id
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        raise GradebookError(f"no gradebook at {db_url[len('sqlite:///'):]}: run `nbgrader generate_assignment "
                             f"{assignment}` in {course_dir} first (it creates the gradebook and the assignment)")
    summary = WriteSummary()
    with Gradebook(db_url, course_id) as gb:
        try:
            master = gb.find_assignment(assignment)
        except MissingEntry:
            known = ", ".join(a.name for a in gb.assignments) or "none"
            raise GradebookError(f"the gradebook has no assignment {assignment!r} (it has: {known}): run "
                                 f"`nbgrader generate_assignment {assignment}` first, or pass --assignment") from None
        notebooks = {nb.name: nb for nb in master.notebooks}
        name = notebook or (assignment if assignment in notebooks else
                            next(iter(notebooks)) if len(notebooks) == 1 else None)
        if name not in notebooks:
            raise GradebookError(f"choose the notebook with --notebook: the assignment has "
                                 f"{', '.join(sorted(notebooks)) or 'no notebook'}")
        cells = graded_cells(notebooks[name])
        known_students = {s.id for s in gb.students}
        for record in results.students:
            student = record.student
            if student not in known_students:
                gb.update_or_create_student(student)
                summary.added_students.append(student)
            timestamp = _timestamp(coursedir, student, assignment)
            if timestamp is not None:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
            submitted = gb.find_submission_notebook(name, assignment, student)
            for function, cell in cells.items():
                score = float(record.functions[function].score)
                grade = gb.find_grade(cell.name, name, assignment, student)
                summary.cells += 1
                changed = grade.auto_score is None or abs(float(grade.auto_score) - score) > 1e-12
                summary.changed += changed
                if grade.manual_score is not None:
                    summary.overrides_kept.append((student, cell.name))
                    if changed and grade.auto_score is not None:
                        grade.needs_manual_grade = True      # the override was made on another score: review
                        summary.flagged.append((student, cell.name))
                else:
                    grade.needs_manual_grade = False
                grade.auto_score = score
            late = record.late
            if late:
                submitted.late_submission_penalty = float(late.penalty)
                summary.late_penalties[student] = float(late.penalty)
            gb.db.commit()
            summary.students.append(student)
    return summary
