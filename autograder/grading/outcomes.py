"""What one call of a student's function produced, validated and decoded.

Built only from plain data (see ``execution.run_calls``); anything that does
not follow the schema becomes a ``bad-output`` outcome, never an exception
in the grader.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from autograder.sandbox.runtime import caps
from autograder.sandbox.runtime.values import EncodingError, Value, decode_result

STATUSES = ("ok", "raised", "missing", "timeout", "crashed", "bad-output")
FP_ERRORS = ("divide", "overflow", "invalid", "underflow")


@dataclass(frozen=True)
class Outcome:
    status: str
    value: Value | None = None
    error_type: str = ""
    error_message: str = ""
    value_error: bool = False
    not_implemented: bool = False
    fp: frozenset = field(default_factory=frozenset)
    warnings: int = 0
    mutated: tuple = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    @property
    def result(self) -> Value:
        """The value of an ``ok`` outcome (a failed outcome has none)."""
        if self.value is None:
            raise ValueError(f"a {self.status!r} outcome has no value")
        return self.value

    @property
    def raised_value_error(self) -> bool:
        return self.status == "raised" and self.value_error

    @classmethod
    def from_data(cls, data) -> Outcome:
        try:
            return cls._parse(data)
        except Exception as exc:  # noqa: BLE001 - the child's data: whatever it is, it is the child's fault
            return cls("bad-output", error_message=f"unreadable result ({type(exc).__name__})")

    @classmethod
    def _parse(cls, data) -> Outcome:
        if not isinstance(data, dict):
            raise EncodingError("an outcome is not an object")
        status = data["status"]
        if status not in STATUSES:
            raise EncodingError(f"unknown status {status!r}")
        error = data.get("error") or {}
        if not isinstance(error, dict):
            raise EncodingError("bad error description")
        fp = data.get("fp", [])
        mutated = data.get("mutated", [])
        if not (isinstance(fp, list) and (not fp or all(e in FP_ERRORS for e in fp))):
            raise EncodingError("bad fp list")
        if not (isinstance(mutated, list) and (not mutated or all(isinstance(i, int) for i in mutated))):
            raise EncodingError("bad mutated list")
        value = decode_result(data["value"]) if status == "ok" else None
        if not error:           # most outcomes: what the fields below give for no error, without the work
            return cls(status, value, "", "", False, False, frozenset(fp) if fp else _NO_FP,
                       _count(data.get("warnings", 0)), tuple(mutated))
        return cls(
            status=status,
            value=value,
            error_type=str(error.get("type", ""))[:caps.TYPE_NAME],
            error_message=str(error.get("message", ""))[:caps.MESSAGE],
            value_error=bool(error.get("value_error", False)),
            not_implemented=bool(error.get("not_implemented", False)),
            fp=frozenset(fp),
            warnings=_count(data.get("warnings", 0)),
            mutated=tuple(mutated),
        )

    @classmethod
    def failure(cls, status: str, message: str) -> Outcome:
        """A call that produced nothing: timed out, crashed the process, ..."""
        return cls(status, error_message=message)


_NO_FP: frozenset = frozenset()


def _count(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**31:
        raise EncodingError("bad warning count")
    return value
