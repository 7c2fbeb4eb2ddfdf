"""The sandbox's promises (docs/security.md), each shown by an attack.

``walls.run_walls`` drives one worker through hostile submissions, with a
correct student after each; here every finding is checked, for bubblewrap
and for the plain-process fallback, as the user running the tests (root in
CI) and, when that is root, again as an ordinary user (nobody, with
Debian's Python and numpy, which scripts/system-deps.sh installs).
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy
import pytest
import walls

from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.classrun.errors import ErrorKind
from autograder.sandbox import SERVER_TASKS, Limits, bwrap_works

ROOT = os.geteuid() == 0
SYSTEM_PYTHON = "/usr/bin/python3"
HOST_FILES = [Path(numpy.__file__), Path(os.path.realpath(sys.executable))]


def digest(paths) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def markers_on_host(name: str) -> list[str]:
    """Every file called ``name`` where a sandbox could have reached."""
    roots = {"/usr", "/tmp", "/dev/shm", "/etc", str(Path(sys.base_prefix).resolve()),
             str(Path(numpy.__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent)}
    found = subprocess.run(["find", *sorted(roots), "-xdev", "-name", name], capture_output=True, text=True)
    return found.stdout.split()


def run_as_nobody(isolation: str) -> dict:
    """The same attacks, with the grader run by an ordinary user."""
    folder = Path(tempfile.mkdtemp(prefix="walls-nobody-"))
    try:
        shutil.copytree(Path(__file__).resolve().parent.parent / "autograder", folder / "autograder",
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(Path(walls.__file__), folder / "walls.py")
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        done = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                               SYSTEM_PYTHON, str(folder / "walls.py"), isolation],
                              capture_output=True, text=True, timeout=300, cwd="/",
                              env={"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp", "LANG": "C.UTF-8"})
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_without_sys_admin(isolation: str) -> dict:
    """The same attacks, with the grader run by a root that may not make
    namespaces (Docker's default capabilities, as in Gradescope's containers)."""
    walls_py = Path(walls.__file__).resolve()
    capsh = shutil.which("capsh", path="/usr/sbin:/sbin:/usr/bin:/bin")
    assert capsh, "capsh (libcap2-bin, scripts/system-deps.sh)"
    done = subprocess.run([capsh, "--drop=cap_sys_admin", "--", "-c",
                           f"exec {sys.executable} {walls_py} {isolation}"],
                          capture_output=True, text=True, timeout=300, cwd="/",
                          env={"PATH": "/usr/bin:/bin", "TMPDIR": "/tmp", "LANG": "C.UTF-8"})
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


CONFIGURATIONS = [("self", "bubblewrap"), ("self", "process")] + (
    [("nobody", "bubblewrap"), ("root-without-sys-admin", "process")] if ROOT else [])


@pytest.fixture(scope="module", params=CONFIGURATIONS, ids=lambda c: f"{c[0]}-{c[1]}")
def report(request):
    who, isolation = request.param
    assert bwrap_works(), "bubblewrap must work here (scripts/system-deps.sh installs it)"
    if who == "nobody":
        assert Path(SYSTEM_PYTHON).exists(), "Debian's python3 and python3-numpy (scripts/system-deps.sh)"
        return run_as_nobody(isolation)
    if who == "root-without-sys-admin":
        found = run_without_sys_admin(isolation)
        assert found["protections"]["host_files_hidden_by"] == "chroot"
        return found
    before = digest(HOST_FILES)
    found = walls.run_walls(isolation)
    found["host_changed"] = before != digest(HOST_FILES)
    found["markers"] = markers_on_host(walls.MARK)
    return found


def impossible(report, value) -> bool:
    """The attack could not even start: the child sees no /proc (chroot)."""
    return (not report["proc_visible"] and isinstance(value, dict)
            and "/proc" in str(value.get("message", "")) and value.get("status") == "raised")


def test_the_child_has_no_privilege(report):
    p = report["protections"]
    assert p["uid"] != 0 and int(p["capabilities"], 16) == 0
    assert p["no_new_privs"] and p["seccomp"] and p["mount_refused"] and p["userns_refused"]
    assert p["kernel_settings_refused"]
    assert p["private_tmp"], "the scratch folders must be private to the sandbox"


def test_every_refused_system_call_fails_with_eperm_inside(report):
    assert report["syscalls"] == {name: errno.EPERM for name in walls.SYSCALLS}


def test_remounting_the_read_only_views_fails_and_nothing_is_written(report):
    assert report["remount"] == "" or impossible(report, report["remount"])
    assert report["honest_after_remount"]
    assert not report.get("markers"), report.get("markers")
    assert not report.get("host_changed")


def test_the_graders_files_and_the_class_cannot_be_read_and_the_host_not_written(report):
    assert report["grader_files"] == ""
    assert report["protections"]["host_writable"] == []


def test_kernel_settings_and_foreign_memory_cannot_be_opened_for_writing(report):
    """A uid that is root outside (bubblewrap started by root) could otherwise
    write root-owned files under /proc/sys, such as core_pattern."""
    assert report["kernel_settings"] == ""


def test_the_child_cannot_reach_the_server_or_its_channels(report):
    if impossible(report, report["peek"]):
        return
    reached, descriptors = report["peek"].split("|")
    assert reached == ""
    assert set(map(int, descriptors.split(","))) <= {0, 1, 2, 3, 4, 5}    # 5: the listing itself


@pytest.mark.parametrize("attack", ["forge", "deep_json", "huge_numbers", "remount", "forks", "memory"])
def test_a_correct_student_after_an_attack_gets_the_right_answers(report, attack):
    assert report[f"honest_after_{attack}"] is True


def test_forged_and_unreadable_frames_count_against_the_sender_only(report):
    assert report["forge"]["status"] == "crashed"
    assert report["deep_json"]["status"] == "crashed"
    assert report["huge_numbers"]["status"] == "bad-output"


def test_no_classmate_source_survives_in_the_fork_server(report):
    if impossible(report, report["own_copies"]):          # no /proc/self/mem to scan
        assert impossible(report, report["classmate_copies"])
        return
    assert report["own_copies"] >= 1, "the memory scan must find a secret that is there"
    assert report["classmate_copies"] == 0


def test_the_probe_calls_are_not_in_the_child_while_the_submission_loads(report):
    """What a module sees at import it could spell into its load error."""
    if impossible(report, report["probe_copies_in_call"]):          # no /proc/self/mem to scan
        assert report["probe_copies_at_import"] == 0 or impossible(report, report["probe_copies_at_import"]) \
            or "load" in str(report["probe_copies_at_import"])
        return
    assert report["probe_copies_in_call"] >= 1
    assert report["probe_copies_at_import"] == 0


def test_scratch_space_is_bounded_and_fresh_for_each_student(report):
    assert report["scratch_written"] <= report["limits"]["tmpfs_mb"] * 1024 * 1024
    assert report["scratch_seen_after"] == ""


def test_processes_are_capped_whoever_runs_the_grader(report):
    assert report["protections"]["process_cap"] in ("cgroup", "rlimit")
    assert report["forks"] <= report["limits"]["processes"] + SERVER_TASKS
    assert report["honest_after_forks"]


# ---------------------------------------------------------------- budgets

HANGING = [f"f{i}" for i in range(8)]
HANGS = "import time\n" + "".join(f"def {fn}(x):\n    time.sleep(100)\n" for fn in HANGING)


def test_one_wall_clock_budget_covers_every_run_of_a_submission():
    limits = Limits(call_timeout=0.5, load_timeout=2, submission_timeout=3)
    with walls.open_worker("bubblewrap", limits) as worker:
        calls = [{"fn": fn, "args": [{"t": "py", "v": 1}]} for fn in HANGING]
        started = time.monotonic()
        deadline = started + limits.submission_timeout
        probes = worker.run(HANGS, calls, deadline=deadline)
        sweeps = worker.run(HANGS, calls[:1], deadline=deadline)      # what the feedback plots would run
        elapsed = time.monotonic() - started
    assert all(o.status == "timeout" for o in probes.outcomes + sweeps.outcomes)
    assert sweeps.outcomes[0].error_message == "the submission's time limit was reached"
    # the budget, plus at most one call's kill and restart beyond it
    assert elapsed < limits.submission_timeout + 6, elapsed


BIG_RESULTS = "import numpy as np\ndef probe():\n    return np.zeros(600_000)\n"   # each under the frame cap


def test_what_a_submission_sends_back_is_bounded_in_total():
    """Each result is under the frame cap; together they would fill the grader's memory."""
    from autograder.sandbox import MAX_RESULT_BYTES
    with walls.open_worker("bubblewrap", Limits(call_timeout=5)) as worker:
        result = worker.run(BIG_RESULTS, walls.call() * 40)
        assert walls.honest_ok(worker)
    received = [o for o in result.outcomes if o.status == "ok"]
    assert len(received) * 600_000 * 8 <= MAX_RESULT_BYTES
    assert any("results exceeded" in o.error_message for o in result.outcomes)


def test_the_feedback_sweeps_run_in_a_fork_that_never_saw_the_probes():
    """A function that keeps what it is given (to draw the hidden probes into
    its curve) starts the sweeps with nothing kept."""
    from autograder.classrun.engine import GradeOptions, Grader
    from autograder.classrun.submissions import Submission
    from autograder.grading.probes import make_probes
    keeper = REF + "\nSEEN = []\ndef mse(y_hat, y):\n    SEEN.append(1)\n    return float(len(SEEN))\n"
    folder = Path(tempfile.mkdtemp())
    (folder / "losses.py").write_text(keeper)
    grader = Grader(GradeOptions(folder, folder / "out"), "bubblewrap", make_probes(3))
    worker = grader.new_worker(0)
    try:
        record, curves = grader.grade_submission(Submission("keeper", folder, folder / "losses.py"), worker)
    finally:
        worker.stop()
        grader.close()
        shutil.rmtree(folder)
    mse_curves = [c for c in curves.values() if c.function == "mse"]
    assert record.functions["mse"].score < record.functions["mse"].max_score
    assert mse_curves and min(v for v in mse_curves[0].student if v is not None) == 1.0


# ---------------------------------------------------------------- a whole class

REF = strip_markers(REFERENCE.read_text())
ATTACKER = REF + f'''
import ctypes, json, os, struct
_libc = ctypes.CDLL(None, use_errno=True)
for _line in open("/proc/self/mountinfo"):
    _target = _line.split()[4].encode()
    _libc.mount(None, _target, None, 32 | 4096, None)
    try:
        open(os.path.join(_target.decode(), {walls.MARK!r}), "w").write("x")
    except OSError:
        pass
for _folder in ("/tmp", "/dev/shm"):
    open(os.path.join(_folder, {walls.MARK!r}), "w").write("x")

def _frame(obj, tag=b""):
    data = tag + json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data

_real_mse = mse
def mse(y_hat, y):
    lie = _frame({{"type": "exited", "how": "forged", "status": 0}}, b"S")
    zeros = _frame({{"type": "outcomes", "pos": 0, "items": [{{"status": "ok", "value": {{"t": "float", "v": 0.0}}}}]}})
    for fd in range(64):
        try:
            os.write(fd, lie + zeros + lie)
        except OSError:
            pass
    return _real_mse(y_hat, y)
'''
LOOKER = REF + '''
import os
if os.listdir("/tmp") or os.listdir("/dev/shm"):
    def mse(y_hat, y):
        return -1.0
'''


def grade(class_dir: Path, out_dir: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out", str(out_dir),
                           "--jobs", "1", "--timeout", "2", "--seed", "11", "--require-sandbox", "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads((out_dir / "results.json").read_text())


def test_students_after_an_attacker_in_the_same_worker_are_graded_right(tmp_path):
    class_dir, out_dir = tmp_path / "class", tmp_path / "out"
    students = {"a-attacker": ATTACKER, "b-correct": REF, "c-looks-for-leftovers": LOOKER,
                "d-stub": (Path(__file__).resolve().parent.parent / "exercises" / "losses.py").read_text()}
    for student, source in students.items():
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(source)
    before = digest(HOST_FILES)
    for attempt in ("first run", "resumed run"):
        results = grade(class_dir, out_dir)
        scores = {s["student"]: s["score"] for s in results["students"]}
        assert set(scores) == set(students), attempt
        assert scores["b-correct"] == results["max_score"], attempt
        assert scores["c-looks-for-leftovers"] == results["max_score"], attempt
        assert scores["d-stub"] < 10, attempt
    protections = results["meta"]["protections"] or grade(class_dir, tmp_path / "again")["meta"]["protections"]
    assert protections["seccomp"] and protections["mount_refused"]
    assert before == digest(HOST_FILES)
    assert markers_on_host(walls.MARK) == []


def test_memory_is_capped_for_the_whole_sandbox_where_a_cgroup_can_be_made(report):
    """With a memory cgroup (a root grader), many processes together stay under
    the worker's cap; without one (an ordinary user), the record says so, and
    only the per-process limit holds."""
    held, cap = report["memory_held_mb"], report["limits"]["cgroup_memory_mb"]
    if "memory" in report["protections"]["cgroups"]:
        assert held <= cap
    else:
        assert not ROOT or report["uid"] != 0
        assert held > cap, "without a memory cgroup the processes together exceed it (the documented gap)"
    assert report["honest_after_memory"]


SIGNAL_EVERYONE = "import os, signal\ndef probe():\n    os.kill(-1, signal.SIGKILL)\n    return 1.0\n"
SLOW_HONEST = "import time\ndef probe(x):\n    time.sleep(2)\n    return x * 2\n"


@pytest.mark.parametrize("isolation", ["bubblewrap", "process"])
def test_a_child_cannot_signal_another_workers_child(isolation):
    """kill(-1) reaches every process the sender may signal: in bubblewrap
    only its own sandbox; outside it, only its own worker's uid."""
    limits = Limits(call_timeout=10)
    with walls.open_worker(isolation, limits, slot=0) as attacker, \
            walls.open_worker(isolation, limits, slot=1) as neighbour:
        result: dict = {}
        thread = threading.Thread(target=lambda: result.update(run=neighbour.run(SLOW_HONEST, walls.call(21))))
        thread.start()
        time.sleep(1.0)                  # the neighbour's child is now inside its call
        attacker.run(SIGNAL_EVERYONE, walls.call())
        thread.join()
    outcome = result["run"].outcomes[0]
    assert (outcome.status, outcome.value.payload if outcome.value else None) == ("ok", 42)


def test_a_child_that_did_not_end_cleanly_leaves_a_fresh_worker_for_the_next_student():
    with walls.open_worker("bubblewrap", Limits(call_timeout=5)) as worker:
        first = worker.proc.pid
        worker.run(walls.HONEST, walls.call(1))
        assert worker.proc.pid == first, "a clean child keeps the worker"
        worker.run("import os, signal\ndef probe(x):\n    os.kill(os.getpid(), signal.SIGKILL)\n", walls.call(1))
        assert walls.honest_ok(worker)
        assert worker.proc.pid != first


def test_student_code_cannot_pass_its_failure_off_as_the_graders():
    with walls.open_worker("bubblewrap", Limits(call_timeout=5)) as worker:
        result = worker.run(walls.BLAME_THE_GRADER, walls.call())       # no InfrastructureError: the student's row
        assert "broke the grading channel" in result.reason and result.kind is ErrorKind.BROKE_CHANNEL
        assert walls.honest_ok(worker)


def test_a_result_over_the_frame_limit_is_named_as_such():
    with walls.open_worker("bubblewrap", Limits(call_timeout=5)) as worker:
        result = worker.run("import numpy as np\ndef probe():\n    return np.zeros(900_000)\n", walls.call())
        assert walls.honest_ok(worker)
    assert "larger than the 8 MiB limit" in result.outcomes[0].error_message


def test_what_a_killed_grader_left_is_removed_by_the_next(tmp_path):
    from autograder.sandbox import sweep_stale
    dead, alive = tmp_path / "autograder-runtime-999999999-x1", tmp_path / f"autograder-scratch-{os.getpid()}-x2"
    for folder in (dead, alive):
        (folder / "runtime").mkdir(parents=True)
    sweep_stale(tmp_path)
    assert not dead.exists() and alive.exists()
