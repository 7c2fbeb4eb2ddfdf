"""Late work: when each submission came in, against a due date and a declared
policy, and the penalty as a line of its own in every output.

When a submission came in:

* nbgrader's ``timestamp.txt`` next to the notebook
  (``submitted/<student>/<assignment>/timestamp.txt``, written by
  ``nbgrader collect``/``submit``), parsed the way nbgrader parses it (a naive
  time is UTC);
* otherwise, only where asked (``--submitted-time mtime``), the submitted
  file's modification time (for a zip, the time the zip records for it, read
  in the due date's time zone);
* otherwise it is unknown: no penalty, and the class report says so.

The policies (``LatePolicy``), in points of the assignment's maximum:

* ``none``: late work is marked late and loses nothing;
* ``per-day`` / ``per-hour``: ``penalty`` points for every started day (24 h)
  or hour after the due date (after ``grace_minutes``), at most ``max_penalty``;
* ``cap``: late work scores at most ``cap`` points.

A penalty never takes a score below zero. The record keeps the graded score
in ``late.raw_score`` and its ``score`` becomes the score after the penalty;
``apply`` is idempotent (it starts again from ``raw_score``), so a resumed run
or a changed policy recomputes it from the graded score. Without a due date
nothing is read and nothing changes.
"""
from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from autograder.classrun.records import Late, StudentRecord
from autograder.classrun.submissions import Submission, SubmissionError, _read_no_follow

POLICIES = ("none", "per-day", "per-hour", "cap")
TIME_SOURCES = ("timestamp", "mtime")


class LateError(ValueError):
    """A due date, policy or timestamp that cannot be used; the message says what to do."""


def parse_time(text: str, *, what: str = "time") -> datetime:
    """An aware UTC datetime from nbgrader's timestamp format (``2026-03-01
    12:00:00.123456 UTC``, ``... America/New_York``, ``... -0500``) or ISO 8601
    (``2026-03-01T23:59+01:00``, ``...Z``). A time without a zone is UTC, as in
    nbgrader."""
    text = str(text).strip()
    if not text:
        raise LateError(f"the {what} is empty")
    # "... -0500": nbgrader's parse_utc would read the number as seconds; joined, it is an offset
    text = re.sub(r"\s+([+-]\d{2}):?(\d{2})$", r"\1:\2", text)
    try:
        from nbgrader.utils import parse_utc  # nbgrader's own reading, when nbgrader is installed
    except ImportError:
        parse_utc = None
    try:
        if parse_utc is not None:
            value = parse_utc(text)
        else:
            value = datetime.fromisoformat(re.sub(r"\s*(UTC|Z)$", "+00:00", text))
    except (ValueError, OverflowError, TypeError) as exc:
        raise LateError(f"the {what} {text!r} is not a date and time ({exc}): write it as "
                        "2026-03-01T23:59:00+01:00 (ISO 8601; without a zone it is UTC)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


@dataclass(frozen=True)
class LatePolicy:
    due: datetime                    # aware
    kind: str = "none"
    penalty: float = 0.0             # points per started day or hour
    max_penalty: float | None = None  # per-day / per-hour: at most this many points in all
    cap: float | None = None         # cap: a late submission scores at most this
    grace_minutes: float = 0.0
    time_source: str = "timestamp"   # or "mtime": the file's time when there is no timestamp.txt

    def __post_init__(self):
        if self.kind not in POLICIES:
            raise LateError(f"--late-policy must be one of {', '.join(POLICIES)}, not {self.kind!r}")
        if self.time_source not in TIME_SOURCES:
            raise LateError(f"--submitted-time must be one of {', '.join(TIME_SOURCES)}")
        if self.kind in ("per-day", "per-hour") and not self.penalty > 0:
            raise LateError(f"--late-policy {self.kind} needs --late-penalty POINTS (the points taken per "
                            f"started {'day' if self.kind == 'per-day' else 'hour'}), a positive number")
        if self.kind == "cap" and (self.cap is None or self.cap < 0):
            raise LateError("--late-policy cap needs --late-cap POINTS (the most a late submission can score)")
        if self.penalty < 0 or (self.max_penalty is not None and self.max_penalty < 0) or self.grace_minutes < 0:
            raise LateError("--late-penalty, --late-max-penalty and --late-grace cannot be negative")
        if self.due.tzinfo is None:
            raise LateError("the due date needs a time zone")

    def describe(self) -> str:
        grace = f", after {self.grace_minutes:g} minutes' grace" if self.grace_minutes else ""
        if self.kind == "none":
            return "late work is marked, no points taken"
        if self.kind == "cap":
            return f"late work scores at most {self.cap:g} points"
        unit = "day (24 h)" if self.kind == "per-day" else "hour"
        most = f", at most {self.max_penalty:g} points" if self.max_penalty is not None else ""
        return f"{self.penalty:g} points per started {unit} late{grace}{most}"

    def penalty_for(self, raw_score: float, seconds_late: float) -> float:
        """Points taken from ``raw_score`` for a submission ``seconds_late`` late."""
        seconds = seconds_late - 60 * self.grace_minutes
        if seconds <= 0 or self.kind == "none":
            return 0.0
        if self.kind == "cap":
            return max(0.0, raw_score - float(self.cap or 0.0))
        unit = 86400 if self.kind == "per-day" else 3600
        points = math.ceil(seconds / unit - 1e-9) * self.penalty
        if self.max_penalty is not None:
            points = min(points, self.max_penalty)
        return min(max(0.0, raw_score), points)


def submitted_at(submission: Submission, policy: LatePolicy) -> tuple[datetime | None, str]:
    """When ``submission`` came in and where that was read from ("timestamp.txt",
    "file time", "zip time"), or (None, why it is unknown). Follows no link."""
    own_folder = submission.folder.name == submission.student     # not an LMS's flat folder, shared by all
    if submission.file is not None and submission.data is None and own_folder:
        stamp_parts = submission.file.parent.relative_to(submission.folder.parent).parts + ("timestamp.txt",)
        try:
            text = _read_no_follow(submission.folder.parent, stamp_parts, 4096).decode("utf-8", "replace")
        except SubmissionError:
            text = None
        if text is not None:
            try:
                return parse_time(text, what=f"timestamp.txt of {submission.student}"), "timestamp.txt"
            except LateError as exc:
                return None, str(exc)
    if policy.time_source != "mtime":
        return None, "no timestamp.txt (use --submitted-time mtime to take the file's time)"
    if submission.file is None:
        return None, "nothing was submitted"
    if submission.modified is not None:
        return submission.modified.replace(tzinfo=policy.due.tzinfo).astimezone(timezone.utc), "zip time"
    if submission.data is not None:
        return None, "the zip records no time for the file"
    try:
        mtime = os.lstat(submission.file).st_mtime
    except OSError as exc:
        return None, f"could not read the file's time: {exc.strerror}"
    return datetime.fromtimestamp(mtime, timezone.utc), "file time"


def apply(record: StudentRecord, submission: Submission, policy: LatePolicy | None) -> StudentRecord:
    """The record with its late line (``record.late``) and its score after
    the penalty; with no policy, the record as graded. Never changes a
    function's or a check's score: the penalty is a line of its own."""
    if policy is None and not record.late:
        return record
    raw = float(record.late.raw_score) if record.late else float(record.score)
    if policy is None:
        return record.with_late(None, raw)
    when, source = submitted_at(submission, policy)
    seconds = max(0.0, (when - policy.due).total_seconds()) if when is not None else 0.0
    penalty = round(policy.penalty_for(raw, seconds), 6) if when is not None else 0.0
    late = Late(due=policy.due.isoformat(), submitted=when.isoformat() if when else None, source=source,
                seconds_late=round(seconds, 3), late=seconds > 0, lms_marked_late=submission.late_flag,
                policy=policy.kind, rule=policy.describe(), penalty=penalty, raw_score=raw)
    return record.with_late(late, round(max(0.0, raw - penalty), 6))


def late_text(late: Late) -> str:
    """The late line in words, for feedback, Gradescope and the report."""
    if late.submitted is None:
        return f"Submission time unknown ({late.source}): no late penalty."
    if not late.late:
        return "Submitted on time."
    return (f"Submitted {_duration(late.seconds_late)} after the due date ({late.due}); "
            f"policy: {late.rule}. Late penalty: -{late.penalty:g} points "
            f"(graded score {late.raw_score:g}).")


def _duration(seconds: float) -> str:
    delta = timedelta(seconds=round(seconds))
    days, rest = delta.days, delta.seconds
    hours, minutes = rest // 3600, (rest % 3600) // 60
    parts = [f"{days} d"] * bool(days) + [f"{hours} h"] * bool(hours) + [f"{minutes} min"] * bool(minutes)
    return " ".join(parts) or f"{round(seconds)} s"


def feedback_md(page: str, record: StudentRecord) -> str:
    """The feedback page with the late line under the score."""
    late = record.late
    if not late:
        return page
    line = f"**Late work:** {late_text(late)}"
    marker = re.search(r"^\*\*Score:.*$", page, flags=re.M)
    if marker is None:
        return page + "\n\n" + line + "\n"
    return page[:marker.end()] + "\n\n" + line + page[marker.end():]


def feedback_html(page: str, record: StudentRecord) -> str:
    """The HTML feedback page with the late line under the score (an element
    of its own, ``#late-penalty``, with the points in ``data-penalty``)."""
    late = record.late
    if not late:
        return page
    from html import escape
    block = (f'<p id="late-penalty" class="late" data-penalty="{late.penalty:g}" '
             f'data-raw-score="{late.raw_score:g}"><strong>Late work:</strong> {escape(late_text(late))}</p>')
    for anchor in ("<nav>", "</h1>"):
        at = page.find(anchor)
        if at >= 0:
            if anchor == "</h1>":
                at += len(anchor)
            return page[:at] + block + "\n" + page[at:]
    return page.replace("</body>", block + "\n</body>", 1)


def gradescope_test(record: StudentRecord) -> dict | None:
    """The late penalty as a Gradescope test line of its own (negative score,
    no maximum), or None when there is nothing to say."""
    late = record.late
    if not late or not late.late:
        return None
    return {"name": "Late penalty", "score": -float(late.penalty), "max_score": 0,
            "status": "failed" if late.penalty else "passed", "output": late_text(late),
            "output_format": "text", "visibility": "visible", "tags": ["late"]}


def report_rows(records: Iterable[StudentRecord]) -> list[dict]:
    """The class report's late-work rows: every late submission, and every
    one whose time is unknown."""
    rows = []
    for r in records:
        late = r.late
        if late and (late.late or late.submitted is None):
            rows.append({"student": r.student, "submitted": late.submitted, "source": late.source,
                         "seconds_late": late.seconds_late, "late": late.late, "penalty": late.penalty,
                         "raw_score": late.raw_score, "score": r.score, "text": late_text(late)})
    return sorted(rows, key=lambda row: (row["submitted"] is None, -row["seconds_late"], row["student"]))


def policy_from_args(due: str | None, kind: str, penalty: float | None, max_penalty: float | None,
                     cap: float | None, grace: float | None, time_source: str) -> LatePolicy | None:
    """The policy the command line declares, or None without a due date (then
    nothing changes). Any late option without ``--due`` is an error."""
    if due is None:
        given = [name for name, value in (("--late-policy", kind if kind != "none" else None),
                                          ("--late-penalty", penalty), ("--late-max-penalty", max_penalty),
                                          ("--late-cap", cap), ("--late-grace", grace),
                                          ("--submitted-time", time_source if time_source != "timestamp" else None))
                 if value is not None]
        if given:
            raise LateError(f"{', '.join(given)} given without --due: add the due date "
                            "(--due 2026-03-01T23:59:00+01:00), or drop them")
        return None
    return LatePolicy(parse_time(due, what="due date (--due)"), kind, float(penalty or 0.0), max_penalty, cap,
                      float(grace or 0.0), time_source)


def adjuster(policy: LatePolicy | None):
    """The hook the engine applies to each record after grading."""
    def adjust(submission: Submission, record: StudentRecord) -> StudentRecord:
        return apply(record, submission, policy)
    return adjust

