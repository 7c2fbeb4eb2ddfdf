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
from collections.abc import Iterable
from pathlib import Path

from autograder.classrun.errors import ErrorKind
from autograder.classrun.records import ClassResults, StudentRecord
from autograder.course.late import report_rows
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import FUNCTIONS, RUBRIC, part_of
from autograder.report import plots
from autograder.report.text import render

_ORDER = {m: i for i, m in enumerate(MISTAKES)}     # catalogue order breaks ties
META_FIELDS = [("grader_version", "Grader version"), ("isolation", "Isolation"), ("seed", "Probe seed"),
               ("elapsed_seconds", "Elapsed (s)"), ("jobs", "Parallel jobs"), ("started", "Started")]


def render_class_report(results: ClassResults, feedback_links: dict[str, str] | None = None) -> str:
    """``feedback_links`` optionally maps a student id to the (relative) path
    of that student's feedback page, for links from the roster."""
    links = feedback_links if feedback_links is not None else {}
    tally = results_tally(results, links)
    page = render("class_report.html", **class_context(results, tally))
    return _with_course_sections(page, results, tally, links)


def _with_course_sections(page: str, results: ClassResults, tally: Tally, links: dict[str, str]) -> str:
    """The late-work and identical-submission sections, put before
    the roster: rendered from ``course_sections.html``."""
    rows = sorted(tally.late_rows, key=lambda row: (row["submitted"] is None, -row["seconds_late"], row["student"]))
    rule, due = tally.late_policy or (None, None)
    sections = render("course_sections.html", late_rows=rows, late_policy=rule, late_due=due,
                      identical=results.identical, links=links)
    for anchor in ('<section id="roster"', '<section id="run"', "</body>"):
        if anchor in page:
            return page.replace(anchor, sections + anchor, 1)
    return page + sections


class Tally:
    """Everything the report counts, fed ONE record at a time and keeping none
    of them (a class of 10,000 is read from disk one record at a time):
    scores, mistakes and where they were named, passes per check and per
    function, the submissions in error, the late-work rows, and a roster row
    for each student, of which only the ``ROSTER_ROWS`` lowest graded ones are
    kept once the class is larger than that (``_roster`` shows no more)."""

    def __init__(self) -> None:
        self.total = 0
        self.scores: list[float] = []
        self.errors: list[dict] = []
        self.roster: list[dict] = []
        self.counts: dict[str, int] = {}
        self.named_in: dict[str, set] = {}
        self.passed = {c.name: 0 for c in RUBRIC}
        self.full = {f: 0 for f in FUNCTIONS}
        self.got = {f: 0.0 for f in FUNCTIONS}
        self.possible = {f: 0.0 for f in FUNCTIONS}
        self.isolations: set[str] = set()
        self.late_rows: list[dict] = []
        self.late_policy: tuple[str, str] | None = None     # (rule, due) of the first late line seen

    @classmethod
    def of(cls, records: Iterable[StudentRecord], links: dict[str, str] | None = None) -> Tally:
        tally = cls()
        for r in records:
            tally.add(r, links.get(r.student) if links is not None else None)
        return tally

    def add(self, r: StudentRecord, link: str | None = None) -> None:
        self.total += 1
        self.isolations.add(r.isolation.value)
        mistakes = r.mistakes()
        self.roster.append({"student": r.student, "status": r.status.value, "score": r.score,
                            "max_score": r.max_score, "mistakes": mistakes, "link": link})
        if len(self.roster) > 4 * ROSTER_ROWS:
            self.roster = _bounded_roster(self.roster)
        if r.late:
            self.late_policy = self.late_policy or (r.late.rule, r.late.due)
            self.late_rows += report_rows([r])
        if not r.graded:
            self.errors.append({"student": r.student, "reason": r.error or "unknown error",
                                "advice": (r.error_kind or ErrorKind.UNKNOWN).advice})
            return
        self.scores.append(float(r.score))
        for mistake in mistakes:
            self.counts[mistake] = self.counts.get(mistake, 0) + 1
        for f, info in r.functions.items():
            for mistake in info.mistakes:
                self.named_in.setdefault(mistake, set()).add(f)
            if f in self.full:
                self.full[f] += info.score >= info.max_score - 1e-9
                self.got[f] += float(info.score)
                self.possible[f] += float(info.max_score)
        for test in r.tests:
            if test.passed and test.name in self.passed:
                self.passed[test.name] += 1

    @property
    def graded(self) -> int:
        return len(self.scores)


def _bounded_roster(rows: list[dict]) -> list[dict]:
    """The rows a large class's roster can still show: the ``ROSTER_ROWS``
    lowest graded (by score, then id) and every submission in error."""
    graded = sorted((r for r in rows if r["status"] == "graded"), key=lambda r: (float(r["score"]), r["student"]))
    return graded[:ROSTER_ROWS] + [r for r in rows if r["status"] != "graded"]


def class_stats(results: ClassResults, tally: Tally | None = None) -> dict:
    """The numbers of a run: counts, scores of the graded, mistake counts
    (students per mistake, most frequent first)."""
    tally = tally or results_tally(results)
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


def _isolation(results: ClassResults, tally: Tally) -> str:
    meta = results.meta
    if meta.get("isolation"):
        return str(meta["isolation"])
    return ", ".join(sorted(tally.isolations)) or "not recorded"


def results_tally(results: ClassResults, links: dict[str, str] | None = None) -> Tally:
    """The run's tally: the one counted while a large class was streamed, or
    one counted now from the records held."""
    if isinstance(results.tally, Tally):
        return results.tally
    return Tally.of(results.students, links)


def class_context(results: ClassResults, tally: Tally) -> dict:
    stats = class_stats(results, tally)
    max_score = results.max_score
    mistakes = [_mistake_row(m, n, tally) for m, n in stats["mistake_counts"].items()]
    bars_image, bar_areas = plots.mistake_bars([(m["id"], m["count"], f"#lesson-{m['anchor']}") for m in mistakes],
                                               stats["graded"])
    checks = _check_rates(tally)
    functions = _function_rates(tally, checks)
    return {
        "assignment": results.assignment, "max_score": max_score, "stats": stats,
        "histogram": plots.score_histogram(stats["scores"], max_score, stats["errors"]),
        "mistakes": mistakes, "mistake_bars": bars_image, "mistake_areas": bar_areas,
        "heatmap": _heatmap(checks),
        "functions": functions,
        "checks": sorted(checks, key=lambda c: (c["rate"] if c["rate"] is not None else 2, c["order"])),
        "lesson": [_lesson_entry(m, stats["mistake_counts"].get(m.id, 0)) for m in MISTAKES.values()],
        "errors": tally.errors,
        **_roster(tally),
        "meta": [(label, results.meta.get(key)) for key, label in META_FIELDS],
    }


def _heatmap_rows(checks: list[dict]) -> dict[str, list[tuple[str, float | None]]]:
    return {f: [(c["short"], c["rate"]) for c in checks if c["function"] == f] for f in FUNCTIONS}


def _heatmap(checks: list[dict]) -> str:
    return plots.pass_rate_heatmap(FUNCTIONS, _heatmap_rows(checks))


def draw_heatmap(results: ClassResults) -> Path | None:
    """Draw the report's pass-rate heatmap into the renderers' shared plot
    cache, ahead of ``render_class_report`` (the engine has another renderer
    do it meanwhile). Returns the cache's file, for the engine to remove
    once the report is written (None where nothing is shared)."""
    checks = _check_rates(results_tally(results))
    _heatmap(checks)
    return plots.cache_file(plots.heatmap_key(FUNCTIONS, _heatmap_rows(checks)))


ROSTER_ROWS = 500     # above this many students the roster lists only those most in need of a look


def _roster(tally: Tally) -> dict:
    """The per-student list, highest score first, errors last. A large class
    (more than ``ROSTER_ROWS`` students) gets an aggregate instead: the
    ``ROSTER_ROWS`` lowest scores and every submission in error, so that
    the page stays light; grades.csv holds every row."""
    order = (lambda r: (r["status"] != "graded", -float(r["score"]), r["student"]))
    if tally.total <= ROSTER_ROWS:
        return {"roster": sorted(tally.roster, key=order), "roster_total": tally.total, "roster_cut": False}
    shown = _bounded_roster(tally.roster)
    return {"roster": sorted(shown, key=order), "roster_total": tally.total, "roster_cut": True,
            "roster_graded_shown": min(ROSTER_ROWS, tally.graded)}


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
