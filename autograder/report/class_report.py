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

from autograder.classrun.errors import advice_for
from autograder.classrun.records import mistakes_of
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import FUNCTIONS, RUBRIC, part_of
from autograder.report import plots
from autograder.report.text import render

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
    from autograder.course.late import report_rows
    late = next((r["late"] for r in results["students"] if r.get("late")), None)
    sections = render("course_sections.html", late_rows=report_rows(results["students"]),
                      late_policy=late["rule"] if late else None, late_due=late["due"] if late else None,
                      identical=results.get("identical") or [], links=links)
    for anchor in ('<section id="roster"', '<section id="run"', "</body>"):
        if anchor in page:
            return page.replace(anchor, sections + anchor, 1)
    return page + sections


class Tally:
    """Everything the report counts, read in ONE pass over the records and
    keeping none of them (a class of 10,000 is read from disk one record at
    a time): scores, mistakes and where they were named, passes per check
    and per function, the submissions in error and a light roster row each."""

    def __init__(self, records, feedback_links: dict[str, str] | None = None):
        links = feedback_links or {}
        self.total, self.scores, self.errors, self.roster = 0, [], [], []
        self.counts: dict[str, int] = {}
        self.named_in: dict[str, set] = {}
        self.passed = {c.name: 0 for c in RUBRIC}
        self.full = {f: 0 for f in FUNCTIONS}
        self.got = {f: 0.0 for f in FUNCTIONS}
        self.possible = {f: 0.0 for f in FUNCTIONS}
        self.isolations: set[str] = set()
        for r in records:
            self.total += 1
            if r.get("isolation"):
                self.isolations.add(str(r["isolation"]))
            mistakes = mistakes_of(r)
            self.roster.append({"student": r["student"], "status": r["status"], "score": r["score"],
                                "max_score": r["max_score"], "mistakes": mistakes, "link": links.get(r["student"])})
            if r["status"] != "graded":
                self.errors.append({"student": r["student"], "reason": r.get("error") or "unknown error",
                                    "advice": advice_for(r)})
                continue
            self.scores.append(float(r["score"]))
            for mistake in mistakes:
                self.counts[mistake] = self.counts.get(mistake, 0) + 1
            for f, info in r["functions"].items():
                for mistake in info["mistakes"]:
                    self.named_in.setdefault(mistake, set()).add(f)
                if f in self.full:
                    self.full[f] += info["score"] >= info["max_score"] - 1e-9
                    self.got[f] += float(info["score"])
                    self.possible[f] += float(info["max_score"])
            passed = r["passed_checks"] if "tests" not in r else [t["name"] for t in r["tests"] if t["passed"]]
            for name in passed:           # a light record (outputs.light_record) names only its passed checks
                if name in self.passed:
                    self.passed[name] += 1

    @property
    def graded(self) -> int:
        return len(self.scores)


def class_stats(results: dict, tally: Tally | None = None) -> dict:
    """The numbers of a run: counts, scores of the graded, mistake counts
    (students per mistake, most frequent first)."""
    tally = tally or Tally(results["students"])
    scores = tally.scores
    return {
        "total": tally.total, "graded": tally.graded, "errors": tally.total - tally.graded,
        "scores": scores,
        "mean": statistics.fmean(scores) if scores else None,
        "median": statistics.median(scores) if scores else None,
        "mistake_counts": dict(sorted(tally.counts.items(),
                                      key=lambda kv: (-kv[1], _ORDER.get(kv[0], len(_ORDER))))),
        "isolation": _isolation(results, tally),
    }


def _isolation(results: dict, tally: Tally) -> str:
    meta = results.get("meta") or {}
    if meta.get("isolation"):
        return str(meta["isolation"])
    return ", ".join(sorted(tally.isolations)) or "not recorded"


def class_context(results: dict, feedback_links: dict[str, str]) -> dict:
    tally = Tally(results["students"], feedback_links)
    stats = class_stats(results, tally)
    max_score = results.get("max_score", 100)
    mistakes = [_mistake_row(m, n, tally) for m, n in stats["mistake_counts"].items()]
    bars_image, bar_areas = plots.mistake_bars([(m["id"], m["count"], f"#lesson-{m['anchor']}") for m in mistakes],
                                               stats["graded"])
    checks = _check_rates(tally)
    functions = _function_rates(tally, checks)
    return {
        "assignment": results.get("assignment", ""), "max_score": max_score, "stats": stats,
        "histogram": plots.score_histogram(stats["scores"], max_score, stats["errors"]),
        "mistakes": mistakes, "mistake_bars": bars_image, "mistake_areas": bar_areas,
        "heatmap": plots.pass_rate_heatmap(FUNCTIONS, {f: [(c["short"], c["rate"]) for c in checks if c["function"] == f]
                                                       for f in FUNCTIONS}),
        "functions": functions,
        "checks": sorted(checks, key=lambda c: (c["rate"] if c["rate"] is not None else 2, c["order"])),
        "lesson": [_lesson_entry(m, stats["mistake_counts"].get(m.id, 0)) for m in MISTAKES.values()],
        "errors": tally.errors,
        **_roster(tally.roster),
        "meta": [(label, (results.get("meta") or {}).get(key)) for key, label in META_FIELDS],
    }


ROSTER_ROWS = 500     # above this many students the roster lists only those most in need of a look


def _roster(rows: list[dict]) -> dict:
    """The per-student list, highest score first, errors last. A large class
    (more than ``ROSTER_ROWS`` students) gets an aggregate instead: the
    ``ROSTER_ROWS`` lowest scores and every submission in error, so that
    the page stays light; grades.csv holds every row."""
    order = (lambda r: (r["status"] != "graded", -float(r["score"]), r["student"]))
    if len(rows) <= ROSTER_ROWS:
        return {"roster": sorted(rows, key=order), "roster_total": len(rows), "roster_cut": False}
    graded = sorted((r for r in rows if r["status"] == "graded"), key=lambda r: (float(r["score"]), r["student"]))
    shown = graded[:ROSTER_ROWS] + [r for r in rows if r["status"] != "graded"]
    return {"roster": sorted(shown, key=order), "roster_total": len(rows), "roster_cut": True,
            "roster_graded_shown": min(ROSTER_ROWS, len(graded))}


def _mistake_row(mistake_id: str, count: int, tally: Tally) -> dict:
    m = MISTAKES.get(mistake_id)
    functions = sorted(tally.named_in.get(mistake_id, ()),
                       key=lambda f: FUNCTIONS.index(f) if f in FUNCTIONS else len(FUNCTIONS))
    return {"id": mistake_id, "title": m.title if m else mistake_id, "count": count,
            "share": count / tally.graded if tally.graded else 0.0,
            "anchor": (m.anchor or m.id) if m else mistake_id, "functions": functions}


def _lesson_entry(m, count: int) -> dict:
    source, _, passage = m.lesson.partition(" — ")
    return {"id": m.id, "title": m.title, "anchor": m.anchor or m.id, "source": source, "passage": passage,
            "feedback": m.feedback, "count": count}


def _check_rates(tally: Tally) -> list[dict]:
    graded = tally.graded
    return [{"name": c.name, "function": c.function, "short": c.name.split(":", 1)[1], "title": c.title,
             "kind": c.kind, "points": c.points, "passed": tally.passed[c.name], "order": i,
             "rate": tally.passed[c.name] / graded if graded else None}
            for i, c in enumerate(RUBRIC)]


def _function_rates(tally: Tally, checks: list[dict]) -> list[dict]:
    graded = tally.graded
    return [{"name": name, "part": part_of(name), "full": tally.full[name],
             "rate": tally.full[name] / graded if graded else None,
             "points_share": tally.got[name] / tally.possible[name] if tally.possible[name] else None,
             "checks": len([c for c in checks if c["function"] == name])}
            for name in FUNCTIONS]
