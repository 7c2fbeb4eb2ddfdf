"""Find the submissions in a class folder and read each one's source.

Accepted layouts:

* ``CLASS_DIR/<student>/losses.py`` (or any single ``.py``), or a notebook
  ``CLASS_DIR/<student>/*.ipynb``;
* nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass the
  ``submitted`` folder, or the course folder that holds it).

Nothing here executes student code, and the class folder is only read.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .rubric import ASSIGNMENT

MAX_SOURCE_BYTES = 2 * 1024 * 1024


class SubmissionError(ValueError):
    """The submission cannot be graded; the message is the one-line reason."""


@dataclass(frozen=True)
class Submission:
    student: str
    folder: Path
    file: Path | None          # None: nothing gradable was found

    @property
    def kind(self) -> str:
        if self.file is None:
            return "missing"
        return "notebook" if self.file.suffix == ".ipynb" else "python"

    def fingerprint(self) -> str:
        """Identifies the submitted content (for resuming a run)."""
        digest = hashlib.sha256(self.student.encode())
        if self.file is not None and self.file.is_file():
            digest.update(self.file.name.encode())
            digest.update(self.file.read_bytes()[:MAX_SOURCE_BYTES + 1])
        return digest.hexdigest()

    def read_source(self) -> str:
        """The Python source to grade, or SubmissionError with the reason."""
        if self.file is None:
            raise SubmissionError(f"no losses.py or notebook (.ipynb) found in {self.folder.name}/")
        try:
            data = self.file.read_bytes()
        except OSError as exc:
            raise SubmissionError(f"could not read {self.file.name}: {exc.strerror}") from None
        if len(data) > MAX_SOURCE_BYTES:
            raise SubmissionError(f"{self.file.name} is larger than {MAX_SOURCE_BYTES // 1024} KiB")
        if self.kind == "notebook":
            from .notebooks import NotebookError, extract_student_code
            try:
                return extract_student_code(self.file)
            except NotebookError as exc:
                raise SubmissionError(f"{self.file.name}: {exc}") from None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError(f"{self.file.name} is not UTF-8 text (byte {exc.start})") from None


def class_root(class_dir: Path) -> Path:
    if not class_dir.is_dir():
        raise FileNotFoundError(f"class folder {class_dir} does not exist (expected one sub-folder per student)")
    nested = class_dir / "submitted"
    return nested if nested.is_dir() else class_dir


def _pick_file(folder: Path) -> Path | None:
    """The file to grade in one student's folder."""
    assignment = folder / ASSIGNMENT
    if assignment.is_dir():                     # nbgrader: submitted/<student>/<assignment>/
        folder = assignment
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    by_name = {p.name: p for p in files}
    for preferred in ("losses.py", f"{ASSIGNMENT}.ipynb"):
        if preferred in by_name:
            return by_name[preferred]
    for suffix in (".py", ".ipynb"):
        matching = [p for p in files if p.suffix == suffix]
        if len(matching) == 1:
            return matching[0]
    return None


def discover(class_dir: Path) -> list[Submission]:
    root = class_root(Path(class_dir))
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        found.append(Submission(folder.name, folder, _pick_file(folder)))
    return found


def syntax_check(source: str) -> None:
    """Compile (never run) the source; a syntax error becomes the row's reason."""
    try:
        compile(source, "losses.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise SubmissionError(f"syntax error at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise SubmissionError(f"the source cannot be compiled: {type(exc).__name__}") from None
