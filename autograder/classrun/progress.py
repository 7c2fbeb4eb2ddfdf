"""The grading run's progress display.

On a terminal: tqdm's bar. Elsewhere (CI, ``nohup``, a log file), where a bar
redrawn with carriage returns is unreadable or never flushed: one plain line
every ``every`` seconds at most, and one when the run ends, e.g.

    grading: 120/300 submissions (40%), 14 s elapsed, about 21 s left
"""
from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class LineProgress:
    """A tqdm-like object (``update``, ``close``) that prints plain lines."""

    def __init__(self, total: int, stream: TextIO, every: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, desc: str = "grading"):
        self.total, self.stream, self.every, self.clock, self.desc = total, stream, every, clock, desc
        self.done = 0
        self.started = self.last = clock()
        self.closed = False

    def line(self) -> str:
        elapsed = self.clock() - self.started
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        text = f"{self.desc}: {self.done}/{self.total} submissions{share}, {elapsed:.0f} s elapsed"
        if 0 < self.done < self.total:
            text += f", about {elapsed / self.done * (self.total - self.done):.0f} s left"
        return text

    def _print(self) -> None:
        print(self.line(), file=self.stream, flush=True)
        self.last = self.clock()

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.done < self.total and self.clock() - self.last >= self.every:
            self._print()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._print()


def progress(total: int, enabled: bool, stream: TextIO | None = None, every: float = 5.0):
    """tqdm's bar on a terminal, ``LineProgress`` elsewhere, nothing if disabled."""
    stream = sys.stderr if stream is None else stream
    is_terminal = getattr(stream, "isatty", lambda: False)()
    if enabled and not is_terminal:
        return LineProgress(total, stream, every)
    from tqdm import tqdm
    return tqdm(total=total, unit="submission", disable=not enabled, file=stream, desc="grading")
