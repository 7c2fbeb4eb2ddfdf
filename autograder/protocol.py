"""Length-prefixed JSON frames over pipes: the only channel between the grader
and a sandboxed student process.

A frame is 4 bytes of big-endian length and that many bytes of UTF-8 JSON.
The reader caps the size and the time it waits; anything else (a short
read, bad JSON, an oversized frame) is a ``ProtocolError``. Runs on both
sides: imports only the standard library.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time

MAX_FRAME = 8 * 1024 * 1024


class ProtocolError(Exception):
    pass


class Timeout(ProtocolError):
    pass


class Closed(ProtocolError):
    pass


def send(fd: int, obj) -> None:
    data = json.dumps(obj, separators=(",", ":")).encode("utf-8")
    view = memoryview(struct.pack(">I", len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class Reader:
    """Reads frames from a file descriptor with a deadline (parent side)."""

    def __init__(self, fd: int):
        self.fd = fd
        self.buffer = bytearray()

    def _fill(self, need: int, deadline: float | None) -> None:
        while len(self.buffer) < need:
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Timeout("timed out")
                ready, _, _ = select.select([self.fd], [], [], left)
                if not ready:
                    raise Timeout("timed out")
            chunk = os.read(self.fd, max(65536, need - len(self.buffer)))
            if not chunk:
                raise Closed("channel closed")
            self.buffer += chunk

    def recv(self, deadline: float | None = None):
        self._fill(4, deadline)
        (length,) = struct.unpack(">I", self.buffer[:4])
        if length > MAX_FRAME:
            raise ProtocolError(f"frame of {length} bytes exceeds the {MAX_FRAME}-byte cap")
        self._fill(4 + length, deadline)
        data = bytes(self.buffer[4:4 + length])
        del self.buffer[:4 + length]
        try:
            return json.loads(data)
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProtocolError(f"unreadable frame: {exc}") from None

    def pending(self) -> bool:
        return bool(self.buffer)
