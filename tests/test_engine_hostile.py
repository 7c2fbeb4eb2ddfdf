"""End to end: `autograder grade` on a class of hostile and broken submissions.

Every submission gets exactly one row as stated, nothing escapes the
sandbox, the class folder is untouched, and no process outlives the run.
"""
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.classrun.errors import ErrorKind
from autograder.sandbox import bwrap_works

REF = strip_markers(REFERENCE.read_text())
MARK = "hostile-marker-7d1e"


def override(extra: str) -> str:
    """The reference followed by code that redefines or adds something."""
    return REF + "\n\n" + extra


def submissions(out_dir: Path, port: int) -> dict[str, str]:
    return {
        "correct": REF,
        "syntax-error": "import numpy as np\n\ndef mse(y_hat, y)\n    return 1\n",
        "missing-package": "import tensorflow_of_the_future\n" + REF,
        "loop-at-import": "while True:\n    pass\n",
        "loop-in-one-function": override("def mse(y_hat, y):\n    while True:\n        pass\n"),
        "exit-at-import": "import sys\nsys.exit(0)\n" + REF,
        "lies-at-import": "raise Exception('timed out: syntax error, MemoryError, No module named x')\n" + REF,
        "os-exit-in-call": override("import os\ndef sigmoid(z):\n    os._exit(7)\n"),
        "memory-hog": override("def softmax(z):\n    hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]\n    return hog\n"),
        "output-flood": override(
            "import sys\nfor _ in range(2000):\n    print('x' * 10000)\n"
            "_mean = batch_mean\n"
            "def batch_mean(losses):\n    sys.stdout.write('y' * 100000)\n    sys.stderr.write('z' * 100000)\n"
            "    return _mean(losses)\n"),
        "setsid-orphans": override(
            "import os, subprocess\n"
            f"subprocess.Popen(['sleep', '300', '{MARK}'], start_new_session=True)\n"
            "if os.fork() == 0:\n    os.setsid()\n    import time\n    while True:\n        time.sleep(1)\n"),
        "reads-solutions": override(
            "def mse(y_hat, y):\n"
            f"    source = open({str(REFERENCE)!r}).read()\n"
            "    ns = {}\n    exec(source, ns)\n    return ns['mse'](y_hat, y)\n"
            "def bce(p, y, eps=1e-8):\n"
            "    from autograder.reference.losses import bce as reference_bce\n"
            "    return reference_bce(p, y, eps)\n"),
        "network": override(
            "import socket\n"
            "def mse(y_hat, y):\n"
            f"    s = socket.create_connection(('127.0.0.1', {port}), timeout=1)\n"
            "    s.sendall(b'stolen')\n    return 0.0\n"),
        "writes-output-folder": override(
            "import os\n"
            f"for name in ('grades.csv', 'hacked.txt'):\n"
            f"    try:\n        open(os.path.join({str(out_dir)!r}, name), 'w').write('student,score\\nwrites-output-folder,100\\n')\n"
            "    except OSError:\n        pass\n"),
        "patches-numpy": override(
            "import numpy as np\n"
            "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
            "np.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None\n"
            "def squared_error(y_hat, y):\n    return np.zeros(3)\n"
            "def mse(y_hat, y):\n    return 0.0\n"),
    }


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(str(path.relative_to(folder)).encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def leftover_processes(scope: str) -> list[str]:
    """Processes of this run still alive: the submissions' marker, or anything
    started from the run's private TMPDIR (the sandbox runtime lives there)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if MARK in cmdline or scope in cmdline:
            found.append(f"{entry}: {cmdline[:120]}")
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    assert bwrap_works(), "bubblewrap must work here (CI installs it: scripts/system-deps.sh)"
    base = tmp_path_factory.mktemp("hostile")
    class_dir, out_dir = base / "class", base / "out"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    connections = []

    def accept():
        while listener.fileno() != -1:
            try:
                connections.append(listener.accept())
            except OSError:
                if listener.fileno() == -1:
                    return
    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    for student, source in submissions(out_dir, listener.getsockname()[1]).items():
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(source)
    (class_dir / "no-files").mkdir()
    before = tree_digest(class_dir)
    private_tmp = base / "tmp"
    private_tmp.mkdir()
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out", str(out_dir),
                           "--jobs", "2", "--timeout", "1", "--memory", "512", "--seed", "5", "--require-sandbox"],
                          capture_output=True, text=True, timeout=600, env=dict(os.environ, TMPDIR=str(private_tmp)))
    listener.close()
    results = json.loads((out_dir / "results.json").read_text()) if (out_dir / "results.json").exists() else None
    return {"proc": proc, "results": results, "out": out_dir, "class": class_dir, "before": before,
            "connections": connections, "scope": str(private_tmp)}


def rows(graded):
    assert graded["proc"].returncode == 0, graded["proc"].stderr[-3000:]
    return {s["student"]: s for s in graded["results"]["students"]}


def test_every_submission_has_exactly_one_row(graded):
    r = rows(graded)
    assert set(r) == set(submissions(Path("/x"), 1)) | {"no-files"}
    lines = (graded["out"] / "grades.csv").read_text().splitlines()
    assert lines[0] == "student,score,max_score,status,mistakes"
    assert sorted(line.split(",")[0] for line in lines[1:]) == sorted(r)
    for student in r:
        assert (graded["out"] / "feedback" / f"{student}.md").exists()
        assert (graded["out"] / "gradescope" / f"{student}.json").exists()


def test_correct_code_scores_full_marks_in_the_sandbox(graded):
    r = rows(graded)
    assert r["correct"]["status"] == "graded" and r["correct"]["score"] == 100
    assert r["correct"]["isolation"] == "bubblewrap"


@pytest.mark.parametrize("student, words, kind", [
    ("syntax-error", "syntax error at line 3", ErrorKind.SYNTAX),
    ("missing-package", "ModuleNotFoundError", ErrorKind.IMPORT_MISSING),
    ("loop-at-import", "timed out while loading", ErrorKind.TIMEOUT),
    ("exit-at-import", "sys.exit(0)", ErrorKind.EXIT_AT_LOAD),
    ("no-files", "no losses.py or notebook", ErrorKind.NO_FILE),
    ("lies-at-import", "raised Exception: timed out", ErrorKind.RAISED_AT_LOAD),   # its words are not its kind
])
def test_broken_submissions_are_error_rows_with_a_reason_and_a_kind(graded, student, words, kind):
    row = rows(graded)[student]
    assert row["status"] == "error" and row["score"] == 0
    assert words in row["error"] and row["error_kind"] == kind.value
    assert set(row["functions"]) == set(rows(graded)["correct"]["functions"])
    page = (graded["out"] / "feedback" / f"{student}.md").read_text()
    assert f"**What to do:** {kind.advice}" in page
    assert all(row["error_kind"] is None for row in rows(graded).values() if row["status"] == "graded")


@pytest.mark.parametrize("student, broken, dependents", [
    ("loop-in-one-function", "mse", {"linear_regression_step"}),
    ("os-exit-in-call", "sigmoid", {"bce_with_logits_grad"}),
    ("memory-hog", "softmax", {"softmax_cross_entropy_grad"}),
    ("reads-solutions", "mse", {"linear_regression_step", "bce"}),
    ("network", "mse", {"linear_regression_step"}),
    ("patches-numpy", "squared_error", {"mse", "linear_regression_step"}),
])
def test_a_misbehaving_function_costs_only_its_own_points(graded, student, broken, dependents):
    row = rows(graded)[student]
    assert row["status"] == "graded"
    assert row["functions"][broken]["score"] == 0
    for name, f in row["functions"].items():
        if name != broken and name not in dependents:
            assert f["score"] == f["max_score"], (name, f)


def test_output_floods_and_orphans_do_not_disturb_grading(graded):
    r = rows(graded)
    assert r["output-flood"]["score"] == 100
    assert r["setsid-orphans"]["score"] == 100


def test_nothing_reached_the_network(graded):
    rows(graded)
    assert graded["connections"] == []


def test_the_output_folder_is_the_graders_alone(graded):
    r = rows(graded)
    assert not (graded["out"] / "hacked.txt").exists()
    grades = (graded["out"] / "grades.csv").read_text()
    assert "writes-output-folder,100,100,graded" in grades        # graded normally, by us
    assert grades.count("writes-output-folder") == 1
    assert r["writes-output-folder"]["score"] == 100


def test_the_class_folder_is_unchanged(graded):
    rows(graded)
    assert tree_digest(graded["class"]) == graded["before"]


def test_no_process_outlives_the_run(graded):
    rows(graded)
    assert leftover_processes(graded["scope"]) == []
    assert list(Path(graded["scope"]).iterdir()) == []      # the sandbox runtime was removed too


FORGER = '''
import json, os, struct

def _forge():
    for message in ({"type": "exited", "how": "forged", "status": 0}, {"type": "done"},
                    {"type": "outcomes", "pos": 0, "items": [{"status": "ok"}]}):
        frame = json.dumps(message).encode()
        for fd in range(3, 64):
            try:
                os.write(fd, struct.pack(">I", len(frame)) + frame)
            except OSError:
                pass

_forge()
'''


def test_forged_frames_cannot_touch_the_next_submission(tmp_path):
    """A submission writes fake protocol frames into every descriptor it has;
    the submissions graded after it on the same worker are unaffected."""
    class_dir = tmp_path / "class"
    sources = {"a-forger": override(FORGER + "\ndef mse(y_hat, y):\n    _forge()\n    return 0.0\n"),
               "b-correct": REF, "c-correct": REF}
    for student, source in sources.items():
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(source)
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out",
                           str(tmp_path / "out"), "--jobs", "1", "--timeout", "1", "--seed", "8"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = {s["student"]: s for s in json.loads((tmp_path / "out" / "results.json").read_text())["students"]}
    assert rows["b-correct"]["score"] == 100 and rows["c-correct"]["score"] == 100
    assert rows["a-forger"]["score"] < 100
