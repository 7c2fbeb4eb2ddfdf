"""The fork server that runs inside the sandbox (one per grading worker).

It starts once, imports numpy, checks that a confined child really is
confined (``self_check``), and then, for each run the grader sends, forks a
child that confines itself (``confine``: private mounts where it can, no
privilege, OS limits, no-new-privileges and the seccomp filter), executes
the student's source in a fresh module, and only then receives the calls
(through a pipe of their own: nothing of the probes is in the process while
the module loads) and runs them, writing outcome frames to its *own* pipe. The server relays those
frames to the grader tagged as the child's (``protocol``), so nothing the
child writes can pass for the server's word; when the child ends (or the
grader asks for it to be killed), the server kills every process the child
left behind, wipes the scratch folders and reports how the child ended.

What the child never has: the grader-facing descriptors (closed before any
student code runs), a way into the server (the server is not dumpable and
is the sandbox's PID 1, so the child can neither read its memory or
descriptors through /proc nor signal it; ptrace and process_vm_* are
refused by seccomp), or a classmate's source (the server reads each payload
into one buffer and zeroes it right after the fork, and never makes
another copy). docs/security.md lists every promise and its test.

Imports only the standard library, numpy and its sibling runtime modules
(copied next to it in the sandbox).
"""
from __future__ import annotations

import ctypes
import errno
import fcntl
import json
import os
import resource
import select
import shutil
import signal
import sys
import time

from . import caps, execution, protocol, seccomp
from .protocol import Kind, Op

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
CLONE_NEWNS = 0x00020000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_REC, MS_PRIVATE = 0x1, 0x2, 0x4, 0x4000, 1 << 18
SYS_MOUNT_SETATTR, AT_FDCWD, AT_RECURSIVE, MOUNT_ATTR_RDONLY = 442, -100, 0x8000, 0x1
CHILD_OUT, CHILD_CALLS = 3, 4          # the child's only descriptors besides 0-2
LOADED = protocol.encode({"type": Kind.LOADED})
SCRATCH = ("/tmp", "/dev/shm")         # wiped after every child inside bubblewrap
HOST_WRITABLE = ("/var/tmp", "/run/lock", "/var/lock", "/home", "/")   # where a host is often writable
RELAY_DRAIN_BYTES = 64 * 1024 * 1024   # what is still relayed after a child ended

_libc = ctypes.CDLL(None, use_errno=True)


def _prctl(option: int, value: int) -> None:
    _libc.prctl(option, value, 0, 0, 0)


# ---------------------------------------------------------------- processes

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


def _wipe(folders: list[str]) -> None:
    """Empty the scratch folders a child could write (never anything else)."""
    for folder in folders:
        for name in os.listdir(folder) if os.path.isdir(folder) else []:
            path = os.path.join(folder, name)
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def _scratch_folders(limits: dict, workdir: str) -> list[str]:
    if limits.get("user_namespace"):
        return list(SCRATCH)
    if os.path.basename(workdir.rstrip("/")).startswith("autograder-scratch-"):
        return [workdir]
    return []


# ---------------------------------------------------------------- confinement

def _mount_tmpfs(target: str, size_mb: int) -> None:
    options = f"size={size_mb}m,mode=1777".encode()
    if _libc.mount(b"tmpfs", target.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) != 0:
        raise OSError(ctypes.get_errno(), f"mount tmpfs on {target}")


class _MountAttr(ctypes.Structure):
    _fields_ = [("attr_set", ctypes.c_uint64), ("attr_clr", ctypes.c_uint64),
                ("propagation", ctypes.c_uint64), ("userns_fd", ctypes.c_uint64)]


def _read_only_everywhere() -> None:
    """Every mount of this (private) namespace read-only: mount_setattr with
    AT_RECURSIVE (Linux 5.12)."""
    attr = _MountAttr(MOUNT_ATTR_RDONLY, 0, 0, 0)
    if _libc.syscall(SYS_MOUNT_SETATTR, AT_FDCWD, b"/", AT_RECURSIVE, ctypes.byref(attr), ctypes.sizeof(attr)) != 0:
        raise OSError(ctypes.get_errno(), "mount_setattr(/, read-only, recursive)")


class NoMountNamespace(OSError):
    """This root may not make a mount namespace (a container without CAP_SYS_ADMIN)."""


def _private_mounts(limits: dict) -> None:
    """Outside bubblewrap, a root server gives each child its own mount
    namespace, where what the grader asks to hide (the solutions, the hidden
    checks, the class and output folders) is covered by an empty read-only
    tmpfs, the whole host is read-only, and /tmp (its scratch folder then) and
    /dev/shm are fresh, size-limited tmpfs that vanish with the child."""
    if _libc.unshare(CLONE_NEWNS) != 0:
        raise NoMountNamespace(ctypes.get_errno(), "unshare(CLONE_NEWNS)")
    if _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "make / private")
    for path in limits.get("hidden", []):
        if os.path.isdir(path) and _libc.mount(b"tmpfs", path.encode(), b"tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV,
                                               b"size=4k,mode=0") != 0:
            raise OSError(ctypes.get_errno(), f"hide {path}")
    _read_only_everywhere()
    size = int(limits["tmpfs_mb"])
    for target in SCRATCH:
        if os.path.isdir(target):
            _mount_tmpfs(target, size)


def _drop_privileges(limits: dict) -> None:
    """Outside a user namespace, a root server's child becomes an unprivileged
    uid of its worker's own (it then cannot read root's files, write the
    grader's, or signal another worker's child). Inside bubblewrap's user
    namespace it is nobody already, with no capability."""
    if os.getuid() == 0 and not limits.get("user_namespace"):
        os.setgroups([])
        os.setgid(int(limits["child_uid"]))
        os.setuid(int(limits["child_uid"]))


def _limit(limits: dict) -> None:
    memory = int(limits["memory_mb"]) * 1024 * 1024
    cpu = int(limits["cpu_seconds"])
    nproc = int(limits["processes"])
    files, size = int(limits["open_files"]), int(limits["file_size_mb"]) * 1024 * 1024
    for which, value in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, cpu),
                         (resource.RLIMIT_FSIZE, size), (resource.RLIMIT_NOFILE, files),
                         (resource.RLIMIT_CORE, 0), (resource.RLIMIT_NPROC, nproc)):
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass


_HIDDEN_BY = {"how": ""}       # how this child was kept from the host's files (self_check reports it)


def _chroot(workdir: str) -> None:
    """Where a root server may not make a mount namespace (Docker's default
    capabilities, as on Gradescope), the child is shut into its scratch
    folder instead: it sees no file of the host (what it imports must have
    been loaded by the server), and the folder is wiped after every run."""
    os.chroot(workdir)
    os.chdir("/")


def confine(limits: dict, workdir: str) -> bool:
    """Everything a child does to itself before any student code runs.
    Returns whether the seccomp filter is in force."""
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    try:
        with open("/proc/self/oom_score_adj", "w") as fh:     # out of memory, the submission goes first
            fh.write("1000")
    except OSError:
        pass        # /proc is read-only in bubblewrap: the grader set it for the whole sandbox
    _HIDDEN_BY["how"] = "user and mount namespaces" if limits.get("user_namespace") else ""
    if limits.get("private_mounts"):
        try:
            _private_mounts(limits)
            workdir, _HIDDEN_BY["how"] = "/tmp", "mount namespace"
        except NoMountNamespace:
            _chroot(workdir)
            workdir, _HIDDEN_BY["how"] = "/", "chroot"
    os.chdir(workdir)
    os.environ["TMPDIR"] = workdir
    _drop_privileges(limits)
    _limit(limits)
    return seccomp.install()


def _own_descriptors(out_fd: int, calls_fd: int) -> None:
    """Keep only 0-2 (on /dev/null), the outcome pipe and the calls pipe."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    out_fd, calls_fd = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (out_fd, calls_fd))   # out of the way
    os.dup2(out_fd, CHILD_OUT)
    os.dup2(calls_fd, CHILD_CALLS)
    os.closerange(CHILD_CALLS + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])


def _refused_for_writing(path: str) -> bool:
    try:
        os.close(os.open(path, os.O_WRONLY))     # opened only: nothing is written
    except OSError:
        return True
    return False


def self_check(limits: dict) -> dict:
    """Confine a throw-away child exactly as a student's child and look at
    what it can still do; the grader records the answer with every result."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        report: dict = {}
        try:
            os.close(read_fd)
            status_fd = os.open("/proc/self/status", os.O_RDONLY)     # read after confine (a chroot has no /proc)
            report["seccomp"] = confine(limits, limits["workdir"])
            report["host_files_hidden_by"] = _HIDDEN_BY["how"]
            with os.fdopen(status_fd) as fh:
                status = dict(line.split(":", 1) for line in fh if ":" in line)
            report["capabilities"] = status["CapEff"].strip()
            report["no_new_privs"] = status.get("NoNewPrivs", "0").strip() == "1"
            report["uid"] = os.getuid()
            report["mount_refused"] = _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0 \
                and ctypes.get_errno() == errno.EPERM
            report["userns_refused"] = _libc.unshare(0x10000000) != 0
            report["kernel_settings_refused"] = _refused_for_writing("/proc/sys/kernel/core_pattern") \
                if os.path.exists("/proc/sys") else True
            report["host_writable"] = [p for p in HOST_WRITABLE if os.path.isdir(p) and os.access(p, os.W_OK)
                                       and not (p == "/" and _HIDDEN_BY["how"] == "chroot")]   # "/" is its scratch
            report["process_limit"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
        except BaseException as exc:  # noqa: BLE001 - reported to the grader, which refuses to go on
            report["error"] = f"{type(exc).__name__}: {exc}"
        protocol.write_all(write_fd, protocol.encode(report))
        os._exit(0)
    os.close(write_fd)
    data = b""
    while chunk := os.read(read_fd, 65536):
        data += chunk
    os.close(read_fd)
    os.waitpid(pid, 0)
    report = protocol.decode(data) if data else {"error": "the check child died"}
    report["private_tmp"] = bool(limits.get("user_namespace") or limits.get("private_mounts"))
    return report


# ---------------------------------------------------------------- the child

def _child(payload: bytearray, limits: dict, out_fd: int, calls_fd: int) -> None:
    """Runs in the forked child: never returns. The probe calls are not in
    this process while the student's module loads: the server sends them
    through ``calls_fd`` once the child has said "loaded"."""
    report_fd = out_fd
    try:
        request = json.loads(payload)
        _own_descriptors(out_fd, calls_fd)
        report_fd = CHILD_OUT
        confine(limits, request["workdir"])
    except BaseException as exc:  # noqa: BLE001 - the sandbox itself failed: the grader retries
        try:
            protocol.send(report_fd, {"type": Kind.INTERNAL_ERROR, "reason": f"{type(exc).__name__}: {exc}"})
        finally:
            os._exit(0)
    protocol.send(CHILD_OUT, {"type": Kind.CONFINED})      # the last frame the grader can trust as ours
    try:
        namespace = _load(request["source"])
        del request["source"]
        if namespace is None:
            os._exit(0)
        protocol.send(CHILD_OUT, {"type": Kind.LOADED})
        request["calls"] = protocol.decode(protocol.read_exact(CHILD_CALLS, int(request["calls_size"])))
        start, skip = int(request.get("start", 0)), set(request.get("skip", []))
        _run_batch(namespace, request, [i for i in range(start, len(request["calls"])) if i not in skip])
    except BaseException:  # noqa: BLE001
        pass
    os._exit(0)


def _load(source: str) -> dict | None:
    """Execute the submission in a fresh module; None (and a load-error
    frame) if it does not load. The frame's ``cause`` is one of
    ``LOAD_CAUSES``, from the class of what was raised and whether the source
    had compiled, never from a message; the grader still treats it as the
    child's word (``worker.LOAD_CAUSES``)."""
    namespace = {"__name__": "losses", "__file__": "losses.py", "__builtins__": __builtins__}
    sys.modules.pop("losses", None)
    compiled = False
    try:
        code = compile(source, "losses.py", "exec")
        compiled = True
        exec(code, namespace)
        return namespace
    except SyntaxError as exc:
        reason, cause = f"syntax error at line {exc.lineno}: {exc.msg}", "syntax"
    except BaseException as exc:  # noqa: BLE001 - student code may raise anything
        where = ""
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == "losses.py":
                where = f" (line {tb.tb_lineno})"
            tb = tb.tb_next
        if isinstance(exc, SystemExit):
            reason = f"the submission called sys.exit({exc.code!r}) when it was loaded{where}"[:caps.MESSAGE]
        else:
            reason = f"loading the submission raised {type(exc).__name__}: {str(exc)[:caps.DETAIL]}{where}"
        cause = _load_cause(exc, compiled)
    protocol.send(CHILD_OUT, {"type": Kind.LOAD_ERROR, "reason": reason, "cause": cause})
    return None


LOAD_CAUSES = ("syntax", "import", "exit", "memory", "raised")


def _load_cause(exc: BaseException, compiled: bool) -> str:
    """Why loading failed, from the exception's class alone (its message is the student's)."""
    if isinstance(exc, MemoryError):
        return "memory"
    if not compiled:            # a null byte, nesting too deep: the file is not Python that compiles
        return "syntax"
    if isinstance(exc, SystemExit):
        return "exit"
    if isinstance(exc, ImportError):
        return "import"
    return "raised"


def _run_batch(namespace: dict, request: dict, todo: list) -> None:
    """Run the calls ``todo`` of ``request``; outcomes go out in chunks (one
    frame, one write) unless the grader asks for one frame per call, which it
    does to pinpoint a call that hung or crashed."""
    calls = request["calls"]
    chunk = max(1, int(request.get("chunk", 1)))
    flush_after = float(request.get("flush_after", 0.5))
    pending: list = []
    sent = 0
    started = time.monotonic()
    for outcome in execution.run_calls(namespace, (calls[i] for i in todo), _ask_grader):
        pending.append(outcome)
        if len(pending) >= chunk or time.monotonic() - started > flush_after:
            protocol.send(CHILD_OUT, {"type": Kind.OUTCOMES, "pos": sent, "items": pending})
            sent += len(pending)
            pending = []
            started = time.monotonic()
    if pending:
        protocol.send(CHILD_OUT, {"type": Kind.OUTCOMES, "pos": sent, "items": pending})
    protocol.send(CHILD_OUT, {"type": Kind.DONE})


def _ask_grader(request: dict):
    """A served helper's round trip (``carry``): the request goes out with the
    outcomes, the reference's answer comes back on the calls pipe."""
    protocol.send(CHILD_OUT, request)
    return protocol.read_frame(CHILD_CALLS)


# ---------------------------------------------------------------- the server

def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        names: dict[int, str] = {signal.SIGSEGV: "a segmentation fault", signal.SIGKILL: "SIGKILL (a limit was hit)",
                signal.SIGXCPU: "the CPU-time limit", signal.SIGXFSZ: "the file-size limit",
                signal.SIGABRT: "an abort", signal.SIGSYS: "a refused system call"}
        name = names.get(sig, f"signal {sig}")
        return f"the process was ended by {name}"
    return f"the process exited with code {os.WEXITSTATUS(status)}"


def _wipe_buffer(buffer: bytearray) -> None:
    if buffer:
        ctypes.memset((ctypes.c_char * len(buffer)).from_buffer(buffer), 0, len(buffer))


def _close_other_descriptors(keep: tuple[int, ...]) -> None:
    """Whatever the launcher passed on (bubblewrap keeps every descriptor it
    was given, such as the grader's handles on the bound folders) is closed."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def serve(in_fd: int, out_fd: int, limits: dict) -> None:
    _close_other_descriptors((in_fd, out_fd))
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_DUMPABLE, 0)       # no /proc/<server>/mem or /fd for a same-uid child
    if limits.get("user_namespace"):
        seccomp.install()            # the server needs none of it either (outside bubblewrap it mounts)

    def say(body: dict) -> None:
        protocol.send_tagged(out_fd, protocol.SERVER, protocol.encode(body))

    say({"type": Kind.READY, "protections": self_check(limits)})
    while True:
        try:
            request = protocol.read_frame(in_fd)
        except protocol.ProtocolError:
            return
        if not isinstance(request, dict) or request.get("op") != Op.RUN:
            continue
        payload = protocol.read_exact(in_fd, int(request["size"]))
        calls = protocol.read_exact(in_fd, int(request["calls_size"]))
        workdir = str(request["workdir"])
        out_r, out_w = os.pipe()
        calls_r, calls_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            for fd in (in_fd, out_fd, out_r, calls_w):
                os.close(fd)
            _wipe_buffer(calls)
            _child(payload, limits, out_w, calls_r)
        _wipe_buffer(payload)
        del payload
        os.close(out_w)
        os.close(calls_r)
        status, why = _Supervisor(pid, in_fd, out_fd, out_r, calls_w, calls).run()
        kill_leftovers()
        os.close(out_r)
        _wipe(_scratch_folders(limits, workdir))
        say({"type": Kind.EXITED, "how": why or _describe_exit(status), "status": status})


class _Supervisor:
    """One child's life seen from the server: relay its frames to the grader,
    hand it the calls once it has loaded (then the grader's answers to its
    helper requests), end it when told, wait for it."""

    def __init__(self, pid: int, in_fd: int, out_fd: int, out_r: int, calls_w: int, calls: bytearray):
        self.pid, self.in_fd, self.out_fd, self.out_r = pid, in_fd, out_fd, out_r
        self.calls_w, self.calls = calls_w, memoryview(calls)
        self.answers = bytearray()   # framed answers to helper requests, after the calls
        self.loaded = False
        self.splitter = protocol.Splitter()
        self.why = ""          # why the server ended the child, if it did
        os.set_blocking(calls_w, False)

    def run(self) -> tuple[int, str]:
        """The child's wait status and, when the server ended it, why."""
        pidfd = os.pidfd_open(self.pid)
        reading = [pidfd, self.in_fd, self.out_r]
        try:
            while True:
                pending = len(self.calls) or len(self.answers)
                writing = [self.calls_w] if self.loaded and self.calls_w >= 0 and pending else []
                ready, can_write, _ = select.select(reading, writing, [])
                if self.out_r in ready and not self._relay(os.read(self.out_r, 1 << 16)):
                    reading.remove(self.out_r)
                if can_write:
                    self._send_calls()
                if self.in_fd in ready:
                    self._request()
                if pidfd in ready:
                    done, status = os.waitpid(self.pid, os.WNOHANG)
                    if done:
                        if self.out_r in reading:       # what the child wrote just before it ended
                            self._relay_available()
                        return status, self.why
        finally:
            os.close(pidfd)
            if self.calls_w >= 0:
                os.close(self.calls_w)

    def _relay(self, data: bytes) -> bool:
        """Pass complete frames on as the child's; False when the pipe is done."""
        if not data:
            return False
        try:
            frames = self.splitter.feed(data)
        except protocol.ProtocolError:
            self._kill(f"it sent a result larger than the {protocol.MAX_FRAME // 2**20} MiB limit")
            return False
        for frame in frames:
            self.loaded = self.loaded or frame == LOADED
            protocol.send_tagged(self.out_fd, protocol.CHILD, frame)
        return True

    def _send_calls(self) -> None:
        data = self.calls if len(self.calls) else memoryview(self.answers)
        try:
            written = os.write(self.calls_w, data)
        except BlockingIOError:
            return
        except OSError:                 # the child closed its end: it will not read them
            written = len(data)
        finally:
            del data
        if len(self.calls):
            self.calls = self.calls[written:]
        else:
            del self.answers[:written]

    def _request(self) -> None:
        try:
            message = protocol.read_frame(self.in_fd)
        except protocol.ProtocolError:
            message = None
        if isinstance(message, dict) and message.get("op") == Op.ANSWER:
            body = protocol.encode(message.get("body"))
            self.answers += len(body).to_bytes(4, "big") + body
            return
        if not isinstance(message, dict) or message.get("op") == Op.KILL:
            self._kill("")

    def _kill(self, why: str) -> None:
        self.why = self.why or why
        os.kill(self.pid, signal.SIGKILL)

    def _relay_available(self) -> None:
        os.set_blocking(self.out_r, False)
        relayed = 0
        try:
            while relayed < RELAY_DRAIN_BYTES:
                try:
                    data = os.read(self.out_r, 1 << 16)
                except BlockingIOError:
                    return
                relayed += len(data)
                if not self._relay(data):
                    return
        finally:
            os.set_blocking(self.out_r, True)


def main() -> None:
    in_fd, out_fd = int(sys.argv[1]), int(sys.argv[2])
    limits = json.loads(sys.argv[3])
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
    serve(in_fd, out_fd, limits)


PRELOAD = ("numpy", "math", "cmath", "functools", "itertools", "collections", "typing",
           "operator", "numbers", "decimal", "fractions", "random", "statistics",
           "dataclasses", "copy", "re", "warnings")
