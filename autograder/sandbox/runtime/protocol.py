"""Length-prefixed JSON frames over pipes: the only channels between the
grader, the fork server in the sandbox and the student's child process.

A frame is 4 bytes of big-endian length and that many bytes of UTF-8 JSON.
Three channels use it:

* grader -> server (requests): plain frames; a ``run`` request's header is
  followed by ``size`` raw bytes of payload (the submission and its calls),
  which the server reads into one buffer it can wipe after the fork;
* child -> server (outcomes): plain frames on the child's own pipe;
* server -> grader: every frame carries one more byte after the length, its
  origin: ``S`` for the server's own messages, ``C`` for a child's frame the
  server relays unchanged. The child never holds the grader's descriptor, so
  it cannot write an ``S`` frame: "the child ended" always comes from the server.

Everything read from a pipe is untrusted: sizes are capped, waits have
deadlines, and any failure to parse (bad UTF-8 or JSON, nesting deep enough
to exhaust the recursion limit, a number too large for memory) is a
``ProtocolError``, never another exception. Runs on all three sides:
imports only the standard library.
"""
from __future__ import annotations

import json
import os
import select
import struct
import time
from dataclasses import dataclass
from enum import Enum
from typing import Any

MAX_FRAME = 8 * 1024 * 1024
SERVER, CHILD = b"S", b"C"


class Kind(str, Enum):
    """The ``type`` of a frame towards the grader."""
    READY = "ready"                    # server: started, with its self-check
    EXITED = "exited"                  # server: the child ended (how, status)
    CONFINED = "confined"              # child: its own set-up is done; student code from here on
    LOADED = "loaded"                  # child: the submission loaded; send the calls
    LOAD_ERROR = "load-error"          # child: the submission did not load (reason)
    OUTCOMES = "outcomes"              # child: outcomes of calls from ``pos`` on (items)
    DONE = "done"                      # child: every call ran
    INTERNAL_ERROR = "internal-error"  # child, before "confined": the sandbox itself failed
    HELPER = "helper"                  # child: a served helper's call (fn, args, kwargs)


class Op(str, Enum):
    """The ``op`` of a request from the grader to the server."""
    RUN = "run"                        # size, calls_size, workdir; then the payload and the calls
    KILL = "kill"                      # end the running child
    ANSWER = "answer"                  # body: the answer to the child's helper call


class ProtocolError(Exception):
    pass


class Timeout(ProtocolError):
    pass


def encode(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode("utf-8")


def decode(data: bytes | bytearray) -> Any:
    """Parse one frame's JSON; any failure is a ProtocolError."""
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError, MemoryError, OverflowError) as exc:
        raise ProtocolError(f"unreadable frame: {type(exc).__name__}") from None


def write_all(fd: int, data: bytes | bytearray | memoryview, deadline: float | None = None) -> None:
    """Write everything; with a ``deadline`` (on a non-blocking descriptor),
    a reader that stops reading is a Timeout, not a hang."""
    view = memoryview(data)
    while view:
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([], [fd], [], left)[1]:
                raise Timeout("timed out writing")
        try:
            view = view[os.write(fd, view):]
        except BlockingIOError:
            continue


def send_before(fd: int, obj: Any, deadline: float) -> None:
    """``send`` on a non-blocking descriptor, within ``deadline``."""
    data = encode(obj)
    write_all(fd, struct.pack(">I", len(data)) + data, deadline)


def send(fd: int, obj: Any) -> None:
    """One plain frame (grader -> server, server -> child, child -> server)."""
    data = encode(obj)
    write_all(fd, struct.pack(">I", len(data)) + data)


def send_tagged(fd: int, origin: bytes, payload: bytes) -> None:
    """One frame from the server to the grader, tagged with its origin."""
    write_all(fd, struct.pack(">I", len(payload) + 1) + origin + payload)


def read_exact(fd: int, size: int, into: bytearray | None = None) -> bytearray:
    """Read exactly ``size`` bytes (blocking) into ``into`` or a new buffer,
    with no copy left anywhere else in this process."""
    buffer = into if into is not None else bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = os.readv(fd, [view[got:size]])
        if n == 0:
            raise ProtocolError("channel closed")
        got += n
    view.release()
    return buffer


def read_frame(fd: int) -> Any:
    """One plain frame, read exactly (nothing of the next frame is consumed)."""
    (length,) = struct.unpack(">I", read_exact(fd, 4))
    if length > MAX_FRAME:
        raise ProtocolError(f"frame of {length} bytes exceeds the {MAX_FRAME}-byte cap")
    return decode(read_exact(fd, length))


class Splitter:
    """Cuts a byte stream from a child into frames (server side, no parsing)."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self.buffer += data
        frames = []
        while len(self.buffer) >= 4:
            (length,) = struct.unpack(">I", self.buffer[:4])
            if length > MAX_FRAME:
                self.buffer.clear()
                raise ProtocolError(f"frame of {length} bytes exceeds the {MAX_FRAME}-byte cap")
            if len(self.buffer) < 4 + length:
                break
            frames.append(bytes(self.buffer[4:4 + length]))
            del self.buffer[:4 + length]
        return frames


@dataclass(frozen=True)
class Message:
    """A frame the grader received: who it comes from and what it says."""
    origin: bytes
    body: Any
    size: int = 0          # bytes of the frame

    @property
    def from_server(self) -> bool:
        return self.origin == SERVER

    @property
    def kind(self) -> str | None:
        value = self.body.get("type") if isinstance(self.body, dict) else None
        return value if isinstance(value, str) else None


class Reader:
    """Reads origin-tagged frames from the server, with a deadline (grader side)."""

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
                raise ProtocolError("channel closed")
            self.buffer += chunk

    def recv(self, deadline: float | None = None) -> Message:
        self._fill(4, deadline)
        (length,) = struct.unpack(">I", self.buffer[:4])
        if not 1 <= length <= MAX_FRAME + 1:
            raise ProtocolError(f"frame of {length} bytes is outside the 1..{MAX_FRAME + 1}-byte range")
        self._fill(4 + length, deadline)
        origin, data = bytes(self.buffer[4:5]), bytes(self.buffer[5:4 + length])
        del self.buffer[:4 + length]
        if origin not in (SERVER, CHILD):
            raise ProtocolError(f"frame of unknown origin {origin!r}")
        return Message(origin, decode(data), 4 + length)
