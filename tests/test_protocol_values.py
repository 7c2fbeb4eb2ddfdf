"""Unit tests of the trust boundary's two halves: the frames on the pipes
(``autograder/sandbox/runtime/protocol.py``) and the plain-data values inside them
(``autograder/sandbox/runtime/values.py``, ``Outcome.from_data``). Everything here can come
from a hostile child, so every malformed input must end as the module's own
error (``ProtocolError``, ``EncodingError``, a ``bad-output`` outcome),
never as another exception in the grader."""
from __future__ import annotations

import base64
import os
import struct
import time

import numpy as np
import pytest

from autograder.grading.outcomes import Outcome
from autograder.sandbox.runtime import protocol, values
from autograder.sandbox.runtime.protocol import CHILD, SERVER, Kind, Op


def frame(payload: bytes, origin: bytes | None = None) -> bytes:
    body = (origin or b"") + payload
    return struct.pack(">I", len(body)) + body


def reader_with(data: bytes) -> protocol.Reader:
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    return protocol.Reader(r)


def test_a_frame_round_trips_and_the_kinds_are_plain_strings_on_the_wire():
    r, w = os.pipe()
    protocol.send(w, {"type": Kind.OUTCOMES, "pos": 0, "items": [1, 2]})
    protocol.send(w, {"op": Op.KILL})
    assert protocol.read_frame(r) == {"type": "outcomes", "pos": 0, "items": [1, 2]}
    assert protocol.read_frame(r) == {"op": "kill"}
    os.close(r)
    os.close(w)


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"{not json", b"[" * 100_000 + b"]" * 100_000, b""])
def test_unreadable_frames_are_protocol_errors(payload):
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(payload)


def test_the_reader_refuses_unknown_origins_oversized_and_empty_frames_and_closed_pipes():
    with pytest.raises(protocol.ProtocolError, match="origin"):
        reader_with(frame(b"{}", b"X")).recv(deadline=time.monotonic() + 5)
    with pytest.raises(protocol.ProtocolError, match="outside"):
        reader_with(struct.pack(">I", protocol.MAX_FRAME + 2)).recv(deadline=time.monotonic() + 5)
    with pytest.raises(protocol.ProtocolError, match="outside"):
        reader_with(struct.pack(">I", 0)).recv(deadline=time.monotonic() + 5)
    with pytest.raises(protocol.ProtocolError, match="closed"):
        reader_with(frame(b'{"a":', SERVER)[:6]).recv(deadline=time.monotonic() + 5)


def test_the_reader_times_out_instead_of_hanging():
    r, w = os.pipe()
    try:
        with pytest.raises(protocol.Timeout):
            protocol.Reader(r).recv(deadline=time.monotonic() + 0.2)
    finally:
        os.close(r)
        os.close(w)


def test_the_reader_tags_each_message_with_its_origin_and_size():
    reader = reader_with(frame(b'{"type":"exited"}', SERVER) + frame(b'{"type":"done"}', CHILD))
    first, second = reader.recv(time.monotonic() + 5), reader.recv(time.monotonic() + 5)
    assert first.from_server and first.kind == Kind.EXITED and first.size == 4 + 1 + 17
    assert not second.from_server and second.kind == Kind.DONE
    assert protocol.Message(CHILD, ["not", "a", "dict"]).kind is None
    assert protocol.Message(CHILD, {"type": 7}).kind is None


def test_the_splitter_cuts_a_stream_anywhere_and_refuses_an_oversized_length():
    stream = frame(b'{"a":1}') + frame(b'{"b":2}')
    splitter = protocol.Splitter()
    got = [f for i in range(len(stream)) for f in splitter.feed(stream[i:i + 1])]
    assert got == [b'{"a":1}', b'{"b":2}']
    with pytest.raises(protocol.ProtocolError):
        protocol.Splitter().feed(struct.pack(">I", protocol.MAX_FRAME + 1))


def test_write_all_with_a_deadline_does_not_hang_on_a_full_pipe():
    r, w = os.pipe()
    os.set_blocking(w, False)
    try:
        with pytest.raises(protocol.Timeout):
            protocol.write_all(w, b"x" * (1 << 22), deadline=time.monotonic() + 0.3)
    finally:
        os.close(r)
        os.close(w)


# ------------------------------------------------------------------ values

@pytest.mark.parametrize("value", [np.arange(6.0).reshape(2, 3), np.array([], dtype=np.float64), (1, [2.5, "x"]),
                                   None, True, 3, 2.5, "text"])
def test_probe_arguments_round_trip(value):
    back = values.decode_arg(values.encode_arg(value))
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    else:
        assert back == value


def test_read_only_arguments_stay_read_only():
    a = np.ones(3)
    a.setflags(write=False)
    assert not values.decode_arg(values.encode_arg(a)).flags.writeable


def test_results_keep_their_exact_type():
    class Sly(float):
        def __eq__(self, other):
            return True
    assert values.decode_result(values.encode_result(2.5)).kind == "float"
    assert values.decode_result(values.encode_result(np.float64(2.5))).tag == "np.float64"
    assert values.decode_result(values.encode_result(Sly(1.0))).kind == "other"
    assert values.decode_result(values.encode_result(np.array(["a"]))).kind == "other"
    big = values.encode_result(np.zeros(values.MAX_ITEMS + 1))
    assert big["t"] == "other"
    nested = values.decode_result(values.encode_result((np.ones(2), 1.0, [1, 2])))
    assert nested.kind == "tuple" and [v.kind for v in nested.payload] == ["array", "float", "list"]


@pytest.mark.parametrize("data", [
    None, [], {"t": "nope"}, {"t": "float", "v": "1.0"}, {"t": "float", "v": True}, {"t": "int", "v": 1.5},
    {"t": "str", "v": 3}, {"t": "nd", "shape": [2], "b64": base64.b64encode(b"x" * 8).decode()},
    {"t": "nd", "shape": [-1], "b64": ""}, {"t": "nd", "shape": "2", "b64": ""},
    {"t": "nd", "shape": [1], "b64": "!!!"}, {"t": "tuple", "items": [{"t": "none"}] * 17},
    {"t": "tuple", "items": "abc"},
])
def test_malformed_results_are_encoding_errors(data):
    with pytest.raises(values.EncodingError):
        values.decode_result(data)


def test_deep_results_are_refused():
    data: dict = {"t": "none"}
    for _ in range(values.MAX_DEPTH + 3):
        data = {"t": "tuple", "items": [data]}
    with pytest.raises(values.EncodingError):
        values.decode_result(data)


@pytest.mark.parametrize("data", [
    "not a dict", {"status": "exploded"}, {"status": "ok"}, {"status": "ok", "value": {"t": "bogus"}},
    {"status": "raised", "error": "oops"}, {"status": "ok", "value": {"t": "none"}, "fp": ["weird"]},
    {"status": "ok", "value": {"t": "none"}, "mutated": ["0"]}, {"status": "ok", "value": {"t": "none"}, "warnings": -1},
    {"status": "ok", "value": {"t": "none"}, "warnings": True},
])
def test_a_malformed_outcome_is_a_bad_output_never_an_exception(data):
    assert Outcome.from_data(data).status == "bad-output"


def test_a_well_formed_outcome_is_read_with_its_evidence():
    outcome = Outcome.from_data({"status": "raised", "error": {"type": "ValueError", "message": "m" * 999,
                                                                "value_error": True},
                                 "fp": ["overflow"], "warnings": 2, "mutated": [1]})
    assert outcome.raised_value_error and outcome.fp == frozenset({"overflow"}) and outcome.mutated == (1,)
    assert len(outcome.error_message) == 300


def test_the_sandbox_runtime_imports_only_the_standard_library_numpy_and_itself():
    """The files copied into the sandbox (``sandbox.RUNTIME_FILES``) must run
    there without the rest of the package."""
    import ast
    import sys

    from autograder.sandbox import RUNTIME, RUNTIME_FILES
    assert set(RUNTIME_FILES) == {"caps.py", "protocol.py", "values.py", "execution.py", "seccomp.py", "server.py"}
    own = {name[:-3] for name in RUNTIME_FILES}
    for name in RUNTIME_FILES:
        tree = ast.parse((RUNTIME / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level:
                names = [node.module] if node.module else [a.name for a in node.names]
                assert set(names) <= own, (name, names)
            elif isinstance(node, (ast.Import, ast.ImportFrom)) and not getattr(node, "level", 0):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
                for module in modules:
                    top = module.split(".")[0]
                    assert top in sys.stdlib_module_names or top in ("numpy", "__future__"), (name, module)


def test_a_call_that_changes_numpys_error_state_does_not_blind_the_next_one():
    """numpy's error state is re-armed only when a call changed it: every way a
    function can change it (seterr, seterrcall, errstate left open) is seen,
    and the next call's floating-point errors are still recorded."""
    from autograder.sandbox.runtime.execution import run_calls
    namespace: dict = {}
    exec('''
import numpy as np
def silence(x):
    np.seterr(all="ignore")
    return 1.0
def swap_callback(x):
    np.seterrcall(lambda err, flag: None)
    return 1.0
def leave_open(x):
    np.errstate(all="raise").__enter__()
    return 1.0
def overflow(x):
    return float(np.exp(np.float64(x)))
''', namespace)
    calls = [{"fn": fn, "args": [values.encode_arg(1000.0)]}
             for changer in ("silence", "swap_callback", "leave_open") for fn in (changer, "overflow")]
    outcomes = list(run_calls(namespace, calls))
    assert [o["status"] for o in outcomes] == ["ok"] * 6
    assert [o["fp"] for o in outcomes[1::2]] == [["overflow"]] * 3
