"""Sandboxed workers: where student code runs, and only there.

A ``Worker`` is one long-lived fork server (``sandbox_server``) started in a
bubblewrap sandbox when bwrap works on this machine: no network, its own
PID/IPC/UTS namespaces, a cleared environment, a private /tmp, and a
read-only view of only the Python interpreter, numpy and the four runtime
files. Neither the solutions, the hidden checks, the class folder nor the
output folder exist in there: the submission's source arrives over the
pipe. Without bwrap the same server runs as a plain child process with the
same OS limits (and the same privilege drop when run as root); the
isolation level is recorded with every result.

``Worker.run`` sends a submission and its probe calls and collects one
outcome per call under a per-call and a per-submission deadline. A call that
hangs is killed and recorded as a timeout, a call that ends the process is
recorded as a crash; the rest of the calls go on in a fresh fork, so one
misbehaving function costs only its own points.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from . import protocol
from .outcomes import Outcome

PACKAGE = Path(__file__).resolve().parent
CHUNK = 64            # outcomes per frame while nothing goes wrong
RUNTIME_FILES = ("protocol.py", "values.py", "execution.py", "sandbox_server.py")
BOOT = """import sys
sys.path[:0] = [{site!r}, {runtime!r}]
from sandbox_rt.sandbox_server import main
main()
"""


class SandboxUnavailable(RuntimeError):
    pass


class InfrastructureError(RuntimeError):
    """The grader's own machinery failed (not the student's code): retry."""


@dataclass
class Limits:
    call_timeout: float = 5.0          # wall-clock seconds per call
    load_timeout: float = 10.0         # wall-clock seconds to load (import) the submission
    submission_timeout: float = 60.0   # wall-clock seconds for the whole submission
    memory_mb: int = 1024
    cpu_seconds: int = 60

    def for_child(self) -> dict:
        return {"memory_mb": self.memory_mb, "cpu_seconds": self.cpu_seconds}


@dataclass
class LoadFailure:
    """The submission could not even be loaded: one error row with this reason."""
    reason: str


@dataclass
class RunResult:
    outcomes: list[Outcome] = field(default_factory=list)
    events: list[str] = field(default_factory=list)   # timeouts and crashes, for the log


def bwrap_path() -> str | None:
    return shutil.which("bwrap")


_BWRAP_OK: bool | None = None


def bwrap_works() -> bool:
    """bwrap is installed *and* can create its namespaces here."""
    global _BWRAP_OK
    if _BWRAP_OK is None:
        path = bwrap_path()
        _BWRAP_OK = bool(path) and subprocess.run(
            [path, "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "true"],
            capture_output=True, timeout=30).returncode == 0
    return _BWRAP_OK


class Runtime:
    """The files the sandbox may see, laid out in a private temporary folder."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="autograder-runtime-"))
        package = self.root / "runtime" / "sandbox_rt"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text("")
        for name in RUNTIME_FILES:
            shutil.copy2(PACKAGE / name, package / name)
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


def bwrap_command(runtime: Runtime, fds: tuple[int, int]) -> list[str]:
    site, rt = "/sandbox/site", "/sandbox/runtime"
    cmd = [bwrap_path(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
           "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
           "--symlink", "usr/bin", "/bin",
           "--ro-bind", str(runtime.prefix), str(runtime.prefix)]
    site_packages = runtime.prefix / "lib" / f"python{sys.version_info.major}.{sys.version_info.minor}" / "site-packages"
    if site_packages.is_dir():
        cmd += ["--tmpfs", str(site_packages)]          # hide whatever is installed there
    for part in runtime.site_parts:
        cmd += ["--ro-bind", str(part), f"{site}/{part.name}"]
    cmd += ["--ro-bind", str(runtime.root / "runtime"), rt,
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--chdir", "/tmp"]
    for key, value in dict(_env(), AUTOGRADER_IN_SANDBOX="1").items():
        cmd += ["--setenv", key, value]
    runtime.boot_script(site, rt)
    cmd += [str(runtime.python), "-S", "-B", f"{rt}/boot.py", str(fds[0]), str(fds[1])]
    return cmd


def plain_command(runtime: Runtime, fds: tuple[int, int]) -> list[str]:
    site = runtime.root / "site"
    site.mkdir(exist_ok=True)
    for part in runtime.site_parts:
        link = site / part.name
        if not link.exists():
            link.symlink_to(part)
    boot = runtime.boot_script(str(site), str(runtime.root / "runtime"))
    return [str(runtime.python), "-S", "-B", boot, str(fds[0]), str(fds[1])]


class Worker:
    """One sandboxed fork server and the pipes to it."""

    def __init__(self, runtime: Runtime, isolation: str, limits: Limits):
        self.runtime, self.isolation, self.limits = runtime, isolation, limits
        self.proc: subprocess.Popen | None = None
        self.alive = False          # a child is loaded and waiting for more calls
        self.token = ""             # the current run's token (see sandbox_server.serve)
        self.start()

    # ------------------------------------------------------------ lifecycle

    def start(self) -> None:
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        make = bwrap_command if self.isolation == "bubblewrap" else plain_command
        if self.isolation == "bubblewrap":
            workdir = "/tmp"                      # the sandbox's own private tmpfs
        else:
            workdir = tempfile.mkdtemp(prefix="autograder-scratch-")
            os.chmod(workdir, 0o777)              # the child runs as nobody
        self.workdir = workdir
        try:
            self.proc = subprocess.Popen(make(self.runtime, (req_r, res_w)), pass_fds=(req_r, res_w),
                                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, env=_env(), cwd=workdir,
                                         start_new_session=True)
        finally:
            os.close(req_r)
            os.close(res_w)
        self.req_w, self.reader = req_w, protocol.Reader(res_r)
        try:
            hello = self.reader.recv(deadline=time.monotonic() + 60)
        except protocol.ProtocolError as exc:
            self.stop()
            raise InfrastructureError(f"the {self.isolation} worker did not start: {exc}") from None
        if hello.get("type") != "ready":
            self.stop()
            raise InfrastructureError("the worker sent an unexpected greeting")

    def stop(self) -> None:
        self.alive = False
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
        self.req_w = None
        if self.isolation != "bubblewrap" and getattr(self, "workdir", None):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def restart(self) -> None:
        self.alive = False
        self.stop()
        self.start()

    # ------------------------------------------------------------ grading

    def _send_run(self, source: str, calls_json: str, start: int, skip: list[int], chunk: int, keep: bool) -> None:
        limits = dict(self.limits.for_child(), user_namespace=self.isolation == "bubblewrap")
        self.token = secrets.token_hex(16)
        head = json.dumps({"op": "run", "source": source, "start": start, "skip": skip, "keep": keep,
                           "token": self.token,
                           "chunk": chunk, "flush_after": self.limits.call_timeout / 4,
                           "limits": limits, "workdir": self.workdir})
        frame = (head[:-1] + ',"calls":' + calls_json + "}").encode("utf-8")
        view = memoryview(len(frame).to_bytes(4, "big") + frame)
        while view:
            view = view[os.write(self.req_w, view):]

    def _kill_child(self) -> bool:
        """Ask the server to kill the running child; False if it did not answer."""
        try:
            protocol.send(self.req_w, {"op": "kill"})
            deadline = time.monotonic() + 5
            while True:
                if self._is_exit(self.reader.recv(deadline=deadline)):
                    return True
        except (protocol.ProtocolError, OSError):
            return False

    def run(self, source: str, calls: list[dict], calls_json: str | None = None,
            keep: bool = False) -> RunResult | LoadFailure:
        """Load ``source`` in a fresh fork and run ``calls``. With ``keep`` the
        child stays loaded afterwards for ``more()``; ``finish()`` ends it."""
        self.finish()
        calls_json = calls_json if calls_json is not None else json.dumps(calls, separators=(",", ":"))
        n = len(calls)
        result = RunResult([None] * n)
        timed_out_fns: set[str] = set()
        submission_deadline = time.monotonic() + self.limits.submission_timeout
        start = 0
        exact = False          # one frame per call: set after a chunked run stopped part-way
        while start < n:
            skip = [j for j in range(start, n) if calls[j]["fn"] in timed_out_fns]
            for j in skip:
                result.outcomes[j] = Outcome.failure("timeout", "skipped: an earlier call of this function timed out")
            skipped = set(skip)
            expected = [j for j in range(start, n) if j not in skipped]
            if not expected:
                break
            self._send_run(source, calls_json, start, skip, chunk=1 if exact else CHUNK, keep=keep)
            outcome = self._collect(result, expected, submission_deadline, exact, keep)
            if isinstance(outcome, LoadFailure):
                return outcome
            stopped_at, how = outcome
            if stopped_at is None:
                break
            if not exact and time.monotonic() < submission_deadline:
                # A chunk was cut off: run the unreported calls again, one frame
                # each, to find exactly which call hung or crashed.
                exact, start = True, stopped_at
                continue
            exact = False
            result.events.append(f"call {stopped_at} ({calls[stopped_at]['fn']}): {how}")
            status = "timeout" if how.startswith("timed out") else "crashed"
            result.outcomes[stopped_at] = Outcome.failure(status, how)
            if status == "timeout":
                timed_out_fns.add(calls[stopped_at]["fn"])
            if time.monotonic() >= submission_deadline:
                for j in range(stopped_at + 1, n):
                    result.outcomes[j] = result.outcomes[j] or Outcome.failure(
                        "timeout", "the submission's time limit was reached")
                break
            start = stopped_at + 1
        for j, outcome in enumerate(result.outcomes):     # never leave a call without an outcome
            if outcome is None:
                result.outcomes[j] = Outcome.failure("crashed", "the call produced no result")
        return result

    def more(self, calls: list[dict]) -> list[Outcome | None]:
        """Run further calls in the child kept loaded by ``run(..., keep=True)``.
        Best effort: calls that did not finish (a hang, a crash) stay None."""
        result = RunResult([None] * len(calls))
        if not self.alive or not calls:
            return result.outcomes
        protocol.send(self.req_w, {"op": "more", "calls": calls, "chunk": CHUNK,
                                   "flush_after": self.limits.call_timeout / 4})
        deadline = time.monotonic() + self.limits.submission_timeout
        self._collect(result, list(range(len(calls))), deadline, False, True, loaded=True)
        return result.outcomes

    def finish(self) -> None:
        """Let a kept child end."""
        if self.alive:
            self.alive = False
            try:
                protocol.send(self.req_w, {"op": "finish"})
            except OSError:
                self.restart()
                return
            self._await_exit()

    def _collect(self, result: RunResult, expected: list[int], submission_deadline: float, exact: bool,
                 keep: bool = False, loaded: bool = False):
        """Read frames for one fork. Returns (None, "") when every expected call
        finished, (index, how) when the child stopped at call ``index``, or a
        LoadFailure."""
        self.alive = False
        position = 0
        deadline = min(time.monotonic() + self.limits.load_timeout, submission_deadline)
        while True:
            try:
                message = self.reader.recv(deadline=deadline)
            except protocol.Timeout:
                if not self._kill_child():
                    self.restart()
                if not loaded:
                    return LoadFailure(f"timed out while loading the submission (over {self.limits.load_timeout:g} s)")
                return expected[position], f"timed out after {self.limits.call_timeout:g} s"
            except (protocol.ProtocolError, OSError) as exc:
                # The child wrote garbage into the channel, or the server died: start afresh.
                self.restart()
                if not loaded:
                    return LoadFailure(f"the submission broke the grading channel while loading ({exc})")
                return expected[position], f"the call broke the grading channel ({exc})"
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "loaded" and not loaded:
                loaded = True
            elif (kind == "outcomes" and loaded and message.get("pos") == position
                  and isinstance(message.get("items"), list)
                  and 0 < len(message["items"]) <= len(expected) - position):
                for item in message["items"]:
                    result.outcomes[expected[position]] = Outcome.from_data(item)
                    position += 1
            elif kind == "load-error" and not loaded:
                self._await_exit()
                return LoadFailure(str(message.get("reason", "the submission failed to load"))[:300])
            elif kind == "done" and position == len(expected):
                if keep:
                    self.alive = True
                else:
                    self._await_exit()
                return None, ""
            elif kind == "internal-error":
                self._await_exit()
                raise InfrastructureError(f"the sandbox failed: {str(message.get('reason'))[:200]}")
            elif self._is_exit(message):
                how = str(message.get("how", "the process ended"))
                if not loaded:
                    return LoadFailure(f"the submission ended the process while loading: {how}")
                if position == len(expected):
                    return None, ""
                return expected[position], f"crashed: {how}"
            else:
                self.restart()
                if not loaded:
                    return LoadFailure("the submission sent unexpected data while loading")
                return expected[position], "the call sent unexpected data into the grading channel"
            # a chunk may hold many calls; the child flushes early when calls are slow
            wait = self.limits.call_timeout * (1 if exact else 2)
            deadline = min(time.monotonic() + wait, submission_deadline)

    def _is_exit(self, message) -> bool:
        """The server's report that the child ended (a forged one lacks the token)."""
        return isinstance(message, dict) and message.get("type") == "exited" and message.get("token") == self.token

    def _await_exit(self) -> None:
        try:
            deadline = time.monotonic() + 5
            while not self._is_exit(self.reader.recv(deadline=deadline)):
                pass
        except (protocol.ProtocolError, OSError, AttributeError):
            self.restart()
