"""The rubric's hidden checks as ordinary pytest tests (see conftest.py)."""
import pytest

from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import RUBRIC


@pytest.mark.parametrize("check", RUBRIC, ids=[c.name for c in RUBRIC])
def test_check(check, graded):
    result = next(c for c in graded.checks if c.name == check.name)
    if result.passed:
        return
    explained = "".join(f"\n  {m}: {MISTAKES[m].feedback}" for m in result.mistakes)
    pytest.fail(f"[{check.kind}, {check.points:g} points] {check.title}: {result.detail}{explained}",
                pytrace=False)
