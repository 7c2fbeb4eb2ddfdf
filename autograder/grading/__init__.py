"""Judging one submission: the rubric and its probes, outcomes, comparison, scoring, diagnosis, error carried forward."""
