"""One student's feedback, as Markdown and as a self-contained HTML page.

Built from the student's record in results.json (``autograder.classrun.records``) and,
for the HTML page, the student's sweep curves (``autograder.grading.sweeps.curves``).
The page quotes no hidden probe, no reference output and none of the
student's own words (an error message, a class name, a shape it chose, any
of which may carry a probe): failures are told as what the function did
(kinds, the contract's shapes, a factor the lesson names, a sign), and the
only numbers drawn from the reference are the public sweep curves.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from autograder.classrun.errors import ErrorKind
from autograder.classrun.records import FunctionRecord, StudentRecord
from autograder.grading.compare import hide_numbers
from autograder.grading.findings import FindingKind
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import FUNCTIONS, PARTS, part_of
from autograder.grading.sweeps import Curve
from autograder.report import plots
from autograder.report.text import check_title, render, scrub, what_happened

_NOT_RUN = (FindingKind.NOT_IMPLEMENTED.value, FindingKind.MISSING.value)    # the function did not run at all


def render_feedback_md(record: StudentRecord) -> str:
    return render("feedback.md", **feedback_context(record, None))


def render_feedback_html(record: StudentRecord, curves: dict[str, Curve] | None = None) -> str:
    return render("feedback.html", **feedback_context(record, curves))


def feedback_context(record: StudentRecord, curves: dict[str, Curve] | None) -> dict:
    """Everything the two feedback templates show, as plain data."""
    functions = record.functions
    context: dict = {
        "student": record.student, "status": record.status.value,
        "score": record.score, "max_score": record.max_score,
        "share": record.score / record.max_score if record.max_score else 0.0,
        "isolation": record.isolation.value,
    }
    if not record.graded:
        reason = hide_numbers(record.error or "unknown error")
        context.update(reason=reason, advice=(record.error_kind or ErrorKind.UNKNOWN).advice)
        return context
    context["parts"] = _parts(functions)
    fixes = _fixes(record, curves or {})
    context["fixes"] = [f for f in fixes if not f["not_run"]]
    context["not_run"] = {}       # reason -> functions (e.g. not implemented yet)
    for f in fixes:
        if f["not_run"]:
            context["not_run"].setdefault(f["summary"], []).append(f["function"])
    context["carried"] = _carried(record)
    context["mistakes"] = [_mistake(m, functions) for m in record.mistakes()]
    context["passed_all"] = all(t.passed for t in record.tests)
    return context


def _parts(functions: Mapping[str, FunctionRecord]) -> list[dict]:
    parts = []
    for part in PARTS:
        mine = [f for f in FUNCTIONS if f in functions and part_of(f) == part]
        rows = [{"name": f, "score": functions[f].score, "max_score": functions[f].max_score,
                 "mistakes": list(functions[f].mistakes)} for f in mine]
        parts.append({"name": part, "functions": rows, "score": sum(functions[f].score for f in mine),
                      "max_score": sum(functions[f].max_score for f in mine)})
    return parts


def _fixes(record: StudentRecord, curves: dict[str, Curve]) -> list[dict]:
    """Each function that lost points: its failed checks in plain sentences,
    the mistakes named there, and its curves (student against correct)."""
    fixes = []
    for name in FUNCTIONS:
        info = record.functions.get(name)
        failed = [t for t in record.tests if t.function == name and not t.passed]
        if not failed or info is None:
            continue
        rows: list[dict[str, Any]] = [
            {"title": check_title(t.name), "kind": t.kind, "lost": t.max_score - t.score,
             "max_score": t.max_score, "happened": what_happened(t), "mistakes": list(t.mistakes),
             "what": scrub(t.what if t.input else t.what.rstrip(".")), "input": scrub(t.input.rstrip("."))}
            for t in failed]
        happened = {r["what"] for r in rows}     # whatever the input
        summary = None
        if len(happened) == 1 and len(rows) > 1 and not any(r["mistakes"] for r in rows):
            summary = next(iter(happened))     # e.g. every check: "not implemented yet"
        not_run = summary is not None and all(t.finding in _NOT_RUN for t in failed)
        swept = [] if not_run else [(n, c) for n, c in curves.items() if c.function == name]
        # Only a curve that differs is drawn: one that agrees says nothing the checks do not.
        plotted = [_curve(n, c) for n, c in swept if not _agrees(c)]
        fixes.append({
            "function": name, "score": info.score, "max_score": info.max_score,
            "checks": fold(rows), "summary": summary, "mistakes": list(info.mistakes), "not_run": not_run,
            "curves": plotted, "agreeing": [c.title for n, c in swept if _agrees(c)],
        })
    return fixes


def fold(rows: list[dict]) -> list[dict]:
    """Failed checks that went wrong the same way (the same "what happened",
    whatever the input, and the same mistakes) as one line: their titles
    joined, their points added up, each different input listed once. The
    first one's place in the list is kept."""
    folded: dict[tuple, dict] = {}
    for row in rows:
        what, given = row["what"], row["input"]
        key = (what, tuple(row["mistakes"])) if what else (id(row),)
        if key in folded:
            line = folded[key]
            line["titles"].append(row["title"])
            line["lost"] += row["lost"]
            line["max_score"] += row["max_score"]
            if row["kind"] not in line["kind"].split(", "):
                line["kind"] += ", " + row["kind"]
        else:
            line = folded[key] = dict(row, titles=[row["title"]], what=what, inputs=[])
        if given and given not in line["inputs"]:
            line["inputs"].append(given)
    for line in folded.values():
        line["title"] = "; ".join(line["titles"])
        line["count"] = len(line["titles"])
        if line["count"] > 1:
            inputs = line["inputs"]
            line["happened"] = line["what"] + (
                f"; input: {inputs[0]}" if len(inputs) == 1 else
                f"; inputs: {' / '.join(inputs)}" if inputs else "")
    return list(folded.values())


def _carried(record: StudentRecord) -> list[dict]:
    """Functions that passed checks only with the right helpers in place
    (error carried forward): each one a short note, not a failure."""
    notes: dict[str, dict] = {}
    for t in record.tests:
        if t.passed and t.carried:
            note = notes.setdefault(t.function, {"function": t.function, "checks": 0, "helpers": []})
            note["checks"] += 1
            note["helpers"] += [h for h in t.carried if h not in note["helpers"]]
    return [notes[f] for f in FUNCTIONS if f in notes]


def _curve(name: str, curve: Curve) -> dict:
    return {"name": name, "title": curve.title, "image": plots.curve_plot(curve),
            "problems": list(dict.fromkeys(_problem(p) for p in curve.problems))}


def _problem(text: str) -> str:
    """A sweep's note on a missing point, as ``sweeps._result_array`` wrote
    it: safe at its source (no exception class or shape the student's code
    chose; a sweep's sizes are the page's own)."""
    return str(text)


def _agrees(curve: Curve, rtol: float = 1e-6) -> bool:
    for mine, right in zip(curve.student, curve.reference):
        if mine is None or right is None:
            if mine is not right:
                return False
        elif not math.isclose(mine, right, rel_tol=rtol, abs_tol=1e-12):
            return False
    return True


def _mistake(mistake_id: str, functions: Mapping[str, FunctionRecord]) -> dict:
    m = MISTAKES[mistake_id]
    source, _, passage = m.lesson.partition(" — ")
    return {"id": m.id, "title": m.title, "feedback": m.feedback, "source": source, "passage": passage,
            "anchor": m.anchor or m.id,
            "functions": [f for f in FUNCTIONS if f in functions and mistake_id in functions[f].mistakes]}
