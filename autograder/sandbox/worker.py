"""Sandboxed workers: where student code runs, and only there.

A ``Worker`` is one long-lived fork server (``runtime/server.py``) started in a
bubblewrap sandbox when bwrap works on this machine: no network, its own
user (uid nobody, no capability, no further user namespace), PID, IPC, UTS
and mount namespaces, a cleared environment, size-limited /tmp and /dev/shm,
and a read-only view of only the Python interpreter, numpy and the runtime
files; where cgroups can be made, the tasks and memory of the whole sandbox
are capped. Neither the solutions, the hidden checks, the class folder nor
the output folder exist in there: the submission's source arrives over the
pipe. Without bwrap the same server runs as a plain child process with the
same limits (and, as root, the same privilege drop and private scratch
mounts); the isolation level and the protections the server's self-check
found are recorded with every run. The promises and their tests:
docs/security.md.

``Worker.run`` sends a submission and its probe calls and collects one
outcome per call under a per-call and a per-submission deadline. A call that
hangs is killed and recorded as a timeout, a call that ends the process is
recorded as a crash; the rest of the calls go on in a fresh fork, so one
misbehaving function costs only its own points.
"""
from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy

from autograder.authoring.single_source import REFERENCE, ROOT
from autograder.classrun.errors import ErrorKind
from autograder.grading.outcomes import Outcome
from autograder.sandbox.cgroups import WorkerCgroup
from autograder.sandbox.runtime import caps, protocol
from autograder.sandbox.runtime.protocol import Kind, Op

PACKAGE = Path(__file__).resolve().parent.parent        # the autograder package
RUNTIME = Path(__file__).resolve().parent / "runtime"    # exactly the files copied into the sandbox
# what a submission must never read: this package (the hidden checks, the
# catalogue), the reference solutions and the notebooks with hidden tests
GRADER_FOLDERS = (PACKAGE, REFERENCE.resolve().parent, ROOT / "source")
CHUNK = 64            # outcomes per frame while nothing goes wrong
NOBODY = 65534        # the uid and gid inside the sandbox
MAX_SLOTS = 256       # distinct child uids outside bubblewrap: NOBODY, NOBODY - 1, ...
SHARED_LIBRARY_CONFIG = ("/etc/ld.so.cache", "/etc/alternatives")
PROC_COVERED = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs")
SEND_TIMEOUT = 10.0    # seconds for the server to take a request (it is stuck if not)
MAX_RESULT_BYTES = 64 * 1024 * 1024   # what one submission may send back in all: the grader holds it
GATE = 'read -r _; exec "$@" </dev/null'   # the launcher waits (on stdin) until the grader has set its cgroups
SERVER_TASKS = 16     # bwrap, the server and its threads, on top of the submission's processes
SERVER_MEMORY_MB = 256  # bwrap and the server with numpy loaded, on top of the submission's memory
RUNTIME_FILES = tuple(sorted(p.name for p in RUNTIME.glob("*.py") if p.name != "__init__.py"))
BOOT = """import sys
sys.path[:0] = [{site!r}, {runtime!r}]
from sandbox_rt.server import main
main()
"""


class SandboxUnavailable(RuntimeError):
    pass


class InfrastructureError(RuntimeError):
    """The grader's own machinery failed (not the student's code): retry."""


@dataclass
class Limits:
    """Every limit a submission runs under, in one place."""
    call_timeout: float = 5.0          # wall-clock seconds per call
    load_timeout: float = 10.0         # wall-clock seconds to load (import) the submission
    submission_timeout: float = 60.0   # wall-clock seconds for the whole submission: load, probes and sweeps
    memory_mb: int = 1024              # address space of each process of the submission
    cpu_seconds: int = 60
    processes: int = 256               # tasks the submission may run at once
    file_size_mb: int = 16             # largest file a child may write (RLIMIT_FSIZE)
    open_files: int = 64               # descriptors a child may hold (RLIMIT_NOFILE)

    @classmethod
    def from_timeout(cls, call_timeout: float, memory_mb: int) -> Limits:
        """The limits for one per-call timeout: loading gets twice as long (at
        least 5 s), the whole submission twenty times (at least 60 s)."""
        budget = max(60.0, 20 * call_timeout)
        return cls(call_timeout=call_timeout, load_timeout=max(2 * call_timeout, 5.0),
                   submission_timeout=budget, memory_mb=memory_mb, cpu_seconds=int(budget))

    @property
    def tmpfs_mb(self) -> int:
        """Size of each RAM-backed scratch folder (/tmp, /dev/shm): an eighth of the memory limit."""
        return max(8, self.memory_mb // 8)

    def for_cgroup(self) -> dict[str, int]:
        """Caps on the worker's whole sandbox: its tasks, and its memory with the
        scratch tmpfs and the server's own share on top of one child's limit."""
        memory_mb = self.memory_mb + 2 * self.tmpfs_mb + SERVER_MEMORY_MB
        return {"pids": self.processes + SERVER_TASKS, "memory": memory_mb * 1024 * 1024}

    def for_server(self, isolation: Isolation, workdir: str, slot: int = 0, hidden: tuple[str, ...] = ()) -> dict:
        """What the fork server applies to every child (see runtime.server.confine).
        Outside bubblewrap, a root server's children take a uid of their
        worker's own (nobody for the first, then the uids below it), so no
        child can signal another worker's."""
        return {"memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds, "processes": self.processes,
                "file_size_mb": self.file_size_mb, "open_files": self.open_files,
                "tmpfs_mb": self.tmpfs_mb, "workdir": workdir, "child_uid": NOBODY - slot % MAX_SLOTS,
                "hidden": list(hidden),
                "user_namespace": isolation == Isolation.BUBBLEWRAP,
                "private_mounts": isolation != Isolation.BUBBLEWRAP and os.geteuid() == 0}


class Isolation(str, Enum):
    """Where student code ran: the value recorded in every row and in results.json's meta."""

    BUBBLEWRAP = "bubblewrap"          # bubblewrap namespaces around the fork server
    PROCESS = "process"                # plain child processes with OS limits (no bubblewrap here)
    TRUSTED = "none (in-process, trusted code)"   # the reference, the catalogue, tests: never student code


@dataclass
class LoadFailure:
    """The submission could not even be loaded: one error row with this
    reason and this kind, which the grader decides (``_collect``)."""
    reason: str
    kind: ErrorKind


# What a child's load-error frame may say about its cause (its runtime sets it
# from the class of what the module raised: ``server._load``). It is the word
# of a process the student's code ran in, so it can only choose among these,
# each a kind that code could earn anyway by raising the matching exception;
# anything else is RAISED_AT_LOAD.
LOAD_CAUSES = {"syntax": ErrorKind.SYNTAX, "import": ErrorKind.IMPORT_MISSING, "exit": ErrorKind.EXIT_AT_LOAD,
               "memory": ErrorKind.MEMORY, "raised": ErrorKind.RAISED_AT_LOAD}


def load_cause(body: dict) -> ErrorKind:
    """The kind of a load-error frame (``LOAD_CAUSES``); its reason is never read for it."""
    cause = body.get("cause")
    return LOAD_CAUSES.get(cause, ErrorKind.RAISED_AT_LOAD) if isinstance(cause, str) else ErrorKind.RAISED_AT_LOAD


def ended_while_loading(status) -> ErrorKind:
    """How a child that ended before it loaded ended, from the wait status
    the server saw (not from anything the child said)."""
    if not isinstance(status, int) or isinstance(status, bool):
        return ErrorKind.CRASHED
    if os.WIFEXITED(status):
        return ErrorKind.EXIT_AT_LOAD          # os._exit() at the top level
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig == signal.SIGXCPU:
            return ErrorKind.TIMEOUT
        if sig in (signal.SIGKILL, signal.SIGXFSZ):     # the memory cgroup, RLIMIT_CPU's hard limit, the server
            return ErrorKind.LIMIT
    return ErrorKind.CRASHED


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)     # one per call, in order


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


@functools.cache
def _bwrap_accepts(*options: str) -> bool:
    path = bwrap_path()
    return path is not None and subprocess.run(
        [path, "--ro-bind", "/", "/", *options, "--die-with-parent", "true"],
        capture_output=True, timeout=30).returncode == 0


def bwrap_works() -> bool:
    """bwrap is installed *and* can create its namespaces, its own user
    namespace included, here."""
    return _bwrap_accepts("--unshare-all", "--unshare-user")


# Options of newer bubblewraps (0.8): used where this one has them. Without
# them nested user namespaces are still refused by the seccomp filter, and
# the tmpfs are bounded only by the worker's memory cgroup.
DISABLE_USERNS = ("--unshare-user", "--disable-userns")
SIZED_TMPFS = ("--size", "1048576", "--tmpfs", "/tmp")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale(folder: Path) -> None:
    """Remove the runtime and scratch folders of graders that were killed
    (``kill -9`` leaves them): their names carry the grader's pid."""
    for path in folder.glob("autograder-[rs]*-*-*"):
        parts = path.name.split("-")
        if parts[1] in ("runtime", "scratch") and parts[2].isdigit() and not pid_alive(int(parts[2])):
            shutil.rmtree(path, ignore_errors=True)


class Runtime:
    """The files the sandbox may see, laid out in a private temporary folder."""

    def __init__(self):
        sweep_stale(Path(tempfile.gettempdir()))
        self.root = Path(tempfile.mkdtemp(prefix=f"autograder-runtime-{os.getpid()}-"))
        package = self.root / "runtime" / "sandbox_rt"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        for name in RUNTIME_FILES:
            shutil.copy2(RUNTIME / name, package / name)
        numpy_dir = Path(numpy.__file__).resolve().parent
        self.site_parts = [numpy_dir] + [p for p in (numpy_dir.parent / "numpy.libs",) if p.exists()]
        self.python = Path(os.path.realpath(sys.executable))
        self.prefix = Path(os.path.realpath(sys.base_prefix))

    def boot_script(self, site: str, runtime: str) -> str:
        path = self.root / "runtime" / "boot.py"
        path.write_text(BOOT.format(site=site, runtime=runtime))
        return str(path)

    def cleanup(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _env() -> dict:
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "PYTHONDONTWRITEBYTECODE": "1"}


def bwrap_command(runtime: Runtime, fds: tuple[int, int], limits: Limits) -> list[str]:
    """The sandbox: its own user namespace where it is nobody with no
    capability and may not make another, no network, read-only views of
    the interpreter and numpy, size-limited scratch tmpfs, a read-only root,
    /dev and /proc, and the fork server as its PID 1 (no other process there
    that the child could write into).

    Started by root, bubblewrap maps the sandbox's nobody to root outside,
    and the kernel still treats it as root wherever it checks the uid rather
    than a capability: the root-owned files under /proc/sys, sysrq, and the
    like. Hence /proc read-only (and those covered again), and the process
    cap by cgroup, since RLIMIT_NPROC does not count root's processes."""
    site, rt = "/sandbox/site", "/sandbox/runtime"
    size = ["--size", str(limits.tmpfs_mb * 1024 * 1024)] if _bwrap_accepts(*SIZED_TMPFS) else []
    no_userns = ["--disable-userns"] if _bwrap_accepts(*DISABLE_USERNS) else []
    bwrap = bwrap_path()
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    cmd = [bwrap, "--unshare-all", "--unshare-user", "--uid", str(NOBODY), "--gid", str(NOBODY),
           *no_userns, "--cap-drop", "ALL", "--die-with-parent", "--new-session", "--as-pid-1", "--clearenv",
           "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
           "--symlink", "usr/bin", "/bin",
           "--ro-bind", str(runtime.prefix), str(runtime.prefix)]
    for shared in SHARED_LIBRARY_CONFIG:       # Debian's BLAS is found through these
        cmd += ["--ro-bind-try", shared, shared]
    site_packages = runtime.prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    if site_packages.is_dir():
        cmd += ["--tmpfs", str(site_packages), "--remount-ro", str(site_packages)]   # hide what is installed there
    for part in runtime.site_parts:
        cmd += ["--ro-bind", str(part), f"{site}/{part.name}"]
    cmd += ["--ro-bind", str(runtime.root / "runtime"), rt, "--proc", "/proc"]
    for covered in PROC_COVERED:               # writable to a uid that is root outside
        cmd += ["--ro-bind-try", covered, covered]
    cmd += ["--remount-ro", "/proc"]
    cmd += ["--dev", "/dev", *size, "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
            *size, "--tmpfs", "/tmp", "--remount-ro", "/", "--chdir", "/tmp"]
    for key, value in dict(_env(), AUTOGRADER_IN_SANDBOX="1").items():
        cmd += ["--setenv", key, value]
    runtime.boot_script(site, rt)
    server_limits = json.dumps(limits.for_server(Isolation.BUBBLEWRAP, "/tmp"))
    cmd += [str(runtime.python), "-S", "-B", f"{rt}/boot.py", str(fds[0]), str(fds[1]), server_limits]
    return cmd


def plain_command(runtime: Runtime, fds: tuple[int, int], limits: Limits, workdir: str, slot: int,
                  hidden: tuple[str, ...]) -> list[str]:
    site = runtime.root / "site"
    site.mkdir(exist_ok=True)
    for part in runtime.site_parts:
        link = site / part.name
        if not link.exists():
            link.symlink_to(part)
    boot = runtime.boot_script(str(site), str(runtime.root / "runtime"))
    server_limits = json.dumps(limits.for_server(Isolation.PROCESS, workdir, slot, hidden))
    return [str(runtime.python), "-S", "-B", boot, str(fds[0]), str(fds[1]), server_limits]


class ChannelBroken(Exception):
    """The child sent something that is not a frame of the protocol."""


class Worker:
    """One sandboxed fork server and the pipes to it."""

    def __init__(self, runtime: Runtime, isolation: Isolation, limits: Limits, slot: int = 0,
                 hidden: tuple[Path, ...] = ()):
        """``hidden``: folders the submission must not see besides the grader's
        own (bubblewrap shows nothing it is not given; outside it, a root
        server covers them in each child's mount namespace)."""
        self.runtime, self.isolation, self.limits, self.slot = runtime, Isolation(isolation), limits, slot
        self.hidden = tuple(str(p) for p in (*GRADER_FOLDERS, *hidden))
        self.proc: subprocess.Popen | None = None
        self.cgroup: WorkerCgroup | None = None
        self.protections: dict = {}
        self.tainted = False        # the last child did not end cleanly: restart before the next
        self.result_bytes = 0       # what the current run has sent back (MAX_RESULT_BYTES)
        self.deadline = 0.0         # the current submission's wall-clock budget ends here
        self.serve = None           # the current run's answerer of helper requests (``carry``)
        self.start()

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        gate_r, gate_w = os.pipe()
        if self.isolation == Isolation.BUBBLEWRAP:
            workdir = "/tmp"                      # the sandbox's own private tmpfs
            command = bwrap_command(self.runtime, (req_r, res_w), self.limits)
        else:
            workdir = tempfile.mkdtemp(prefix=f"autograder-scratch-{os.getpid()}-")
            os.chmod(workdir, 0o777)              # the child runs as nobody
            command = plain_command(self.runtime, (req_r, res_w), self.limits, workdir, self.slot, self.hidden)
        self.workdir = workdir
        self.cgroup = WorkerCgroup.create(self.limits.for_cgroup())
        try:
            self.proc = subprocess.Popen(["/bin/sh", "-c", GATE, "sh", *command], pass_fds=(req_r, res_w),
                                         stdin=gate_r, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=_env(), cwd=workdir,
                                         start_new_session=True)
            self._before_it_starts(self.proc.pid)
            os.write(gate_w, b"\n")
        finally:
            for fd in (req_r, res_w, gate_r, gate_w):
                os.close(fd)
        os.set_blocking(req_w, False)          # every send has a deadline (protocol.send_before)
        self.req_w, self.reader = req_w, protocol.Reader(res_r)
        try:
            hello = self.reader.recv(deadline=time.monotonic() + 60)
        except protocol.ProtocolError as exc:
            self.stop()
            raise InfrastructureError(f"the {self.isolation.value} worker did not start: {exc}") from None
        if not (hello.from_server and hello.kind == Kind.READY):
            self.stop()
            raise InfrastructureError("the worker sent an unexpected greeting")
        self.protections = dict(hello.body.get("protections") or {},
                                cgroups=self.cgroup.controllers if self.cgroup else [])
        # the uid the submission's processes have outside: bubblewrap maps
        # nobody to whoever started it; outside it, a root server's child drops
        host_uid = os.geteuid()
        if self.isolation != Isolation.BUBBLEWRAP and host_uid == 0:
            host_uid = self.limits.for_server(self.isolation, self.workdir, self.slot)["child_uid"]
        self.protections["host_uid"] = host_uid
        self.protections["process_cap"] = ("cgroup" if "pids" in self.protections["cgroups"]
                                           else "rlimit" if host_uid != 0 else "none")
        if self.isolation == Isolation.BUBBLEWRAP:
            self.protections["tmpfs_size_limited"] = _bwrap_accepts(*SIZED_TMPFS)
        if "error" in self.protections:
            self.stop()
            raise InfrastructureError(f"the sandbox could not confine a child: {self.protections['error']}")

    def _before_it_starts(self, pid: int) -> None:
        """While the launcher waits at its gate: into the worker's cgroups, and
        first in line for the OOM killer (everything it starts inherits that)."""
        if self.cgroup is not None:
            self.cgroup.add(pid)
        try:
            Path(f"/proc/{pid}/oom_score_adj").write_text("1000")
        except OSError:
            pass

    def stop(self) -> None:
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except OSError:
                pass
            self.proc.wait()
            self.proc = None
        for fd in (getattr(self, "req_w", None), getattr(getattr(self, "reader", None), "fd", None)):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.req_w = -1
        if self.cgroup is not None:
            self.cgroup.remove()
            self.cgroup = None
        if self.isolation != Isolation.BUBBLEWRAP and getattr(self, "workdir", None):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self) -> None:
        self.tainted = False
        self.stop()
        self.start()

    # ------------------------------------------------------------ grading

    def _send_run(self, source: str, calls_json: str, start: int, skip: list[int], chunk: int) -> None:
        """The run request: its settings and source, then the calls, which the
        server hands the child only once the student's module has loaded."""
        calls = calls_json.encode("utf-8")
        payload = json.dumps({"source": source, "start": start, "skip": skip, "chunk": chunk,
                              "calls_size": len(calls), "flush_after": self.limits.call_timeout / 4,
                              "workdir": self.workdir}).encode("utf-8")
        try:
            deadline = time.monotonic() + SEND_TIMEOUT
            protocol.send_before(self.req_w, {"op": Op.RUN, "size": len(payload), "calls_size": len(calls),
                                              "workdir": self.workdir}, deadline)
            protocol.write_all(self.req_w, payload, deadline)
            protocol.write_all(self.req_w, calls, deadline)
        except (protocol.ProtocolError, OSError) as exc:
            raise InfrastructureError(f"the worker did not take the submission ({exc})") from None

    def _kill_child(self) -> bool:
        """Ask the server to kill the running child; False if it did not answer."""
        try:
            protocol.send_before(self.req_w, {"op": Op.KILL}, time.monotonic() + SEND_TIMEOUT)
            deadline = time.monotonic() + 5
            while True:
                if self._ended(self.reader.recv(deadline=deadline)):
                    return True
        except (protocol.ProtocolError, OSError):
            return False

    def run(self, source: str, calls: list[dict], calls_json: str | None = None,
            deadline: float | None = None, serve=None) -> RunResult | LoadFailure:
        """Load ``source`` in a fresh fork and run ``calls``, within ``deadline``
        (by default the submission's whole budget from now: pass the same
        deadline to every run of one submission, probes and sweeps, so they
        share it). Each run is its own fork: what the student's code saw of
        one run's inputs is gone in the next. ``serve(request) -> answer``
        answers the helper requests of calls that carry ``serve`` (``carry``)."""
        self.serve = serve
        if self.tainted:
            self.restart()
        self.result_bytes = 0
        self.deadline = deadline if deadline is not None else time.monotonic() + self.limits.submission_timeout
        calls_json = calls_json if calls_json is not None else json.dumps(calls, separators=(",", ":"))
        n = len(calls)
        slots: list[Outcome | None] = [None] * n
        timed_out_fns: set[str] = set()
        start = 0
        exact = False          # one frame per call: set after a chunked run stopped part-way
        while start < n:
            skip = [j for j in range(start, n) if calls[j]["fn"] in timed_out_fns]
            for j in skip:
                slots[j] = Outcome.failure("timeout", "skipped: an earlier call of this function timed out")
            skipped = set(skip)
            expected = [j for j in range(start, n) if j not in skipped]
            if not expected:
                break
            if time.monotonic() >= self.deadline:
                for j in expected:
                    slots[j] = Outcome.failure("timeout", "the submission's time limit was reached")
                break
            self._send_run(source, calls_json, start, skip, chunk=1 if exact else CHUNK)
            outcome = self._collect(slots, expected, exact)
            if isinstance(outcome, LoadFailure):
                return outcome
            if outcome is None:
                break
            stopped_at, how = outcome.index, outcome.how
            if not exact and time.monotonic() < self.deadline:
                # A chunk was cut off: run the unreported calls again, one frame
                # each, to find exactly which call hung or crashed.
                exact, start = True, stopped_at
                continue
            exact = False
            status = "timeout" if how.startswith("timed out") else "crashed"
            slots[stopped_at] = Outcome.failure(status, how)
            if status == "timeout":
                timed_out_fns.add(calls[stopped_at]["fn"])
            if time.monotonic() >= self.deadline:
                for j in range(stopped_at + 1, n):
                    slots[j] = slots[j] or Outcome.failure(
                        "timeout", "the submission's time limit was reached")
                break
            if self.result_bytes > MAX_RESULT_BYTES:
                for j in range(stopped_at + 1, n):
                    slots[j] = slots[j] or Outcome.failure("bad-output", how)
                break
            start = stopped_at + 1
        # never leave a call without an outcome
        return RunResult([o if o is not None else Outcome.failure("crashed", "the call produced no result")
                          for o in slots])

    def _collect(self, slots: list[Outcome | None], expected: list[int],
                 exact: bool) -> Stopped | LoadFailure | None:
        """Read frames for one fork. Returns None when every expected call
        finished, ``Stopped`` when the child stopped before one of them, or a
        LoadFailure. Whatever the child sends is untrusted: anything that does
        not follow the protocol costs the worker (it is restarted) and counts
        against the call, never against the grader."""
        position = 0
        loaded = confined = False    # confined: the child's own set-up is done; from here on, student code speaks
        deadline = min(time.monotonic() + self.limits.load_timeout, self.deadline)
        while True:
            try:
                message = self.reader.recv(deadline=deadline)
                self.result_bytes += message.size
                if self.result_bytes > MAX_RESULT_BYTES:
                    raise ChannelBroken(f"the results exceeded {MAX_RESULT_BYTES // 2**20} MB")
                if message.from_server:
                    if self._ended(message):
                        how = str(message.body.get("how", "the process ended"))[:caps.DETAIL]
                        if not loaded:
                            return LoadFailure(f"the submission ended the process while loading: {how}",
                                               ended_while_loading(message.body.get("status")))
                        return _stopped(expected, position, f"crashed: {how}")
                    raise ChannelBroken("an unexpected message from the server")
                kind = message.kind
                if kind == Kind.CONFINED and not confined:
                    confined = True
                elif kind == Kind.LOADED and confined and not loaded:
                    loaded = True
                elif kind == Kind.OUTCOMES and loaded:
                    position = self._take_outcomes(message.body, slots, expected, position)
                elif kind == Kind.HELPER and loaded and self.serve is not None:
                    answer = self.serve(message.body)
                    protocol.send_before(self.req_w, {"op": Op.ANSWER, "body": answer},
                                         time.monotonic() + SEND_TIMEOUT)
                elif kind == Kind.LOAD_ERROR and confined and not loaded:
                    self._await_exit()
                    return LoadFailure(" ".join(str(message.body.get("reason", "the submission failed to load")).split())[:caps.MESSAGE],
                                       load_cause(message.body))
                elif kind == Kind.DONE and position == len(expected):
                    self._await_exit()
                    return None
                elif kind == Kind.INTERNAL_ERROR and not confined:     # before any student code ran
                    self._await_exit()
                    raise InfrastructureError(f"the sandbox failed: {str(message.body.get('reason'))[:caps.DETAIL]}")
                else:
                    raise ChannelBroken("unexpected data in the grading channel")
            except protocol.Timeout:
                if not self._kill_child():
                    self.restart()
                if not loaded:
                    return LoadFailure(f"timed out while loading the submission (over {self.limits.load_timeout:g} s)",
                                       ErrorKind.TIMEOUT)
                return _stopped(expected, position, f"timed out after {self.limits.call_timeout:g} s")
            except (protocol.ProtocolError, ChannelBroken, OSError) as exc:
                # The child wrote garbage into its channel, or the server died: start afresh.
                self.restart()
                if not loaded:
                    return LoadFailure(f"the submission broke the grading channel while loading ({exc})",
                                       ErrorKind.BROKE_CHANNEL)
                return _stopped(expected, position, f"the call broke the grading channel ({exc})")
            # a chunk may hold many calls; the child flushes early when calls are slow
            wait = self.limits.call_timeout * (1 if exact else 2)
            deadline = min(time.monotonic() + wait, self.deadline)

    @staticmethod
    def _take_outcomes(body: dict, slots: list[Outcome | None], expected: list[int], position: int) -> int:
        items = body.get("items")
        if not (body.get("pos") == position and isinstance(items, list)
                and 0 < len(items) <= len(expected) - position):
            raise ChannelBroken("outcomes out of order")
        for item in items:
            slots[expected[position]] = Outcome.from_data(item)
            position += 1
        return position

    def _ended(self, message: protocol.Message) -> bool:
        """Whether ``message`` is the server's report that the child ended. A
        child that did not end by itself, cleanly, may have left the worker in
        a state nothing else undoes (memory held against the worker's cgroup,
        say): the next submission gets a fresh worker."""
        if not _is_exit(message):
            return False
        self.tainted = self.tainted or not _clean_exit(message)
        return True

    def _await_exit(self) -> None:
        try:
            deadline = time.monotonic() + 5
            while not self._ended(self.reader.recv(deadline=deadline)):
                pass
        except (protocol.ProtocolError, OSError, AttributeError):
            self.restart()


@dataclass(frozen=True)
class Stopped:
    """A fork that ended before every call it was given had reported: at call ``index``, and how."""

    index: int
    how: str


def _stopped(expected: list[int], position: int, how: str) -> Stopped | None:
    """Where a fork stopped: at the first call without an outcome (None if every call has one)."""
    return Stopped(expected[position], how) if position < len(expected) else None


def _is_exit(message: protocol.Message) -> bool:
    """The server's report that the child ended: only the server can send it."""
    return message.from_server and message.kind == Kind.EXITED


def _clean_exit(message: protocol.Message) -> bool:
    status = message.body.get("status")
    return isinstance(status, int) and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
