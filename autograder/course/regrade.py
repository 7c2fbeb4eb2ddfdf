"""Regrading named students (``autograder grade ... --student ID``) in an
existing output folder.

Only the named students are graded; every other student keeps the row the
output folder already has (from its ``results.json``), and the class files
(grades.csv, results.json, the report) are rebuilt from them all. Whether a
named student needs grading again is decided as on any resumed run
(``state.RunState.load``): by the SHA-256 of the submitted file's bytes, the
probe seed and the grader's version, never by a file time, so touching a
file regrades nothing and a resubmission with new content is always
regraded (``--force`` regrades the named students even when unchanged).
"""
from __future__ import annotations

import json
from pathlib import Path

from autograder.classrun.records import ClassResults, StudentRecord
from autograder.classrun.submissions import Submission


class RegradeError(ValueError):
    """A regrade that cannot run as asked; the message says what to do."""


def kept_records(out_dir: Path, submissions: list[Submission], students: set[str],
                 seed: int | None) -> dict[str, StudentRecord]:
    """The previous rows of the students not named, from ``OUT_DIR/results.json``."""
    results_path = Path(out_dir) / "results.json"
    known = {s.student for s in submissions}
    unknown = sorted(set(students) - known)
    if unknown:
        shown = ", ".join(sorted(known)[:10]) + (", ..." if len(known) > 10 else "")
        raise RegradeError(f"--student {', '.join(unknown)}: no submission with that id in the class folder "
                           f"(the ids are the folder names, or the LMS user ids; found: {shown})")
    try:
        previous = ClassResults.from_json(json.loads(results_path.read_text()))
        rows = {r.student: r for r in previous.students}
        recorded_seed = previous.meta["seed"]
    except FileNotFoundError:
        raise RegradeError(f"--student regrades students in an existing output folder, but {results_path} "
                           "does not exist: grade the whole class into it first (without --student)") from None
    except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise RegradeError(f"{results_path} cannot be read ({exc}): grade the whole class again "
                           "(without --student)") from None
    if seed is not None and seed != recorded_seed:
        raise RegradeError(f"--seed {seed} differs from the seed {recorded_seed} the other students were graded "
                           f"with: drop --seed to regrade with {recorded_seed}, or regrade the whole class")
    return {student: row for student, row in rows.items() if student in known and student not in students}
