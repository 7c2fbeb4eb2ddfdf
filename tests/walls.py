"""Hostile submissions that try the sandbox's walls, and a runner that reports
what each one managed, as plain JSON.

Every attack is written so that success is harmless (a marker file, a
count) and is reported back through the grading channel itself: the probe
function returns what it observed. ``run_walls`` drives one sandboxed
worker through them in order, with correct students after each attack, as
one grading worker would meet them.

Imported by tests/test_sandbox_walls.py, and run as a script (``python
walls.py ISOLATION``) by an ordinary user with Debian's Python and numpy,
so the same walls are shown for a grader that is not root.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

MARK = "walls-marker-5c1f"
SECRET_HEAD, SECRET_TAIL = "classmate-secret-", "q7v3k9z1x8w2"

# The refused system calls a probe tries (x86-64 numbers, all called with zero arguments).
SYSCALLS = {"mount": 165, "umount2": 166, "pivot_root": 155, "unshare": 272, "setns": 308, "ptrace": 101,
            "process_vm_readv": 310, "process_vm_writev": 311, "keyctl": 250, "bpf": 321,
            "perf_event_open": 298, "init_module": 175, "finit_module": 313, "open_by_handle_at": 304,
            "io_uring_setup": 425, "pidfd_getfd": 438, "fsopen": 430, "open_tree": 428,
            "shmget": 29, "semget": 64, "msgget": 68, "mq_open": 240}

SYSCALL_PROBE = f"""
import ctypes, json
def probe():
    libc = ctypes.CDLL(None, use_errno=True)
    found = {{}}
    for name, nr in {SYSCALLS!r}.items():
        ctypes.set_errno(0)
        found[name] = ctypes.get_errno() if libc.syscall(nr, 0, 0, 0, 0, 0, 0) == -1 else 0
    return json.dumps(found)
"""

# Remount every mount point read-write (what a root child without the walls
# could do), then try to leave a marker in each.
REMOUNT = f"""
import ctypes, os, sys
MS_REMOUNT, MS_BIND = 32, 4096
def probe():
    libc = ctypes.CDLL(None, use_errno=True)
    won = []
    targets = [line.split()[4] for line in open("/proc/self/mountinfo")]
    targets += [os.path.dirname(os.__file__), sys.prefix, os.path.dirname(os.path.realpath(sys.executable))]
    for target in targets:
        for flags in (MS_REMOUNT | MS_BIND, MS_REMOUNT):
            if libc.mount(None, target.encode(), None, flags, None) == 0:
                won.append("remounted " + target)
        if target in ("/tmp", "/dev/shm") or target.startswith("/proc"):
            continue                     # the scratch folders are meant to be writable
        try:
            with open(os.path.join(target, {MARK!r}), "w") as fh:
                fh.write("x")
            won.append("wrote " + target)
        except OSError:
            pass
    for base in sys.path:
        try:
            with open(os.path.join(base, "numpy", "__init__.py"), "a") as fh:
                fh.write("# {MARK}")
            won.append("appended to numpy in " + base)
        except OSError:
            pass
    return ";".join(won)
"""

# Kernel settings that a uid which is root outside could change: opened for
# writing only (nothing is written), which already shows the wall is down.
KERNEL_SETTINGS = """
import os
def probe():
    opened = []
    for path in ("/proc/sys/vm/overcommit_ratio", "/proc/sys/kernel/core_pattern", "/proc/sysrq-trigger",
                 "/proc/sys/kernel/shmmax", "/proc/1/mem", "/proc/self/uid_map"):
        try:
            os.close(os.open(path, os.O_WRONLY))
            opened.append(path)
        except OSError:
            pass
    return ";".join(opened)
"""

# What the child can reach of the server: its descriptors and memory through
# /proc, and every descriptor number of its own.
PEEK = """
import os
def probe():
    server = os.getppid()
    reached = []
    for path in ("/proc/%d/mem" % server, "/proc/%d/environ" % server):
        try:
            open(path, "rb").read(1)
            reached.append(path)
        except OSError:
            pass
    try:
        for name in os.listdir("/proc/%d/fd" % server):
            try:
                os.open("/proc/%d/fd/%s" % (server, name), os.O_WRONLY)
                reached.append("server fd " + name)
            except OSError:
                pass
    except OSError:
        pass
    mine = [int(n) for n in os.listdir("/proc/self/fd")]
    return ";".join(reached) + "|" + ",".join(str(n) for n in sorted(mine))
"""

# Write frames that claim to be the server's ("the child ended") and outcomes
# for calls that are not this child's, on every descriptor, then end abruptly.
FORGE = """
import json, os, struct
def frame(obj, tag=b""):
    data = tag + json.dumps(obj).encode()
    return struct.pack(">I", len(data)) + data
def probe():
    lies = [{"type": "exited", "how": "forged", "status": 0},
            {"type": "outcomes", "pos": 0, "items": [{"status": "ok", "value": {"t": "float", "v": 0.0}}] * 3},
            {"type": "done"}]
    blob = b"".join(frame(m) + frame(m, b"S") for m in lies)
    for fd in range(1024):
        try:
            os.write(fd, blob)
        except OSError:
            pass
    os._exit(0)
"""

DEEP_JSON = """
import os, struct
def probe():
    data = b"[" * 100000
    os.write(3, struct.pack(">I", len(data)) + data)
    return 1.0
"""

HUGE_NUMBERS = """
import json, os, struct
def probe():
    item = {"status": "ok", "value": {"t": "int", "v": 1}, "warnings": 1e400, "fp": [], "mutated": [10 ** 400]}
    data = json.dumps({"type": "outcomes", "pos": 0, "items": [item]}).encode()
    os.write(3, struct.pack(">I", len(data)) + data)
    return 1.0
"""

# A classmate's source holds the whole secret; the thief holds only its first
# half and the second half masked, so finding it proves it read classmate memory.
CLASSMATE = f"""
SECRET = "{SECRET_HEAD}{SECRET_TAIL}"
def probe(x):
    return x * 2
"""
MASK = bytes(range(1, len(SECRET_TAIL) + 1))
THIEF = f"""
import ctypes, re
HEAD = {SECRET_HEAD.encode()!r}
MASK = {MASK!r}
MASKED = {bytes(a ^ m for a, m in zip(SECRET_TAIL.encode(), MASK))!r}
def probe():
    found = 0
    with open("/proc/self/maps") as maps:
        regions = [line.split() for line in maps]
    for fields in regions:
        if not fields[1].startswith("r") or (len(fields) > 5 and fields[5].startswith("[v")):
            continue
        start, end = (int(v, 16) for v in fields[0].split("-"))
        chunk = ctypes.string_at(start, end - start)     # read the memory directly
        for hit in re.finditer(re.escape(HEAD), chunk):
            tail = chunk[hit.end():hit.end() + len(MASK)]
            if bytes(a ^ m for a, m in zip(tail, MASK)) == MASKED:
                found += 1
    return found
"""

# The same scan, at import time, for a probe argument: the calls must not be
# in the process while the student's module loads.
EARLY_THIEF = THIEF.replace("def probe():", "def scan():") + """
import os
try:                                   # the calls pipe, if anything is in it yet
    os.set_blocking(4, False)
    EARLY = os.read(4, 1 << 20)
except OSError:
    EARLY = b""
finally:
    os.set_blocking(4, True)
AT_IMPORT = scan() + sum(1 for hit in re.finditer(re.escape(HEAD), EARLY)
                         if bytes(a ^ m for a, m in zip(EARLY[hit.end():hit.end() + len(MASK)], MASK)) == MASKED)
def probe(secret):
    return AT_IMPORT
"""
LATE_THIEF = THIEF.replace("def probe():", "def scan():") + """
def probe(secret):
    return scan()
"""

SCRATCH_FILL = f"""
import os
def probe():
    for folder in ("/tmp", "/dev/shm", os.environ.get("TMPDIR", "/tmp")):
        try:
            open(os.path.join(folder, {MARK!r}), "w").write("x")
        except OSError:
            pass
    written = 0
    block = b"x" * (1 << 20)
    for i in range(400):
        try:
            with open("/dev/shm/fill-%d" % i, "wb") as fh:
                fh.write(block)
            written += len(block)
        except OSError:
            break
    return written
"""
SCRATCH_LOOK = """
import os
def probe():
    seen = []
    for folder in ("/tmp", "/dev/shm", os.environ.get("TMPDIR", "/tmp")):
        try:
            seen += [folder + "/" + name for name in os.listdir(folder)]
        except OSError:
            pass
    return ";".join(sorted(set(seen)))
"""

FORKS = """
import os, time
def probe():
    pids = []
    for _ in range(600):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        pids.append(pid)
    for pid in pids:
        os.kill(pid, 9)
    for pid in pids:
        os.waitpid(pid, 0)
    return len(pids)
"""

# Many processes, each within the per-process memory limit, together far above it.
MEMORY = """
import os, time
def probe():
    pids = []
    for _ in range(12):
        pid = os.fork()
        if pid == 0:
            try:
                block = b"x" * (150 * 1024 * 1024)
                time.sleep(30)
            finally:
                os._exit(0)
        pids.append(pid)
    time.sleep(3)
    alive = sum(1 for pid in pids if os.waitpid(pid, os.WNOHANG) == (0, 0))
    for pid in pids:
        try:
            os.kill(pid, 9)
        except OSError:
            pass
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except OSError:
            pass
    return alive * 150
"""

# The grader's own files and the class folder, and the host's writable places.
def grader_files_probe(paths: list[str]) -> str:
    return f"""
import os
def probe():
    reached = []
    for path in {paths!r}:
        try:
            open(path, "rb").read(1)
            reached.append("read " + path)
        except OSError:
            pass
    for folder in ("/var/tmp", "/run/lock", "/home"):
        try:
            name = os.path.join(folder, {MARK!r})
            open(name, "w").write("x")
            os.unlink(name)
            reached.append("wrote " + folder)
        except OSError:
            pass
    return ";".join(reached)
"""


HONEST = "def probe(x):\n    return x * 2\n"


# Whether the child sees /proc at all (a chroot fallback shows it nothing).
PROC_VISIBLE = """
import os
def probe():
    return "yes" if os.path.exists("/proc/self/status") else ""
"""


def call(*args) -> list[dict]:
    return [{"fn": "probe", "args": [{"t": "py", "v": a} for a in args]}]


def _value(result):
    """The value a one-call run returned, or the reason it did not."""
    outcome = result.outcomes[0] if hasattr(result, "outcomes") else None
    if outcome is None:
        return {"failed": getattr(result, "reason", "?")}
    if outcome.status != "ok":
        return {"status": outcome.status, "message": outcome.error_message}
    return outcome.value.payload


def honest_ok(worker) -> bool:
    """A correct student right after an attack, on the same worker, gets the right answers."""
    result = worker.run(HONEST, call(21) * 3)
    return hasattr(result, "outcomes") and all(o.status == "ok" and o.value.payload == 42 for o in result.outcomes)


@contextlib.contextmanager
def open_worker(isolation: str = "bubblewrap", limits=None, **options):
    """A sandboxed worker (and its runtime), stopped and removed afterwards."""
    from autograder.sandbox import Limits, Runtime, Worker
    runtime = Runtime()
    worker = Worker(runtime, isolation, limits or Limits(call_timeout=5), **options)
    try:
        yield worker
    finally:
        worker.stop()
        runtime.cleanup()


def _class_with_one_student() -> Path:
    """A class folder readable by anyone, not under the scratch /tmp."""
    here = Path(__file__).resolve().parent
    class_dir = Path(tempfile.mkdtemp(prefix="walls-class-", dir=here if os.access(here, os.W_OK) else None))
    (class_dir / "alice").mkdir()
    (class_dir / "alice" / "losses.py").write_text("# alice's work\n")
    for path in (class_dir, class_dir / "alice"):
        path.chmod(0o755)
    (class_dir / "alice" / "losses.py").chmod(0o644)
    return class_dir


def run_walls(isolation: str, limits=None) -> dict:
    """Run every attack on one worker and report what each achieved."""
    from autograder.authoring.single_source import REFERENCE
    from autograder.sandbox import PACKAGE, Limits
    limits = limits or Limits(call_timeout=5, memory_mb=512)
    class_dir = _class_with_one_student()
    secrets = [str(REFERENCE), str(PACKAGE / "checks" / "base.py"), str(class_dir / "alice" / "losses.py")]
    try:
        with open_worker(isolation, limits, hidden=(class_dir,)) as worker:
            report: dict = {"protections": worker.protections, "uid": os.getuid(), "isolation": isolation,
                            "limits": {"processes": limits.processes, "tmpfs_mb": limits.tmpfs_mb,
                                       "cgroup_memory_mb": limits.for_cgroup()["memory"] // 2**20}}
            report["proc_visible"] = _value(worker.run(PROC_VISIBLE, call())) == "yes"
            report["syscalls"] = json.loads(_value(worker.run(SYSCALL_PROBE, call())))
            report["remount"] = _value(worker.run(REMOUNT, call()))
            report["kernel_settings"] = _value(worker.run(KERNEL_SETTINGS, call()))
            report["grader_files"] = _value(worker.run(grader_files_probe(secrets), call()))
            report["honest_after_remount"] = honest_ok(worker)
            report["peek"] = _value(worker.run(PEEK, call()))
            report["forge"] = _value(worker.run(FORGE, call()))
            report["honest_after_forge"] = honest_ok(worker)
            report["deep_json"] = _value(worker.run(DEEP_JSON, call()))
            report["honest_after_deep_json"] = honest_ok(worker)
            report["huge_numbers"] = _value(worker.run(HUGE_NUMBERS, call()))
            report["honest_after_huge_numbers"] = honest_ok(worker)
            report["own_copies"] = _value(worker.run(CLASSMATE + THIEF, call()))   # the thief works
            worker.run(CLASSMATE, call(1))
            report["classmate_copies"] = _value(worker.run(THIEF, call()))
            secret_call = call(SECRET_HEAD + SECRET_TAIL)
            report["probe_copies_at_import"] = _value(worker.run(EARLY_THIEF, secret_call))
            report["probe_copies_in_call"] = _value(worker.run(LATE_THIEF, secret_call))   # the scan works
            report["scratch_written"] = _value(worker.run(SCRATCH_FILL, call()))
            report["scratch_seen_after"] = _value(worker.run(SCRATCH_LOOK, call()))
            report["forks"] = _value(worker.run(FORKS, call()))
            report["honest_after_forks"] = honest_ok(worker)
            report["memory_held_mb"] = _value(worker.run(MEMORY, call()))
            report["honest_after_memory"] = honest_ok(worker)
    finally:
        shutil.rmtree(class_dir, ignore_errors=True)
    return report


if __name__ == "__main__":      # as an ordinary user: python walls.py ISOLATION
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    os.environ.setdefault("TMPDIR", "/tmp")
    print(json.dumps(run_walls(sys.argv[1])))

# Blame the grader: a frame that claims the sandbox itself failed, sent by student code.
BLAME_THE_GRADER = """
import json, os, struct
data = json.dumps({"type": "internal-error", "reason": "the grader is broken"}).encode()
os.write(3, struct.pack(">I", len(data)) + data)
def probe():
    return 1.0
"""
