"""Grade one submission: a ``losses.py`` or a filled-in notebook, whatever its
file name, or a folder holding one (Gradescope's ``/autograder/submission``).

There is no second grader here. The file is placed in a private, temporary
one-student class folder and graded by ``engine.grade_class`` with a fixed
seed, exactly as ``autograder grade`` grades a class; the one student's
record, feedback page and run metadata are then copied out:

* ``OUT_DIR/results.json``: Gradescope's results format (``outputs.gradescope_json``)
* ``OUT_DIR/feedback.md``, ``feedback.html``: the student's feedback page
* ``OUT_DIR/grading.json``: what ``autograder grade`` writes as results.json
  (the record, and the run's seed, isolation and protections): for the
  instructor, never shown to the student

The temporary class and output folders are hidden from the sandbox like any
class's; the submission folder itself is only read.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.classrun import outputs
from autograder.classrun.filenames import safe_stem
from autograder.classrun.records import StudentRecord
from autograder.classrun.state import atomic_write
from autograder.classrun.submissions import MAX_SOURCE_BYTES
from autograder.grading.rubric import ASSIGNMENT
from autograder.sandbox import PACKAGE, Limits

SUFFIXES = (".py", ".ipynb")
SKIPPED = {"__pycache__", ".ipynb_checkpoints", "__MACOSX"}
MAX_DEPTH = 3


@dataclass
class SingleOptions:
    submission: Path           # a file, or a folder holding the submission
    out_dir: Path
    seed: int
    limits: Limits
    visibility: str = "visible"
    preview: str = "status"
    require_sandbox: bool = False
    student: str = "submission"


def find_submission(folder: Path) -> Path | None:
    """The file to grade in a folder: the one ``autograder grade`` would pick
    from a student's folder (``losses.py``, the assignment's notebook, else the
    only ``.py``, else the only ``.ipynb``), looked for at the top first and
    then in sub-folders (a zip uploaded to Gradescope keeps its folders).
    Nothing here follows a symbolic link; a link or a FIFO is returned as it
    is, and the engine refuses it with its reason."""
    level = [folder]
    for _ in range(MAX_DEPTH):
        files, below = [], []
        for parent in level:
            try:
                entries = sorted(os.scandir(parent), key=lambda e: e.name)
            except OSError:
                continue
            for e in entries:
                if e.name.startswith(".") or e.name in SKIPPED:
                    continue
                if e.is_dir(follow_symlinks=False):
                    below.append(Path(e.path))
                elif Path(e.name).suffix in SUFFIXES:
                    files.append(Path(e.path))
        picked = _pick(files)
        if picked is not None:
            return picked
        level = below
    return None


def _pick(files: list[Path]) -> Path | None:
    by_name: dict[str, list[Path]] = {}
    for p in files:
        by_name.setdefault(p.name, []).append(p)
    for preferred in ("losses.py", f"{ASSIGNMENT}.ipynb"):
        if len(by_name.get(preferred, [])) == 1:
            return by_name[preferred][0]
    for suffix in SUFFIXES:
        matching = [p for p in files if p.suffix == suffix]
        if len(matching) == 1:
            return matching[0]
    return None


def place(source: Path, target_folder: Path) -> None:
    """Put ``source`` into the one-student folder as the engine would find it
    in a class: a regular file is copied (at most one byte over the engine's
    size limit, so the engine still refuses a file that is too large), a
    symbolic link stays a link and a FIFO a FIFO (the engine refuses both,
    with their reason), without ever opening what a link points to."""
    target = target_folder / source.name
    mode = os.lstat(source).st_mode
    if stat.S_ISLNK(mode):
        os.symlink(os.readlink(source), target)
    elif stat.S_ISFIFO(mode):
        os.mkfifo(target)
    elif stat.S_ISREG(mode):
        fd = os.open(source, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            target.write_bytes(fh.read(MAX_SOURCE_BYTES + 1))
    # anything else (a device, a socket) is left out: "no losses.py or notebook found"


def grade_one(options: SingleOptions) -> dict:
    """Grade one submission; returns Gradescope's results (also written to
    ``OUT_DIR/results.json``). Raises FileNotFoundError when the submission
    path does not exist (a usage error, not the student's)."""
    from autograder.classrun.engine import GradeOptions, grade_class
    started = time.monotonic()
    submission = Path(options.submission)
    if not os.path.lexists(submission):
        raise FileNotFoundError(f"{submission} does not exist")
    out_dir = Path(options.out_dir)
    with tempfile.TemporaryDirectory(prefix="autograder-one-") as scratch:
        scratch_dir = Path(scratch)
        os.chmod(scratch_dir, 0o700)
        student_dir = scratch_dir / "class" / options.student
        student_dir.mkdir(parents=True)
        is_folder = submission.is_dir() and not submission.is_symlink()
        found = find_submission(submission) if is_folder else submission
        if found is not None:
            place(found, student_dir)
        work = scratch_dir / "graded"
        results = grade_class(GradeOptions(scratch_dir / "class", work, jobs=1, limits=options.limits,
                                           force=True, require_sandbox=options.require_sandbox,
                                           seed=options.seed, progress=False, class_report=False))
        record = results.students[0]
        if not outputs.student_files_exist(work, record.student):
            # a row the engine did not save (the sandbox failed, not the student): same renderer
            outputs.write_student_files(work, record, {})
        stem = safe_stem(record.student)
        page_md = (work / "feedback" / f"{stem}.md").read_text(encoding="utf-8")
        page_html = (work / "feedback" / f"{stem}.html").read_text(encoding="utf-8")
    results.meta.pop("report", None)          # a temporary file, gone now
    results.meta["submission"] = found.name if found is not None else None
    results.meta["grader_package"] = str(PACKAGE)      # which copy of the grader graded it
    gradescope = outputs.gradescope_json(record, visibility=options.visibility, preview=options.preview,
                                         execution_time=time.monotonic() - started, feedback_md=page_md)
    atomic_write(out_dir / "feedback.md", page_md)
    atomic_write(out_dir / "feedback.html", page_html)
    atomic_write(out_dir / "grading.json", json.dumps(results.to_json(), indent=1))
    atomic_write(out_dir / "results.json", json.dumps(gradescope, indent=1))
    return gradescope


def grader_failed(record: StudentRecord) -> bool:
    """The row is an error of the grader, not of the submission (its kind:
    ``errors.GRADER_FAULTS``)."""
    return record.error_kind is not None and record.error_kind.grader_fault
