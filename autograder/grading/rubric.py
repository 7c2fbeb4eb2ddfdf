"""The rubric: every hidden check, the function it belongs to, its points and kind.

This is the one declared place to read what is graded and how much it is
worth. Checks live in ``autograder/grading/checks/part*.py``; the totals are
validated when this module is imported.
"""
from __future__ import annotations

from collections import OrderedDict

from autograder.authoring.single_source import graded_functions
from autograder.grading.checks import part1_per_sample, part2_batch, part3_gradients, part4_stable, part5_updates, part6_decisions
from autograder.grading.checks.base import Check

ASSIGNMENT = "loss_functions"
MAX_SCORE = 100

PARTS = OrderedDict([
    ("Part 1: per-sample losses", part1_per_sample.CHECKS),
    ("Part 2: mini-batch averaging", part2_batch.CHECKS),
    ("Part 3: gradients (the training signal)", part3_gradients.CHECKS),
    ("Part 4: stable forms", part4_stable.CHECKS),
    ("Part 5: weight updates", part5_updates.CHECKS),
    ("Part 6: decisions", part6_decisions.CHECKS),
])

RUBRIC: list[Check] = [c for checks in PARTS.values() for c in checks]
FUNCTIONS: list[str] = graded_functions()


def checks_for(function: str) -> list[Check]:
    return [c for c in RUBRIC if c.function == function]


def function_points() -> dict[str, float]:
    return {f: sum(c.points for c in checks_for(f)) for f in FUNCTIONS}


_PART_OF = {c.function: part for part, checks in PARTS.items() for c in checks}


def part_of(function: str) -> str:
    return _PART_OF[function]


def _validate() -> None:
    names = [c.name for c in RUBRIC]
    if len(set(names)) != len(names):
        raise ValueError("duplicate check names in the rubric")
    unknown = {c.function for c in RUBRIC} - set(FUNCTIONS)
    if unknown:
        raise ValueError(f"checks for functions outside the contract: {sorted(unknown)}")
    missing = [f for f in FUNCTIONS if not checks_for(f)]
    if missing:
        raise ValueError(f"contract functions without checks: {missing}")
    total = sum(c.points for c in RUBRIC)
    if abs(total - MAX_SCORE) > 1e-9:
        raise ValueError(f"the rubric totals {total} points, not {MAX_SCORE}")


_validate()
