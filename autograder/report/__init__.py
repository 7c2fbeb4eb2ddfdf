"""Reports: a feedback page per student and a class report for the instructor.

``render_feedback_md`` / ``render_feedback_html`` (one record),
``render_class_report`` (a whole results.json), ``terminal_summary`` (the
lines printed at the end of a run). Pages are single self-contained files.
"""
from autograder.report.class_report import render_class_report
from autograder.report.feedback import render_feedback_html, render_feedback_md
from autograder.report.summary import terminal_summary

__all__ = ["render_class_report", "render_feedback_html", "render_feedback_md", "terminal_summary"]
