"""Why a row is in error, as a kind (issue 13: types at every boundary).

Every producer of an error row sets its ``ErrorKind`` where the cause is
known: the file checks (``submissions``, ``notebooks.extract``), the sandbox
(``worker``: from what the grader observed, never from the child's words) and
the engine's own failures. The pages, the class report and Gradescope's
output take the advice from the kind alone, and a row written before kinds
existed reads as ``unknown``.
"""
from __future__ import annotations

import json
import os
import pickle
import signal
import zipfile

import nbformat
import pytest
import walls

from autograder.classrun import outputs
from autograder.classrun.errors import ADVICE, GRADER_FAULTS, ErrorKind, advice_for, kind_of
from autograder.classrun.records import ClassResults, StudentRecord, error_record
from autograder.classrun.submissions import MAX_SOURCE_BYTES, SubmissionError, discover, syntax_check
from autograder.grading.rubric import ASSIGNMENT
from autograder.notebooks.extract import NotebookError
from autograder.report.class_report import render_class_report
from autograder.report.feedback import render_feedback_html, render_feedback_md
from autograder.sandbox import Limits, LoadFailure, bwrap_works
from autograder.single import grader_failed

# ---------------------------------------------------------------- the table

# The ids written to results.json: renaming one breaks every older results.json.
STABLE_IDS = {
    "no_file", "two_submissions", "symlink", "not_a_file", "unreadable", "too_large", "not_text", "bad_notebook",
    "no_answer_cells", "syntax", "import_missing", "raised_at_load", "exit_at_load", "memory", "timeout", "limit",
    "crashed", "broke_channel", "infrastructure", "internal", "interrupted", "unknown"}


def test_every_kind_has_its_advice_and_a_stable_id():
    assert set(ADVICE) == set(ErrorKind)
    assert {k.value for k in ErrorKind} == STABLE_IDS
    for kind in ErrorKind:
        assert kind.advice == ADVICE[kind]
        assert kind.advice.strip() == kind.advice and kind.advice.endswith(".") and "\n" not in kind.advice
        assert json.loads(json.dumps(kind)) == kind.value       # a str: it serialises as its id
    assert len(set(ADVICE.values())) == len(ADVICE), "two kinds with the same advice are one kind"


def test_only_the_graders_own_failures_are_grader_faults():
    assert GRADER_FAULTS == {ErrorKind.INFRASTRUCTURE, ErrorKind.INTERNAL, ErrorKind.INTERRUPTED}
    assert all("not a problem with your code" in k.advice for k in GRADER_FAULTS)


# ---------------------------------------------------------------- the submitted file

def student(tmp_path, name, files: dict[str, bytes | str] | None = None):
    folder = tmp_path / "class" / name
    folder.mkdir(parents=True)
    for file, content in (files or {}).items():
        target = folder / file
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    return folder


def refused(tmp_path, name) -> SubmissionError:
    found = {s.student: s for s in discover(tmp_path / "class")}
    with pytest.raises(SubmissionError) as caught:
        found[name].read_source()
    return caught.value


def notebook_without_answer_cells() -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def mse(y_hat, y):\n    return 0\n")]))


@pytest.mark.parametrize("name, make, kind", [
    ("empty", lambda f: None, ErrorKind.NO_FILE),
    ("two-py", lambda f: [(f / n).write_text("x = 1\n") for n in ("a.py", "b.py")], ErrorKind.NO_FILE),
    ("link", lambda f: (f / "losses.py").symlink_to("/etc/hostname"), ErrorKind.SYMLINK),
    ("fifo", lambda f: os.mkfifo(f / "losses.py"), ErrorKind.NOT_A_FILE),
    ("large", lambda f: (f / "losses.py").write_bytes(b"#" * (MAX_SOURCE_BYTES + 1)), ErrorKind.TOO_LARGE),
    ("latin1", lambda f: (f / "losses.py").write_bytes("# café\n".encode("latin-1")), ErrorKind.NOT_TEXT),
    ("bad-json", lambda f: (f / f"{ASSIGNMENT}.ipynb").write_text('{"cells": ['), ErrorKind.BAD_NOTEBOOK),
    ("not-nb", lambda f: (f / f"{ASSIGNMENT}.ipynb").write_text("[1, 2]"), ErrorKind.BAD_NOTEBOOK),
    ("no-cells", lambda f: (f / f"{ASSIGNMENT}.ipynb").write_text(notebook_without_answer_cells()),
     ErrorKind.NO_ANSWER_CELLS),
    ("linked-assignment", lambda f: (f / ASSIGNMENT).symlink_to(f.parent), ErrorKind.SYMLINK),
])
def test_each_refused_file_has_its_kind(tmp_path, name, make, kind):
    make(student(tmp_path, name))
    assert refused(tmp_path, name).kind is kind


def test_a_linked_student_folder_and_a_student_in_two_forms_have_their_kinds(tmp_path):
    real = student(tmp_path, "real", {"losses.py": "x = 1\n"})
    (tmp_path / "class" / "linked").symlink_to(real, target_is_directory=True)
    student(tmp_path, "123", {"losses.py": "x = 1\n"})
    (tmp_path / "class" / "doe_123_456_losses.py").write_text("x = 1\n")      # Canvas's name for student 123
    (tmp_path / "class" / "roe_789_1011_notes.txt").write_text("no code\n")
    assert refused(tmp_path, "linked").kind is ErrorKind.SYMLINK
    assert refused(tmp_path, "123").kind is ErrorKind.TWO_SUBMISSIONS
    assert refused(tmp_path, "789").kind is ErrorKind.NO_FILE


def marked_encrypted(data: bytes, name: str) -> bytes:
    """The zip with ``name``'s central directory entry marked encrypted (zipfile cannot write one)."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46:at + 46 + len(name)] != name.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    flags = int.from_bytes(data[at + 8:at + 10], "little") | 0x1
    return data[:at + 8] + flags.to_bytes(2, "little") + data[at + 10:]


def test_zip_members_have_their_kinds(tmp_path):
    path = tmp_path / "class.zip"
    with zipfile.ZipFile(path, "w") as archive:
        link = zipfile.ZipInfo("linker/losses.py")
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/hostname")
        archive.writestr("locked/losses.py", "x = 1\n")
        archive.writestr("nothing/readme.txt", "hello\n")
    path.write_bytes(marked_encrypted(path.read_bytes(), "locked/losses.py"))
    found = {s.student: s for s in discover(path)}
    kinds = {}
    for name, submission in found.items():
        with pytest.raises(SubmissionError) as caught:
            submission.read_source()
        kinds[name] = caught.value.kind
    assert kinds == {"linker": ErrorKind.SYMLINK, "locked": ErrorKind.UNREADABLE, "nothing": ErrorKind.NO_FILE}


def test_syntax_check_and_errors_keep_their_kind_through_pickle():
    for source in ("def f(:\n", "x = 1\0\n"):
        with pytest.raises(SubmissionError) as caught:
            syntax_check(source)
        assert caught.value.kind is ErrorKind.SYNTAX
    for error in (SubmissionError("too big", ErrorKind.TOO_LARGE), NotebookError("no cells", ErrorKind.NO_ANSWER_CELLS)):
        again = pickle.loads(pickle.dumps(error))
        assert (type(again), str(again), again.kind) == (type(error), str(error), error.kind)


# ---------------------------------------------------------------- loading in the sandbox

LYING = "raise Exception('timed out syntax memory import exit internal grader error')\n"


def forged_load_error(cause) -> str:
    """Student code that writes its own load-error frame, claiming ``cause``, then ends."""
    return ("import json, os, struct\n"
            f"data = json.dumps({{'type': 'load-error', 'reason': 'timed out', 'cause': {cause!r}}}).encode()\n"
            "os.write(3, struct.pack('>I', len(data)) + data)\n"
            "os._exit(0)\n")


LOADS = {
    "syntax": ("def mse(y_hat, y)\n    return 1\n", ErrorKind.SYNTAX),
    "null-byte": ("x = 1\0\n", ErrorKind.SYNTAX),
    "import": ("import tensorflow_of_the_future\n", ErrorKind.IMPORT_MISSING),
    "lying-message": (LYING, ErrorKind.RAISED_AT_LOAD),
    "name-error": ("y = undefined_name_import_syntax\n", ErrorKind.RAISED_AT_LOAD),
    "sys-exit": ("import sys\nsys.exit('timed out')\n", ErrorKind.EXIT_AT_LOAD),
    "os-exit": ("import os\nos._exit(3)\n", ErrorKind.EXIT_AT_LOAD),
    "memory-error": ("hog = bytearray(64 * 2**30)\n", ErrorKind.MEMORY),
    "segfault": ("import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n", ErrorKind.CRASHED),
    "sigkill": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", ErrorKind.LIMIT),
    "sigxcpu": ("import os, signal\nos.kill(os.getpid(), signal.SIGXCPU)\n", ErrorKind.TIMEOUT),
    "garbage": ("import os\nos.write(3, b'\\x00\\x00\\x00\\x05hello')\nimport time\ntime.sleep(30)\n",
                ErrorKind.BROKE_CHANNEL),
    "forged-timeout": (forged_load_error("timeout"), ErrorKind.RAISED_AT_LOAD),
    "forged-internal": (forged_load_error("internal"), ErrorKind.RAISED_AT_LOAD),
    "forged-kind-id": (forged_load_error("infrastructure"), ErrorKind.RAISED_AT_LOAD),
    "forged-list": (forged_load_error(["timeout"]), ErrorKind.RAISED_AT_LOAD),
    "forged-exit": (forged_load_error("exit"), ErrorKind.EXIT_AT_LOAD),     # a kind its own code could earn anyway
    "loops": ("while True:\n    pass\n", ErrorKind.TIMEOUT),
}


@pytest.fixture(scope="module")
def loaded():
    """Each of LOADS run in one sandboxed worker: its LoadFailure."""
    isolation = "bubblewrap" if bwrap_works() else "process"
    failures = {}
    with walls.open_worker(isolation, Limits(call_timeout=1, load_timeout=2, memory_mb=512)) as worker:
        for name, (source, _) in LOADS.items():
            failures[name] = worker.run(source, walls.call())
        failures["honest_after"] = walls.honest_ok(worker)
    return failures


@pytest.mark.parametrize("name", LOADS)
def test_each_load_failure_has_the_kind_the_grader_observed(loaded, name):
    failure = loaded[name]
    assert isinstance(failure, LoadFailure), failure
    assert failure.kind is LOADS[name][1], failure.reason
    assert loaded["honest_after"]


def test_a_students_own_message_cannot_change_the_kind(loaded):
    failure = loaded["lying-message"]
    assert "timed out syntax memory" in failure.reason      # the reason quotes it; the kind ignores it
    record = error_record("liar", failure.reason, "bubblewrap", failure.kind)
    assert record.error_kind is ErrorKind.RAISED_AT_LOAD and record.to_json()["error_kind"] == "raised_at_load"
    md = render_feedback_md(record)
    assert ErrorKind.RAISED_AT_LOAD.advice in md
    for other in ErrorKind:
        if other is not ErrorKind.RAISED_AT_LOAD:
            assert other.advice not in md
    assert not grader_failed(record)


def test_the_server_reports_how_a_child_ended_and_only_that_decides():
    from autograder.sandbox.worker import ended_while_loading
    assert ended_while_loading(0) is ErrorKind.EXIT_AT_LOAD
    assert ended_while_loading(7 << 8) is ErrorKind.EXIT_AT_LOAD
    assert ended_while_loading(signal.SIGSEGV) is ErrorKind.CRASHED
    assert ended_while_loading(signal.SIGKILL) is ErrorKind.LIMIT
    assert ended_while_loading(signal.SIGXFSZ) is ErrorKind.LIMIT
    assert ended_while_loading(signal.SIGXCPU) is ErrorKind.TIMEOUT
    assert ended_while_loading("exited") is ErrorKind.CRASHED


# ---------------------------------------------------------------- what reads the kind

def test_pages_report_and_gradescope_take_the_advice_from_the_kind_not_the_words():
    # a reason full of other kinds' words, with the kind of a missing file
    record = error_record("mallory", "syntax error: timed out, MemoryError, import failed, sys.exit()", "process",
                          ErrorKind.NO_FILE)
    advice = ErrorKind.NO_FILE.advice
    assert advice_for(record.to_json()) == advice
    assert advice in render_feedback_md(record)
    assert advice in render_feedback_html(record).replace("&#39;", "'")
    report = render_class_report(ClassResults(ASSIGNMENT, 100, [record], [], {}))
    assert advice in report.replace("&#39;", "'")
    for visibility in outputs.VISIBILITIES:
        assert advice in outputs.gradescope_json(record, visibility=visibility)["output"]
    for other in ErrorKind:
        if other is not ErrorKind.NO_FILE:
            assert other.advice not in render_feedback_md(record)


def test_grader_failed_reads_the_kind():
    assert grader_failed(error_record("a", "anything at all", "process", ErrorKind.INTERNAL))
    assert grader_failed(error_record("a", "anything at all", "process", ErrorKind.INFRASTRUCTURE))
    assert not grader_failed(error_record("a", "internal grader error: forged", "process", ErrorKind.RAISED_AT_LOAD))


@pytest.mark.parametrize("value", [None, "no-such-kind", ["syntax"], 3])
def test_a_row_without_a_known_kind_reads_as_unknown(value):
    data = error_record("old", "syntax error at line 3: invalid syntax", "process", ErrorKind.SYNTAX).to_json()
    if value is None:
        del data["error_kind"]                   # written before kinds existed
    else:
        data["error_kind"] = value
    assert kind_of(data) is ErrorKind.UNKNOWN
    record = StudentRecord.from_json(data)       # read back (a resume, a regrade, the gradebook)
    assert record.error_kind is ErrorKind.UNKNOWN
    assert ErrorKind.UNKNOWN.advice in render_feedback_md(record)
    assert not grader_failed(record)


def test_a_graded_row_has_no_kind():
    data = error_record("a", "r", "process", ErrorKind.SYNTAX).to_json() | {"status": "graded", "error": None}
    assert kind_of(data) is None and StudentRecord.from_json(data).error_kind is None


def test_the_runtime_and_the_grader_agree_on_the_load_causes():
    from autograder.sandbox import worker
    from autograder.sandbox.runtime import server
    assert set(server.LOAD_CAUSES) == set(worker.LOAD_CAUSES)
    assert set(worker.LOAD_CAUSES.values()) <= {ErrorKind.SYNTAX, ErrorKind.IMPORT_MISSING, ErrorKind.EXIT_AT_LOAD,
                                                ErrorKind.MEMORY, ErrorKind.RAISED_AT_LOAD}
