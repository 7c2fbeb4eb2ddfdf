"""The fork server that runs inside the sandbox (one per grading worker).

It starts once, imports numpy, and then, for each submission the grader
sends, forks a child that drops privileges, sets its OS limits, silences
stdout/stderr, executes the student's source in a fresh module and runs the
requested calls, writing one outcome frame per call to the results pipe.
When the child ends (or the grader asks for it to be killed), the server
kills every process the child left behind, wipes /tmp and reports how the
child ended. The server never executes student code itself.

Imports only the standard library, numpy and its sibling modules
``protocol``, ``values`` and ``execution`` (copied next to it in the sandbox).
"""
from __future__ import annotations

import ctypes
import os
import resource
import select
import shutil
import signal
import sys
import time

from . import execution, protocol

NOBODY = 65534
PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1


def _prctl(option: int, value: int) -> None:
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _descendants(root: int) -> list[int]:
    """Every live process whose parent chain leads to ``root`` (via /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
            ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        for pid in children.get(stack.pop(), []):
            found.append(pid)
            stack.append(pid)
    return found


def kill_leftovers() -> None:
    """Kill every process below this server (setsid does not escape: we are
    their subreaper), until none is left."""
    for _ in range(50):
        pids = _descendants(os.getpid())
        if not pids:
            return
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(block=False)
        time.sleep(0.002)


def _reap(block: bool) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _wipe(scratch: str) -> None:
    """Empty the submission's scratch folder (the sandbox's private /tmp, or
    the worker's own temporary folder outside bubblewrap). Never anything else."""
    private = ((scratch == "/tmp" and os.environ.get("AUTOGRADER_IN_SANDBOX") == "1")
               or os.path.basename(scratch.rstrip("/")).startswith("autograder-scratch-"))
    if not private:
        return
    for name in os.listdir(scratch) if os.path.isdir(scratch) else []:
        path = os.path.join(scratch, name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def _limit(limits: dict) -> None:
    memory = int(limits.get("memory_mb", 1024)) * 1024 * 1024
    cpu = int(limits.get("cpu_seconds", 60))
    for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, 16 * 1024 * 1024), (resource.RLIMIT_NOFILE, 64),
                         (resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


def _drop_privileges(limits: dict) -> None:
    """Outside a user namespace, a root server's child becomes nobody (it then
    cannot read root's files or write the grader's). Inside bubblewrap's user
    namespace it already has no power outside, and RLIMIT_NPROC counts per
    namespace. Either way the process count is capped."""
    if os.getuid() == 0 and not limits.get("user_namespace"):
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    nproc = int(limits.get("processes", 256))
    resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))


def _run_batch(namespace: dict, request: dict, todo: list, out_fd: int) -> None:
    """Run the calls ``todo`` of ``request``; outcomes go out in chunks (one
    frame, one write) unless the grader asks for one frame per call, which it
    does to pinpoint a call that hung or crashed."""
    calls = request["calls"]
    chunk = max(1, int(request.get("chunk", 1)))
    flush_after = float(request.get("flush_after", 0.5))
    pending: list = []
    sent = 0
    started = time.monotonic()
    for outcome in execution.run_calls(namespace, (calls[i] for i in todo)):
        pending.append(outcome)
        if len(pending) >= chunk or time.monotonic() - started > flush_after:
            protocol.send(out_fd, {"type": "outcomes", "pos": sent, "items": pending})
            sent += len(pending)
            pending = []
            started = time.monotonic()
    if pending:
        protocol.send(out_fd, {"type": "outcomes", "pos": sent, "items": pending})
    protocol.send(out_fd, {"type": "done"})


def _child(request: dict, out_fd: int, in_fd: int, more_fd: int) -> None:
    """Runs in the forked child: never returns."""
    try:
        os.close(in_fd)
        _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.chdir(request["workdir"])
        os.environ["TMPDIR"] = request["workdir"]
        _drop_privileges(request.get("limits", {}))
        _limit(request.get("limits", {}))
    except BaseException as exc:  # noqa: BLE001 - the sandbox itself failed: the grader retries
        protocol.send(out_fd, {"type": "internal-error", "reason": f"{type(exc).__name__}: {exc}"})
        os._exit(0)
    try:
        start = int(request.get("start", 0))
        namespace = {"__name__": "losses", "__file__": "losses.py", "__builtins__": __builtins__}
        sys.modules.pop("losses", None)
        try:
            code = compile(request["source"], "losses.py", "exec")
            exec(code, namespace)
        except SyntaxError as exc:
            protocol.send(out_fd, {"type": "load-error", "reason": f"syntax error at line {exc.lineno}: {exc.msg}"})
            os._exit(0)
        except BaseException as exc:  # noqa: BLE001 - student code may raise anything
            where = ""
            tb = exc.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == "losses.py":
                    where = f" (line {tb.tb_lineno})"
                tb = tb.tb_next
            if isinstance(exc, SystemExit):
                reason = f"the submission called sys.exit({exc.code!r}) when it was loaded{where}"
            else:
                reason = f"loading the submission raised {type(exc).__name__}: {str(exc)[:200]}{where}"
            protocol.send(out_fd, {"type": "load-error", "reason": reason})
            os._exit(0)
        protocol.send(out_fd, {"type": "loaded"})
        skip = set(request.get("skip", []))
        _run_batch(namespace, request, [i for i in range(start, len(request["calls"])) if i not in skip], out_fd)
        follow_up = protocol.Reader(more_fd)
        while request.get("keep"):       # further batches for the same loaded submission
            try:
                more = follow_up.recv()
            except protocol.ProtocolError:
                break
            _run_batch(namespace, more, list(range(len(more["calls"]))), out_fd)
    except BaseException:  # noqa: BLE001
        pass
    os._exit(0)


def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "SIGKILL (a limit was hit)",
                signal.SIGXCPU: "the CPU-time limit", signal.SIGXFSZ: "the file-size limit",
                signal.SIGABRT: "an abort"}.get(sig, f"signal {sig}")
        return f"the process was ended by {name}"
    return f"the process exited with code {os.WEXITSTATUS(status)}"


def serve(in_fd: int, out_fd: int) -> None:
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    reader = protocol.Reader(in_fd)
    protocol.send(out_fd, {"type": "ready", "pid": os.getpid()})
    while True:
        try:
            request = reader.recv()
        except protocol.ProtocolError:
            return
        if request.get("op") == "quit":
            return
        if request.get("op") != "run":
            continue
        # Only the server knows the run's token: the child cannot forge the
        # "exited" frame the grader waits for.
        token = request.pop("token", "")
        more_r, more_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(more_w)
            _child(request, out_fd, in_fd, more_r)
        os.close(more_r)
        status = _wait_or_kill(pid, reader, more_w)
        kill_leftovers()
        _wipe(request.get("workdir", ""))
        protocol.send(out_fd, {"type": "exited", "how": _describe_exit(status), "status": status, "token": token})


def _wait_or_kill(pid: int, reader: protocol.Reader, more_w: int) -> int:
    """Wait for the child. The grader may meanwhile send it a further batch
    ("more", passed on through the child's own pipe), let it end ("finish":
    the pipe is closed) or end it ("kill")."""
    pidfd = os.pidfd_open(pid)
    try:
        while True:
            ready, _, _ = select.select([pidfd, reader.fd], [], [])
            if reader.fd in ready:
                try:
                    message = reader.recv()
                except protocol.ProtocolError:
                    message = {"op": "kill"}
                op = message.get("op")
                if op == "more" and more_w >= 0:
                    try:
                        protocol.send(more_w, message)
                    except OSError:
                        pass
                elif op == "finish" and more_w >= 0:
                    os.close(more_w)
                    more_w = -1
                elif op == "kill":
                    os.kill(pid, signal.SIGKILL)
            if pidfd in ready or reader.fd in ready:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return status
    finally:
        os.close(pidfd)
        if more_w >= 0:
            os.close(more_w)


def main() -> None:
    in_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    import importlib
    # Loaded once, shared by every forked child (which may not be able to
    # read the interpreter's files once it has dropped its privileges).
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    serve(in_fd, out_fd)


PRELOAD = ("numpy", "math", "cmath", "functools", "itertools", "collections", "typing",
           "operator", "numbers", "decimal", "fractions", "random", "statistics",
           "dataclasses", "copy", "re", "warnings")
