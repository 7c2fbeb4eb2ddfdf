"""Grades for an LMS: ``autograder lms-export OUT_DIR --roster ROSTER.csv``
writes a CSV that Canvas's gradebook import takes (Grades > Import), built
from the run's ``results.json`` and a roster the instructor gives.

The roster is Canvas's own gradebook export (Grades > Export), or any CSV
with a ``Student`` column (the name) and at least one of ``ID`` (Canvas's
user id), ``SIS User ID`` or ``SIS Login ID``; ``Section`` is copied when
there. Canvas's "Points Possible" row, if the roster has one, is skipped.
A graded student is matched to a roster row by the id column whose values
match the most student ids of the run (``--match`` names it instead): the
folder names of a per-student class or nbgrader course, the Canvas user ids
of a Canvas download.

The export has Canvas's columns, in Canvas's order: ``Student``, ``ID``,
``SIS User ID``, ``SIS Login ID``, ``Section`` and one assignment column
(``--assignment``; Canvas matches an existing assignment by the
``Name (assignment id)`` header of its own export, and makes a new
assignment of a header it does not know), then Canvas's "Points Possible"
row. The score is the one in grades.csv (after any late penalty); a submission
that could not be graded scores 0, as in grades.csv; a roster student with no
submission gets an empty cell (Canvas leaves an empty cell's grade as it is)
unless ``--missing zero``. Text cells are neutralised against spreadsheet
formulas as in grades.csv.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from autograder.classrun.outputs import csv_text
from autograder.classrun.records import ClassResults

CANVAS_COLUMNS = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
ID_COLUMNS = ("ID", "SIS User ID", "SIS Login ID")
POINTS_POSSIBLE = "Points Possible"


class LmsError(ValueError):
    """A roster or export that cannot be used; the message says what to do."""


@dataclass
class Export:
    text: str
    matched_by: str
    written: int = 0
    missing: list[str] = field(default_factory=list)          # roster names with no submission
    not_in_roster: list[str] = field(default_factory=list)    # graded student ids with no roster row


def read_roster(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The roster's rows (Canvas's column names, whatever their case) and the
    id columns it has."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise LmsError(f"the roster {path} does not exist: export it from the LMS (Canvas: Grades > Export) "
                       "or write a CSV with Student, ID, SIS User ID, SIS Login ID, Section") from None
    except OSError as exc:
        raise LmsError(f"could not read the roster {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LmsError(f"the roster {path} is not UTF-8 text: save it as CSV UTF-8") from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames:
        raise LmsError(f"the roster {path} is empty: it needs a header row (Student, ID, ...)")
    canonical = {c.lower(): c for c in CANVAS_COLUMNS}
    rename = {name: canonical[name.strip().lower()] for name in reader.fieldnames
              if name and name.strip().lower() in canonical}
    if "Student" not in rename.values():
        raise LmsError(f"the roster {path} has no 'Student' column (its columns: {', '.join(reader.fieldnames)}): "
                       "the LMS's gradebook export has it")
    ids = [c for c in ID_COLUMNS if c in rename.values()]
    if not ids:
        raise LmsError(f"the roster {path} has no id column: it needs one of {', '.join(ID_COLUMNS)} "
                       f"(its columns: {', '.join(reader.fieldnames)})")
    rows = []
    for row in reader:
        clean = {rename[k]: (v or "").strip() for k, v in row.items() if k in rename}
        if not clean.get("Student") or clean["Student"] == POINTS_POSSIBLE:
            continue
        rows.append(clean)
    if not rows:
        raise LmsError(f"the roster {path} lists no student")
    return rows, ids


def _match_column(rows: list[dict], ids: list[str], students: set[str], match: str | None) -> str:
    if match is not None:
        if match not in ids:
            raise LmsError(f"--match {match!r}: the roster's id columns are {', '.join(ids)}")
        return match
    counts = {c: len(students & {r.get(c, "") for r in rows}) for c in ids}
    best = max(ids, key=lambda c: counts[c])       # ties: Canvas's ID first
    if students and counts[best] == 0:
        some = ", ".join(sorted(students)[:3])
        raise LmsError(f"no graded student id ({some}, ...) is in the roster's {', '.join(ids)} columns: "
                       "grade folders named by the LMS's ids, or pass --match COLUMN")
    return best


def canvas_csv(results: ClassResults, rows: list[dict], ids: list[str], assignment: str, *,
               match: str | None = None, missing: str = "blank") -> Export:
    """Canvas's gradebook import CSV for ``results`` and the roster ``rows``."""
    if missing not in ("blank", "zero"):
        raise LmsError("--missing must be blank or zero")
    if not assignment.strip():
        raise LmsError("--assignment cannot be empty: it is the assignment column's header")
    records = {r.student: r for r in results.students}
    column = _match_column(rows, ids, set(records), match)
    seen: dict[str, int] = {}
    for row in rows:
        key = row.get(column, "")
        if key:
            seen[key] = seen.get(key, 0) + 1
    doubled = sorted(k for k, n in seen.items() if n > 1 and k in records)
    if doubled:
        raise LmsError(f"the roster's {column!r} column holds {', '.join(doubled)} more than once: "
                       "fix the roster or pass --match with another column")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CANVAS_COLUMNS, assignment])
    writer.writerow([POINTS_POSSIBLE, "", "", "", "", f"{results.max_score:g}"])
    export = Export("", column)
    for row in rows:
        record = records.get(row.get(column, ""))
        if record is None:
            export.missing.append(row["Student"])
            score = "0" if missing == "zero" else ""
        else:
            score = f"{record.score:g}"
            export.written += 1
        writer.writerow([csv_text(row.get(c, "")) for c in CANVAS_COLUMNS] + [score])
    in_roster = {row.get(column, "") for row in rows}
    export.not_in_roster = sorted(s for s in records if s not in in_roster)
    export.text = buffer.getvalue()
    return export
