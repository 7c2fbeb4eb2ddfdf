"""What a grading run has finished, kept in OUT_DIR/.state so that running
the same command again after a crash (even ``kill -9``) resumes.

Each graded submission is one JSON file written atomically (temporary file,
fsync, rename): either the whole record is there or none of it. A record is
reused only if the submission's content, the seed and the grader version are
unchanged.
"""
from __future__ import annotations

import json
import os
import random
import secrets
from dataclasses import dataclass
from pathlib import Path

from autograder import __version__
from autograder.classrun.filenames import safe_stem
from autograder.classrun.records import RecordError, StudentRecord
from autograder.grading.sweeps import Curve


def _create_temporary(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty file next to the target, created with mode 0666 so that the
    kernel applies the umask (``mkstemp`` would make every output 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file in {folder}")


def atomic_write(path: Path, text, durable: bool = True) -> None:
    """Write ``text`` to ``path`` atomically (temporary file, fsync, rename), as
    UTF-8 (characters that cannot be encoded, such as the lone surrogates of a
    folder name that was not UTF-8, become backslash escapes), with the mode
    the umask gives a new file. ``text`` may also be an iterable of strings,
    written one after the other (a large file is never held whole).

    ``durable=False`` skips the fsync (about 10 ms each on the development
    machine, the grader's largest single cost per student once plots were
    cached): the rename is still atomic for every reader and survives the
    grader being killed; only a crash of the whole machine can leave such a
    file empty or torn. Written so: a student's state (then unreadable JSON,
    so the student is graded again) and the student's pages (``--force``
    writes them again)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path.parent, path.name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            if isinstance(text, str):
                fh.write(text)
            else:
                for chunk in text:
                    fh.write(chunk)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@dataclass(frozen=True)
class Saved:
    """One student's finished work as the state keeps it: the record as graded
    (before any late penalty) and the curves of the feedback page."""

    record: StudentRecord
    curves: dict[str, Curve]
    stale_page: bool = False     # read back from an older record (no error kind): its pages are drawn again


class RunState:
    def __init__(self, out_dir: Path):
        self.dir = Path(out_dir) / ".state"
        self.students = self.dir / "students"
        self.students.mkdir(parents=True, exist_ok=True)

    def seed(self, requested: int | None) -> int:
        """The run's seed: the one asked for, else the one recorded, else a new one."""
        path = self.dir / "run.json"
        recorded = None
        if path.exists():
            try:
                recorded = int(json.loads(path.read_text())["seed"])
            except (ValueError, KeyError, TypeError):
                recorded = None
        seed = requested if requested is not None else recorded
        if seed is None:
            seed = random.SystemRandom().randrange(2**31)
        if seed != recorded:
            atomic_write(path, json.dumps({"seed": seed}))
        return seed

    def _path(self, student: str) -> Path:
        return self.students / f"{safe_stem(student)}.json"

    def load(self, student: str, fingerprint: str, seed: int) -> Saved | None:
        """The saved work, if it is for this content, seed and grader version
        and reads back whole; else None (the student is graded again)."""
        path = self._path(student)
        if not path.exists():
            return None
        try:
            saved = json.loads(path.read_text())
        except (OSError, ValueError, RecursionError):
            return None
        if not isinstance(saved, dict):
            return None
        if saved.get("fingerprint") != fingerprint or saved.get("seed") != seed or saved.get("version") != __version__:
            return None
        try:
            curves = saved.get("curves")
            record = saved.get("record")
            return Saved(StudentRecord.from_json(record),
                         {str(n): Curve.from_json(c) for n, c in curves.items()} if isinstance(curves, dict) else {},
                         stale_page=isinstance(record, dict) and "error_kind" not in record)
        except (RecordError, ValueError):
            return None

    def save(self, student: str, fingerprint: str, seed: int, record: StudentRecord,
             curves: dict[str, Curve]) -> None:
        atomic_write(self._path(student), json.dumps(
            {"fingerprint": fingerprint, "seed": seed, "version": __version__,
             "record": record.to_json(), "curves": {n: c.to_json() for n, c in curves.items()}}),
                     durable=False)      # torn by a machine crash: graded again

    def valid(self, student: str, fingerprint: str, seed: int) -> bool:
        """Is a reusable record saved for ``student`` (``load`` would return it)?"""
        return self.load(student, fingerprint, seed) is not None
