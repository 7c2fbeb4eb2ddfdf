"""The instructor's report on a whole class, one self-contained HTML file.

Built from results.json: the score distribution, how many students made
each named mistake (linked to the lesson passage it comes from), the pass
rate of every function and check, the submissions that could not be graded
and why, and the run's metadata. Every count the page shows is also in a
``data-count`` / ``data-pass-rate`` attribute, so tests (and scripts) can
read the numbers back from the HTML.
"""
from __future__ import annotations

import statistics

from ..mistakes.catalogue import MISTAKES
from ..records import mistakes_of
from ..rubric import FUNCTIONS, RUBRIC, part_of
from . import plots
from .text import error_advice, render

_ORDER = {m: i for i, m in enumerate(MISTAKES)}     # catalogue order breaks ties
META_FIELDS = [("grader_version", "Grader version"), ("isolation", "Isolation"), ("seed", "Probe seed"),
               ("elapsed_seconds", "Elapsed (s)"), ("jobs", "Parallel jobs"), ("started", "Started")]


def render_class_report(results: dict, feedback_links: dict[str, str] | None = None) -> str:
    """``feedback_links`` optionally maps a student id to the (relative) path
    of that student's feedback page, for links from the roster."""
    page = render("class_report.html", **class_context(results, feedback_links or {}))
    return _with_course_sections(page, results, feedback_links or {})


def _with_course_sections(page: str, results: dict, links: dict[str, str]) -> str:
    """The late-work and identical-submission sections (issue 12), put before
    the roster: rendered from ``course_sections.html``."""
    from ..late import report_rows
    late = next((r["late"] for r in results["students"] if r.get("late")), None)
    sections = render("course_sections.html", late_rows=report_rows(results["students"]),
                      late_policy=late["rule"] if late else None, late_due=late["due"] if late else None,
                      identical=results.get("identical") or [], links=links)
    for anchor in ('<section id="roster"', '<section id="run"', "</body>"):
        if anchor in page:
            return page.replace(anchor, sections + anchor, 1)
    return page + sections


def class_stats(results: dict) -> dict:
    """The numbers of a run: counts, scores of the graded, mistake counts
    (students per mistake, most frequent first)."""
    students = results["students"]
    graded = [r for r in students if r["status"] == "graded"]
    scores = [float(r["score"]) for r in graded]
    counts: dict[str, int] = {}
    for record in graded:
        for mistake in mistakes_of(record):
            counts[mistake] = counts.get(mistake, 0) + 1
    return {
        "total": len(students), "graded": len(graded), "errors": len(students) - len(graded),
        "scores": scores,
        "mean": statistics.fmean(scores) if scores else None,
        "median": statistics.median(scores) if scores else None,
        "mistake_counts": dict(sorted(counts.items(), key=lambda kv: (-kv[1], _ORDER.get(kv[0], len(_ORDER))))),
        "isolation": _isolation(results),
    }


def _isolation(results: dict) -> str:
    meta = results.get("meta") or {}
    if meta.get("isolation"):
        return str(meta["isolation"])
    levels = sorted({str(r.get("isolation")) for r in results["students"] if r.get("isolation")})
    return ", ".join(levels) or "not recorded"


def class_context(results: dict, feedback_links: dict[str, str]) -> dict:
    stats = class_stats(results)
    graded = [r for r in results["students"] if r["status"] == "graded"]
    max_score = results.get("max_score", 100)
    mistakes = [_mistake_row(m, n, graded) for m, n in stats["mistake_counts"].items()]
    bars_image, bar_areas = plots.mistake_bars([(m["id"], m["count"], f"#lesson-{m['anchor']}") for m in mistakes],
                                               stats["graded"])
    checks = _check_rates(graded)
    functions = _function_rates(graded, checks)
    return {
        "assignment": results.get("assignment", ""), "max_score": max_score, "stats": stats,
        "histogram": plots.score_histogram(stats["scores"], max_score, stats["errors"]),
        "mistakes": mistakes, "mistake_bars": bars_image, "mistake_areas": bar_areas,
        "heatmap": plots.pass_rate_heatmap(FUNCTIONS, {f: [(c["short"], c["rate"]) for c in checks if c["function"] == f]
                                                       for f in FUNCTIONS}),
        "functions": functions,
        "checks": sorted(checks, key=lambda c: (c["rate"] if c["rate"] is not None else 2, c["order"])),
        "lesson": [_lesson_entry(m, stats["mistake_counts"].get(m.id, 0)) for m in MISTAKES.values()],
        "errors": [{"student": r["student"], "reason": r.get("error") or "unknown error",
                    "advice": error_advice(r.get("error"))} for r in results["students"] if r["status"] != "graded"],
        **_roster(results["students"], feedback_links),
        "meta": [(label, (results.get("meta") or {}).get(key)) for key, label in META_FIELDS],
    }


ROSTER_ROWS = 500     # above this many students the roster lists only those most in need of a look


def _roster(records: list[dict], feedback_links: dict[str, str]) -> dict:
    """The per-student list, highest score first, errors last. A large class
    (more than ``ROSTER_ROWS`` students) gets an aggregate instead: the
    ``ROSTER_ROWS`` lowest scores and every submission in error, so that
    the page stays light; grades.csv holds every row."""
    def row(r):
        return {"student": r["student"], "status": r["status"], "score": r["score"], "max_score": r["max_score"],
                "mistakes": mistakes_of(r), "link": feedback_links.get(r["student"])}
    order = (lambda r: (r["status"] != "graded", -float(r["score"]), r["student"]))
    if len(records) <= ROSTER_ROWS:
        return {"roster": sorted(map(row, records), key=order), "roster_total": len(records), "roster_cut": False}
    graded = sorted((r for r in records if r["status"] == "graded"), key=lambda r: (float(r["score"]), r["student"]))
    shown = [row(r) for r in graded[:ROSTER_ROWS]]
    shown += [row(r) for r in sorted((r for r in records if r["status"] != "graded"), key=lambda r: r["student"])]
    return {"roster": sorted(shown, key=order), "roster_total": len(records), "roster_cut": True,
            "roster_graded_shown": min(ROSTER_ROWS, len(graded))}


def _mistake_row(mistake_id: str, count: int, graded: list[dict]) -> dict:
    m = MISTAKES.get(mistake_id)
    functions = sorted({f for r in graded for f, info in r["functions"].items() if mistake_id in info["mistakes"]},
                       key=lambda f: FUNCTIONS.index(f) if f in FUNCTIONS else len(FUNCTIONS))
    return {"id": mistake_id, "title": m.title if m else mistake_id, "count": count,
            "share": count / len(graded) if graded else 0.0, "anchor": (m.anchor or m.id) if m else mistake_id,
            "functions": functions}


def _lesson_entry(m, count: int) -> dict:
    source, _, passage = m.lesson.partition(" — ")
    return {"id": m.id, "title": m.title, "anchor": m.anchor or m.id, "source": source, "passage": passage,
            "feedback": m.feedback, "count": count}


def _check_rates(graded: list[dict]) -> list[dict]:
    passed = {c.name: 0 for c in RUBRIC}
    for record in graded:
        for test in record["tests"]:
            if test["passed"] and test["name"] in passed:
                passed[test["name"]] += 1
    return [{"name": c.name, "function": c.function, "short": c.name.split(":", 1)[1], "title": c.title,
             "kind": c.kind, "points": c.points, "passed": passed[c.name], "order": i,
             "rate": passed[c.name] / len(graded) if graded else None}
            for i, c in enumerate(RUBRIC)]


def _function_rates(graded: list[dict], checks: list[dict]) -> list[dict]:
    rows = []
    for name in FUNCTIONS:
        full = sum(1 for r in graded if r["functions"][name]["score"] >= r["functions"][name]["max_score"] - 1e-9)
        got = sum(float(r["functions"][name]["score"]) for r in graded)
        possible = sum(float(r["functions"][name]["max_score"]) for r in graded)
        rows.append({"name": name, "part": part_of(name), "full": full,
                     "rate": full / len(graded) if graded else None,
                     "points_share": got / possible if possible else None,
                     "checks": len([c for c in checks if c["function"] == name])})
    return rows
