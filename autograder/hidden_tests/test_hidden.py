"""The rubric's hidden checks as ordinary pytest tests (see conftest.py)."""
import pytest

from autograder.mistakes.catalogue import MISTAKES
from autograder.rubric import RUBRIC


@pytest.mark.parametrize("check", RUBRIC, ids=[c.name for c in RUBRIC])
def test_check(check, probes, outcomes, diagnoser):
    span = probes.spans[check.name]
    verdict = check.judge([outcomes[i] for i in span], [probes.reference[i] for i in span])
    if verdict.passed:
        return
    named = diagnoser.diagnose(check.function, outcomes)
    explained = "".join(f"\n  {m}: {MISTAKES[m].feedback}" for m in named)
    pytest.fail(f"[{check.kind}, {check.points:g} points] {check.title}: {verdict.detail}{explained}",
                pytrace=False)
