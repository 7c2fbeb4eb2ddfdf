"""Find the submissions in a class folder and read each one's source.

Accepted layouts:

* ``CLASS_DIR/<student>/losses.py`` (or any single ``.py``), or a notebook
  ``CLASS_DIR/<student>/*.ipynb``;
* nbgrader's ``submitted/<student>/<assignment>/<notebook>.ipynb`` (pass the
  ``submitted`` folder, or the course folder that holds it);
* a class downloaded from an LMS as one flat folder of files named after the
  student, Canvas's ``<name>_[LATE_]<user id>_<submission id>_<file>`` (the
  student id is the Canvas user id), or the same download as a ``.zip`` (read
  in memory, never unpacked; a zip of per-student folders works too).

Nothing here executes student code, and the class folder is only read.
Nothing here follows a symbolic link either: a student folder, an nbgrader
assignment folder or a submitted file that is a link, or a submitted file that
is not a regular file (a FIFO, a device), is refused with a one-line reason
and its kind (``errors.ErrorKind``) that become the student's error row. The file is read through a descriptor
opened component by component with ``O_NOFOLLOW`` (and ``O_NONBLOCK``, so a
FIFO cannot stall the grader), so a folder swapped for a link after discovery
is refused too.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from autograder.classrun.errors import ErrorKind
from autograder.grading.rubric import ASSIGNMENT

MAX_SOURCE_BYTES = 2 * 1024 * 1024
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_O_NOCTTY = getattr(os, "O_NOCTTY", 0)


class SubmissionError(ValueError):
    """The submission cannot be graded: the message is the one-line reason,
    ``kind`` what the student or the instructor can act on."""

    def __init__(self, reason: str, kind: ErrorKind):
        super().__init__(reason)
        self.kind = kind

    def __reduce__(self):
        return type(self), (str(self), self.kind)


def _file_type(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISLNK, "a symbolic link"),
                       (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _read_no_follow(root: Path, parts: tuple[str, ...], limit: int) -> bytes:
    """At most ``limit`` bytes of the regular file ``root/parts...``, opened one
    component at a time from ``root`` without following any symbolic link
    (``O_NOFOLLOW``) and without blocking on a FIFO or device (``O_NONBLOCK``,
    then ``fstat``). Raises SubmissionError with a one-line reason."""
    *folders, name = parts
    shown = _shown(parts)
    try:
        dir_fd = os.open(root, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    except OSError as exc:
        raise SubmissionError(f"could not open the class folder: {exc.strerror}", ErrorKind.UNREADABLE) from None
    try:
        for i, folder in enumerate(folders):
            try:
                next_fd = os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_NOFOLLOW | _O_CLOEXEC, dir_fd=dir_fd)
            except OSError as exc:
                raise _refusal(_shown(parts[:i + 1]), exc, dir_fd, folder, "folder") from None
            os.close(dir_fd)
            dir_fd = next_fd
        try:
            fd = os.open(name, os.O_RDONLY | _O_NOFOLLOW | _O_NONBLOCK | _O_NOCTTY | _O_CLOEXEC, dir_fd=dir_fd)
        except OSError as exc:
            raise _refusal(shown, exc, dir_fd, name, "file") from None
    finally:
        os.close(dir_fd)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise SubmissionError(f"{shown} is {_file_type(mode)}, not a regular file: submit the file itself",
                                  ErrorKind.NOT_A_FILE)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise SubmissionError(f"could not read {shown}: {exc.strerror}", ErrorKind.UNREADABLE) from None
    finally:
        os.close(fd)


def _shown(parts) -> str:
    """How a reason names ``root/parts...``: relative to the student's folder."""
    return "the student folder" if len(parts) == 1 else "/".join(parts[1:])


def _refusal(shown: str, exc: OSError, dir_fd: int, name: str, what: str) -> SubmissionError:
    """Why an ``O_NOFOLLOW`` open of ``name`` failed."""
    try:
        mode = os.lstat(name, dir_fd=dir_fd).st_mode
    except OSError:
        mode = None
    if (mode is not None and stat.S_ISLNK(mode)) or exc.errno == errno.ELOOP:
        return SubmissionError(f"{shown} is a symbolic link; links are not graded: submit the {what} itself",
                               ErrorKind.SYMLINK)
    if exc.errno == errno.ENOTDIR and mode is not None:
        return SubmissionError(f"{shown} is {_file_type(mode)}, not a folder", ErrorKind.NOT_A_FILE)
    return SubmissionError(f"could not read {shown}: {exc.strerror}", ErrorKind.UNREADABLE)


@dataclass(frozen=True)
class Submission:
    student: str
    folder: Path
    file: Path | None          # None: nothing gradable was found
    problem: SubmissionError | None = None  # set when the folder itself is refused (a symbolic link, unreadable)
    data: bytes | None = field(default=None, repr=False, compare=False)   # a zip member's bytes, read already
    modified: datetime | None = None    # a zip member's recorded time (naive, as the zip stores it)
    late_flag: bool = False             # the LMS marked the file LATE in its name (Canvas)

    @property
    def kind(self) -> str:
        if self.file is None:
            return "missing"
        return "notebook" if self.file.suffix == ".ipynb" else "python"

    @property
    def file_name(self) -> str:
        return self.file.name if self.file is not None else ""

    def _read_bytes(self) -> bytes:
        """The submitted file's bytes (at most MAX_SOURCE_BYTES + 1), never
        through a symbolic link, or SubmissionError with the reason."""
        if self.problem is not None:
            raise SubmissionError(str(self.problem), self.problem.kind)
        if self.file is None:
            raise SubmissionError(f"no losses.py or notebook (.ipynb) found in {self.folder.name}/", ErrorKind.NO_FILE)
        if self.data is not None:
            return self.data
        root = self.folder.parent
        return _read_no_follow(root, self.file.relative_to(root).parts, MAX_SOURCE_BYTES)

    def fingerprint(self) -> str:
        """Identifies the submitted content (for resuming a run); follows no link."""
        digest = hashlib.sha256(self.student.encode("utf-8", "surrogatepass"))
        try:
            data = self._read_bytes()
        except SubmissionError as exc:
            digest.update(b"\0refused\0" + str(exc).encode("utf-8", "surrogatepass"))
        else:
            digest.update(self.file_name.encode("utf-8", "surrogatepass"))
            digest.update(data)
        return digest.hexdigest()

    def read_source(self) -> str:
        """The Python source to grade, or SubmissionError with the reason."""
        data = self._read_bytes()
        if len(data) > MAX_SOURCE_BYTES:
            raise SubmissionError(f"{self.file_name} is larger than {MAX_SOURCE_BYTES // 1024} KiB", ErrorKind.TOO_LARGE)
        if self.kind == "notebook":
            return _notebook_code(self.file_name, data)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionError(f"{self.file_name} is not UTF-8 text (byte {exc.start})", ErrorKind.NOT_TEXT) from None


def _notebook_code(name: str, data: bytes) -> str:
    """The module to grade for a notebook, from the bytes already read safely:
    ``extract_student_code`` reads a path, so it gets a private copy."""
    from autograder.notebooks.extract import NotebookError, extract_student_code
    with tempfile.TemporaryDirectory(prefix="autograder-notebook-") as private:
        copy = Path(private) / name
        copy.write_bytes(data)
        try:
            return extract_student_code(copy)
        except NotebookError as exc:
            raise SubmissionError(f"{name}: {exc}", exc.kind) from None


def class_root(class_dir: Path) -> Path:
    if class_dir.is_file() and not zipfile.is_zipfile(class_dir):
        raise FileNotFoundError(f"{class_dir} is a file, not a class folder or a zip of one: pass the folder "
                                "(one sub-folder per student, or an LMS download) or the LMS's .zip")
    if not class_dir.is_dir():
        raise FileNotFoundError(f"class folder {class_dir} does not exist (expected one sub-folder per student)")
    nested = class_dir / "submitted"
    return nested if nested.is_dir() else class_dir


def _entries(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)


def _pick_file(folder: Path) -> Path | None:
    """The file to grade in one student's folder (nothing here follows a link).

    Any entry that is not a folder is a candidate, so that a ``losses.py`` that
    is a symbolic link, a FIFO or a device is picked and then refused by
    ``read_source`` with its reason, rather than silently skipped."""
    assignment = folder / ASSIGNMENT
    try:
        assignment_mode = os.lstat(assignment).st_mode
    except FileNotFoundError:
        assignment_mode = None
    if assignment_mode is not None and stat.S_ISDIR(assignment_mode):   # nbgrader: submitted/<student>/<assignment>/
        folder = assignment
    elif assignment_mode is not None and stat.S_ISLNK(assignment_mode):
        raise SubmissionError(f"{ASSIGNMENT} is a symbolic link; links are not graded: submit the folder itself",
                              ErrorKind.SYMLINK)
    files = [Path(e.path) for e in _entries(folder) if not e.is_dir(follow_symlinks=False)]
    by_name = {p.name: p for p in files}
    for preferred in ("losses.py", f"{ASSIGNMENT}.ipynb"):
        if preferred in by_name:
            return by_name[preferred]
    for suffix in (".py", ".ipynb"):
        matching = [p for p in files if p.suffix == suffix]
        if len(matching) == 1:
            return matching[0]
    return None


def _submission(entry: os.DirEntry) -> Submission | None:
    """The submission in one entry of the class folder; None for what is not a
    student (a plain file); a refused Submission for a link to a folder."""
    folder = Path(entry.path)
    if entry.is_symlink():
        if not entry.is_dir():          # a link to a file, or a dangling one: not a student folder
            return None
        return Submission(entry.name, folder, None, problem=SubmissionError(
            "the student folder is a symbolic link; links are not graded: submit a real folder", ErrorKind.SYMLINK))
    if not entry.is_dir(follow_symlinks=False):
        return None
    try:
        return Submission(entry.name, folder, _pick_file(folder))
    except SubmissionError as exc:
        return Submission(entry.name, folder, None, problem=exc)
    except OSError as exc:
        return Submission(entry.name, folder, None, problem=SubmissionError(
            f"could not list the student folder: {exc.strerror}", ErrorKind.UNREADABLE))


def discover(class_dir: Path) -> list[Submission]:
    """One Submission per student of the class (sorted by id): one per student
    folder, and one per student of the LMS-named files at the top (Canvas's
    flat download); a ``.zip`` is read in memory. Entries whose name starts
    with a dot (``.ipynb_checkpoints``, ``.git``) are skipped."""
    class_dir = Path(class_dir)
    if class_dir.is_file() and zipfile.is_zipfile(class_dir):
        return _discover_zip(class_dir)
    root = class_root(class_dir)
    entries = _entries(root)
    found = {s.student: s for s in map(_submission, entries) if s is not None}
    for student, files in _lms_files(entries).items():
        if student in found:
            found[student] = Submission(student, root, None, problem=SubmissionError(
                f"both a folder {student}/ and LMS-named files for student {student}: keep one of them",
                ErrorKind.TWO_SUBMISSIONS))
        else:
            found[student] = _lms_submission(student, root, files)
    return [found[k] for k in sorted(found)]


# Canvas's "Download submissions": <lastfirst>_[LATE_]<user id>_<submission id>_<file name>, where a
# re-uploaded file may carry "-1", "-2" before its suffix.
CANVAS_NAME = re.compile(r"^(?P<name>[^_/]+?)_(?P<late>LATE_)?(?P<user>\d+)_(?P<submission>\d+)_(?P<file>[^/]+)$")
_RENAMED = re.compile(r"^(?P<stem>.+?)-\d+(?P<suffix>\.[A-Za-z0-9]+)$")


def lms_name(name: str) -> tuple[str, str, bool] | None:
    """(student id, the file's original name, marked late) of a file named the
    way Canvas names a downloaded submission, else None."""
    match = CANVAS_NAME.match(name)
    if not match:
        return None
    original = match.group("file")
    renamed = _RENAMED.match(original)
    if renamed:
        original = renamed.group("stem") + renamed.group("suffix")
    return match.group("user"), original, bool(match.group("late"))


def _lms_files(entries: list[os.DirEntry]) -> dict[str, list[tuple[os.DirEntry, str, bool]]]:
    """The top-level files (links included: refused when read) named the LMS's way, by student."""
    by_student: dict[str, list] = {}
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            continue
        parsed = lms_name(entry.name)
        if parsed:
            by_student.setdefault(parsed[0], []).append((entry, parsed[1], parsed[2]))
    return by_student


_Item = TypeVar("_Item")


def _choose(candidates: list[tuple[str, _Item]]) -> _Item | None:
    """The one to grade among (original name, item): losses.py, the
    assignment's notebook, else the only .py, else the only .ipynb."""
    for preferred in ("losses.py", f"{ASSIGNMENT}.ipynb"):
        named = [item for name, item in candidates if name == preferred]
        if named:
            return named[-1]
    for suffix in (".py", ".ipynb"):
        matching = [item for name, item in candidates if name.endswith(suffix)]
        if len(matching) == 1:
            return matching[0]
    return None


def _lms_submission(student: str, root: Path, files: list) -> Submission:
    chosen = _choose([(original, entry) for entry, original, _ in files])
    late = any(flag for _, _, flag in files)
    if chosen is None:
        names = ", ".join(entry.name for entry, _, _ in files)
        return Submission(student, root, None, late_flag=late, problem=SubmissionError(
            f"no losses.py or notebook among the files of student {student} ({names}): "
            "submit one losses.py or one notebook", ErrorKind.NO_FILE))
    return Submission(student, root, Path(chosen.path), late_flag=late)


MAX_ZIP_MEMBERS = 10_000


def _discover_zip(path: Path) -> list[Submission]:
    """The submissions in an LMS's zip: Canvas-named files at its top, or one
    folder per student. Read in memory (at most MAX_SOURCE_BYTES + 1 bytes
    of a member), never unpacked; a member that is a link is refused."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise FileNotFoundError(f"could not read the zip {path}: {exc}") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_ZIP_MEMBERS:
            raise ValueError(f"the zip {path} holds {len(members)} files, more than {MAX_ZIP_MEMBERS}: "
                             "is it a class download?")
        by_student: dict[str, list[tuple[str, zipfile.ZipInfo, bool]]] = {}
        for member in members:
            parts = [p for p in member.filename.split("/") if p]
            if not parts or any(p.startswith(".") or p == ".." for p in parts) or parts[0] == "__MACOSX":
                continue
            if len(parts) == 1:
                parsed = lms_name(parts[0])
                if parsed:
                    by_student.setdefault(parsed[0], []).append((parsed[1], member, parsed[2]))
            else:            # <student>/.../<file>: nbgrader's <student>/<assignment>/ or a plain folder
                by_student.setdefault(parts[0], []).append((parts[-1], member, False))
        found = []
        for student in sorted(by_student):
            files = by_student[student]
            late = any(flag for _, _, flag in files)
            picked = _choose([(name, m) for name, m, _ in files])
            folder = path.parent / path.name
            if picked is None:
                found.append(Submission(student, folder, None, late_flag=late, problem=SubmissionError(
                    f"no losses.py or notebook among the files of student {student} in the zip", ErrorKind.NO_FILE)))
                continue
            member = picked
            name = member.filename.rsplit("/", 1)[-1]
            problem: SubmissionError | None = None
            data = None
            if (member.external_attr >> 16) & 0o170000 == 0o120000:
                problem = SubmissionError(f"{name} is a symbolic link in the zip; links are not graded: submit the file "
                                          "itself", ErrorKind.SYMLINK)
            elif member.flag_bits & 0x1:
                problem = SubmissionError(f"{name} is encrypted in the zip", ErrorKind.UNREADABLE)
            else:
                try:
                    with archive.open(member) as fh:
                        data = fh.read(MAX_SOURCE_BYTES + 1)
                except (OSError, zipfile.BadZipFile, RuntimeError, NotImplementedError) as exc:
                    problem = SubmissionError(f"could not read {name} from the zip: {exc}", ErrorKind.UNREADABLE)
            try:
                modified = datetime(*member.date_time)
            except ValueError:
                modified = None
            found.append(Submission(student, folder, folder / name, problem=problem, data=data if problem is None
                                    else None, modified=modified, late_flag=late))
        return found


def syntax_check(source: str) -> None:
    """Compile (never run) the source; a syntax error becomes the row's reason."""
    try:
        compile(source, "losses.py", "exec", dont_inherit=True)
    except SyntaxError as exc:
        raise SubmissionError(f"syntax error at line {exc.lineno}: {exc.msg}", ErrorKind.SYNTAX) from None
    except (ValueError, MemoryError, RecursionError) as exc:
        raise SubmissionError(f"the source cannot be compiled: {type(exc).__name__}", ErrorKind.SYNTAX) from None
