"""A process-count cap for one worker that holds even for root.

RLIMIT_NPROC is not enforced for processes whose real uid is root outside
every user namespace, and bubblewrap started by root maps the sandbox's
uid to root outside. A pids cgroup caps the number of tasks of the whole
sandbox (server, child and everything it starts) whoever runs it. Where no
pids hierarchy is writable (an unprivileged grader, some containers), there
is no cgroup and RLIMIT_NPROC, which does hold for those users, is the cap.
"""
from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))   # cgroup v1 pids, or v2 unified
JOIN = 'echo $$ > "$1/cgroup.procs" && shift && exec "$@"'


class PidsCgroup:
    def __init__(self, path: Path):
        self.path = path

    @classmethod
    def create(cls, max_tasks: int) -> PidsCgroup | None:
        """A fresh cgroup with ``pids.max``, or None where none can be made."""
        for root in ROOTS:
            if not (root / "cgroup.procs").exists() or not os.access(root, os.W_OK):
                continue
            path = root / f"autograder-{os.getpid()}-{secrets.token_hex(4)}"
            try:
                path.mkdir()
            except OSError:
                continue
            try:
                (path / "pids.max").write_text(str(max_tasks))
                return cls(path)
            except OSError:
                cls(path).remove()
        return None

    def wrap(self, command: list[str]) -> list[str]:
        """``command``, started inside this cgroup (it joins before it execs)."""
        return ["/bin/sh", "-c", JOIN, "sh", str(self.path), *command]

    def tasks(self) -> int:
        try:
            return len((self.path / "cgroup.procs").read_text().split())
        except OSError:
            return 0

    def remove(self) -> None:
        """Remove the cgroup once its last task has gone (they are being killed)."""
        for _ in range(200):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.01)
