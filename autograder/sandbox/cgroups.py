"""Caps on a worker's whole sandbox that hold even for root: processes and memory.

RLIMIT_NPROC is not enforced for processes whose real uid is root outside
every user namespace (and bubblewrap started by root maps the sandbox's uid
to root outside), and RLIMIT_AS is per process: a submission that forks
could hold the memory limit many times over, and files in its RAM-backed
/tmp and /dev/shm count in no rlimit at all. A cgroup per worker caps the
tasks (``pids``) and the memory, page cache and tmpfs included (``memory``),
of the server, the child and everything it starts.

Works with cgroup v1 (one hierarchy per controller) and v2 (one unified
hierarchy). Where no hierarchy is writable (an unprivileged grader, some
containers) a controller is simply absent: RLIMIT_NPROC, which does hold for
those users, then caps processes, and ``Worker.protections`` records which
caps were in force.
"""
from __future__ import annotations

import os
import secrets
import signal
import time
from pathlib import Path

BASE = Path("/sys/fs/cgroup")
# controller -> (cgroup v1 hierarchy, limit file names to try: v2 first)
CONTROLLERS = {"pids": (BASE / "pids", ("pids.max",)),
               "memory": (BASE / "memory", ("memory.max", "memory.limit_in_bytes"))}


class WorkerCgroup:
    """One cgroup (per hierarchy) for one worker's sandbox."""

    def __init__(self) -> None:
        self.paths: list[Path] = []
        self.controllers: list[str] = []

    @classmethod
    def create(cls, limits: dict[str, int]) -> WorkerCgroup | None:
        """Cgroups carrying ``limits`` ({"pids": tasks, "memory": bytes}) where
        they can be made; None where none can."""
        group = cls()
        name = f"autograder-{os.getpid()}-{secrets.token_hex(4)}"
        used: set[Path] = set()
        for controller, value in limits.items():
            v1_root, files = CONTROLLERS[controller]
            for root in (v1_root, BASE):
                path = group._folder(root, name)
                limit_file = next((path / f for f in files if (path / f).exists()), None) if path else None
                try:
                    if limit_file is not None:
                        limit_file.write_text(str(value))
                        group.controllers.append(controller)
                        used.add(limit_file.parent)
                        break
                except OSError:
                    continue
        for path in [p for p in group.paths if p not in used]:
            _rmdir(path)
            group.paths.remove(path)
        return group if group.controllers else None

    def _folder(self, root: Path, name: str) -> Path | None:
        path = root / name
        if path in self.paths:
            return path
        if not (root / "cgroup.procs").exists() or not os.access(root, os.W_OK):
            return None
        _sweep_stale(root)
        try:
            path.mkdir()
        except OSError:
            return None
        self.paths.append(path)
        return path

    def add(self, pid: int) -> None:
        """Put a process in these cgroups (before it starts anything)."""
        for path in self.paths:
            (path / "cgroup.procs").write_text(str(pid))

    def remove(self) -> None:
        """Kill whatever is still inside, then remove the cgroups."""
        for path in self.paths:
            _rmdir(path)
        self.paths = []


def _sweep_stale(root: Path) -> None:
    """Remove the empty cgroups of graders that were killed (their names carry the pid)."""
    for path in root.glob("autograder-*-*"):
        pid = path.name.split("-")[1]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            try:
                path.rmdir()
            except OSError:
                pass


def _rmdir(path: Path) -> None:
    for _ in range(200):
        try:
            path.rmdir()
            return
        except FileNotFoundError:
            return
        except OSError:
            try:
                for pid in (path / "cgroup.procs").read_text().split():
                    os.kill(int(pid), signal.SIGKILL)
            except (OSError, ValueError):
                pass
            time.sleep(0.01)
