"""Why a submission could not be graded, as a kind, and what to do about it.

An error row carries two things: ``"error"``, the one-line reason the grader
saw (shown to the student as it is), and ``"error_kind"``, an ``ErrorKind``
value: a stable id that the feedback page, the class report and Gradescope's
output turn into advice (``ADVICE``). Nothing reads the reason's words back:
the kind is set where the cause is known, by the code that saw it.

Who decides the kind: always the grader, from what it observed itself: the
file it read (``submissions``, ``notebooks.extract``), its own clocks, the
fork server's report of how the child ended (its wait status), where in the
protocol a frame arrived (``sandbox.worker``), and its own failures
(``classrun.engine``). The one thing taken from the child, whose process the
student's code runs in, is the cause of a load error its runtime reports
(the class of what the module raised, never the message): the grader maps it
through ``sandbox.worker.LOAD_CAUSES`` onto the five load kinds below
(syntax, import_missing, exit_at_load, memory, raised_at_load), anything else
being raised_at_load. Student code that forges that frame can therefore pick
only among kinds it could earn anyway by raising the matching exception;
the grader's own kinds (timeout, limit, crashed, the file kinds, the
grader's failures) never come from the child.

A record written before kinds existed (an older ``results.json`` or saved
state read back on resume or a regrade) has no ``"error_kind"``: it is read
as ``UNKNOWN`` (``kind_of``), whose advice is the general one. So is a value
this grader does not know.
"""
from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import Any


class ErrorKind(str, Enum):
    """One cause a student or an instructor can act on. The value is the id
    written to results.json: never rename one."""
    # the submitted file (classrun.submissions, notebooks.extract), before anything runs
    NO_FILE = "no_file"                  # no losses.py or notebook in the folder, or among the LMS's files
    TWO_SUBMISSIONS = "two_submissions"  # a folder and LMS-named files for the same student
    SYMLINK = "symlink"                  # the file, the student folder or the assignment folder is a link
    NOT_A_FILE = "not_a_file"            # a FIFO, a device, a folder where the file (or a file where a folder) is
    UNREADABLE = "unreadable"            # the system refused to open or read it; encrypted or damaged in the zip
    TOO_LARGE = "too_large"              # over submissions.MAX_SOURCE_BYTES
    NOT_TEXT = "not_text"                # a .py file that is not UTF-8
    BAD_NOTEBOOK = "bad_notebook"        # not JSON, or not a notebook (nbformat 4)
    NO_ANSWER_CELLS = "no_answer_cells"  # a notebook without the released notebook's answer cells
    # loading the module in the sandbox (sandbox.worker)
    SYNTAX = "syntax"                    # Python cannot compile it
    IMPORT_MISSING = "import_missing"    # an import failed (a package the sandbox does not have)
    RAISED_AT_LOAD = "raised_at_load"    # code at the top level raised
    EXIT_AT_LOAD = "exit_at_load"        # sys.exit(), exit() or os._exit() while loading
    MEMORY = "memory"                    # MemoryError while loading
    TIMEOUT = "timeout"                  # loading took longer than the load timeout (or the CPU-time limit)
    LIMIT = "limit"                      # killed for a limit while loading (memory cgroup, CPU, file or frame size)
    CRASHED = "crashed"                  # ended by another signal while loading (a segfault, an abort, a refused call)
    BROKE_CHANNEL = "broke_channel"      # wrote something that is not the protocol while loading
    # the grader's own failures (classrun.engine): nothing for the student to fix
    INFRASTRUCTURE = "infrastructure"    # the sandbox would not start or kept failing (retried next run)
    INTERNAL = "internal"                # a bug in the grader (an exception of its own)
    INTERRUPTED = "interrupted"          # the run ended before this submission was graded
    # a record from before kinds existed, or a value this grader does not know (``kind_of``)
    UNKNOWN = "unknown"

    @property
    def advice(self) -> str:
        """What the student can do about it (the feedback page's "What to do")."""
        return ADVICE[self]

    @property
    def grader_fault(self) -> bool:
        """The grader failed, not the submission (``single.grader_failed``)."""
        return self in GRADER_FAULTS


GRADER_FAULTS = frozenset({ErrorKind.INFRASTRUCTURE, ErrorKind.INTERNAL, ErrorKind.INTERRUPTED})

_NOT_YOUR_CODE = "This is not a problem with your code, and you do not need to change anything: "

ADVICE: dict[ErrorKind, str] = {
    ErrorKind.NO_FILE:
        "No file to grade was found in your folder. Submit losses.py (or the released notebook with your answers "
        "filled in) under its original name.",
    ErrorKind.TWO_SUBMISSIONS:
        "Two submissions were found for you (a folder and files downloaded from the course site), and the grader "
        "does not guess which one counts. Ask your instructor to keep only one of them.",
    ErrorKind.SYMLINK:
        "What you submitted is a symbolic link (a shortcut to a file somewhere else), and the grader does not "
        "follow links. Submit the file itself, losses.py or the notebook, not a link to it.",
    ErrorKind.NOT_A_FILE:
        "What you submitted is not an ordinary file (it is a folder, a pipe or a device). Submit losses.py, or "
        "the notebook, as a plain file.",
    ErrorKind.UNREADABLE:
        "The grader could not open or read your file where the class's submissions were collected (it was not "
        "readable, encrypted or damaged). This is not about your code: ask your instructor to check it, or "
        "submit the file again.",
    ErrorKind.TOO_LARGE:
        "Your file is larger than the grader accepts. Submit only your code: remove any data pasted into the "
        "file and, in a notebook, clear every cell's output before saving.",
    ErrorKind.NOT_TEXT:
        "Your file is not plain text in UTF-8, the encoding Python reads. Save losses.py from a code editor (not "
        "a word processor) as UTF-8, and submit it again.",
    ErrorKind.BAD_NOTEBOOK:
        "Your notebook could not be read. Download it again from Jupyter (File > Save and Checkpoint) and submit "
        "the .ipynb file without editing it by hand.",
    ErrorKind.NO_ANSWER_CELLS:
        "Your notebook has none of the released notebook's answer cells: the grader finds your answers by the "
        "hidden ids those cells carry, and a new notebook or pasted cells lose them. Write your answers in the "
        "released notebook's answer cells and submit that notebook.",
    ErrorKind.SYNTAX:
        "Python could not read your file. Open it and run it yourself (python losses.py): Python names the line. "
        "Fix it and submit again.",
    ErrorKind.IMPORT_MISSING:
        "Your file imports something the grader does not have. Use only numpy and Python's standard library.",
    ErrorKind.RAISED_AT_LOAD:
        "Your file raised an error while it was being loaded: code outside any function ran and failed. Run "
        "python losses.py yourself to see the error, fix it, and submit again.",
    ErrorKind.EXIT_AT_LOAD:
        "Your file ends the program while it is being loaded (exit() or sys.exit()). Remove code that runs at "
        "import time: the file should only define functions.",
    ErrorKind.MEMORY:
        "Your code used more memory than the grader allows. Look for very large arrays built at import time or "
        "inside a loop.",
    ErrorKind.TIMEOUT:
        "Your file took too long to load: code outside any function ran for longer than the grader allows. Look "
        "for a loop that never ends or heavy work done at import time, then submit again.",
    ErrorKind.LIMIT:
        "Your code was stopped for going over one of the grader's limits (memory, CPU time, file or output size) "
        "while it was being loaded. Look for very large arrays, long computations or big files made by code "
        "outside any function, then submit again.",
    ErrorKind.CRASHED:
        "The process running your code stopped unexpectedly. Check that importing your file does nothing but "
        "define functions (no exit(), no input(), no infinite recursion).",
    ErrorKind.BROKE_CHANNEL:
        "While your file was being loaded, something wrote into the grader's connection to the process running "
        "your code (or closed it). Remove code that runs at import time and works with file descriptors or "
        "processes: the file should only define functions.",
    ErrorKind.INFRASTRUCTURE:
        _NOT_YOUR_CODE + "the grader's sandbox failed while it ran your submission. Your instructor will grade it "
                         "again.",
    ErrorKind.INTERNAL:
        _NOT_YOUR_CODE + "the grader hit an error of its own while grading your submission. Your instructor sees "
                         "it in the class report and will grade it again.",
    ErrorKind.INTERRUPTED:
        _NOT_YOUR_CODE + "the grading run stopped before it reached your submission. Your instructor will run it "
                         "again.",
    ErrorKind.UNKNOWN:
        "The grader could not run your submission. Check that `python losses.py` runs without errors and that the "
        "file only defines functions, then submit again. Ask your instructor if it still fails.",
}


def kind_of(record: Mapping[str, Any]) -> ErrorKind | None:
    """The kind of a record: None for a graded one; for an error row its
    ``"error_kind"``, or ``UNKNOWN`` when it has none (written before kinds
    existed) or one this grader does not know."""
    if record.get("status") == "graded":
        return None
    try:
        return ErrorKind(record.get("error_kind"))
    except (ValueError, TypeError):
        return ErrorKind.UNKNOWN


def advice_for(record: Mapping[str, Any]) -> str:
    """What the student whose row this is can do (``kind_of``)."""
    return (kind_of(record) or ErrorKind.UNKNOWN).advice
