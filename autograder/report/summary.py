"""The few lines the grader prints when a class has been graded."""
from __future__ import annotations

from pathlib import Path

from autograder.classrun.records import ClassResults
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.report.class_report import Tally, class_stats


def terminal_summary(results: ClassResults, report_path, tally: Tally | None = None) -> str:
    stats = class_stats(results, tally)
    max_score = results.max_score
    lines = [f"Graded {stats['graded']} of {stats['total']} submissions, {stats['errors']} in error "
             f"(student code isolation: {stats['isolation']})."]
    if stats["scores"]:
        lines.append(f"Score of the graded: mean {stats['mean']:.1f}, median {stats['median']:.1f} "
                     f"(of {max_score:g}).")
    top = list(stats["mistake_counts"].items())[:5]
    if top:
        lines.append("Most frequent mistakes:")
        width = max(len(m) for m, _ in top)
        for mistake, count in top:
            title = MISTAKES[mistake].title if mistake in MISTAKES else ""
            lines.append(f"  {count:4d}  {mistake:<{width}}  {title}")
    else:
        lines.append("No named mistakes.")
    lines.append(f"Report: {Path(report_path).resolve()}")
    return "\n".join(lines)
