"""Score a submission: judge every check, total the points, name the mistakes.

Partial credit is per check: a failed check costs its own points and
nothing else. ``grade_outcomes`` works on outcomes alone, so the engine can
collect them from a sandboxed child and score them here, in the trusted
parent.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .diagnosis import Diagnoser
from .handle import StudentHandle
from .outcomes import Outcome
from .probes import ProbeSet
from .rubric import FUNCTIONS


@dataclass
class CheckResult:
    name: str
    function: str
    kind: str
    title: str
    max_score: float
    score: float
    passed: bool
    detail: str = ""
    mistakes: list[str] = field(default_factory=list)


@dataclass
class FunctionResult:
    name: str
    score: float
    max_score: float
    implemented: bool
    mistakes: list[str] = field(default_factory=list)


@dataclass
class GradeResult:
    score: float
    max_score: float
    checks: list[CheckResult]
    functions: dict[str, FunctionResult]

    @property
    def mistakes(self) -> list[str]:
        """Every mistake named, once, in contract order."""
        seen: list[str] = []
        for f in self.functions.values():
            seen.extend(m for m in f.mistakes if m not in seen)
        return seen


def _implemented(outcomes: list[Outcome]) -> bool:
    return not all(o.status == "missing" or o.not_implemented for o in outcomes)


def grade_outcomes(probes: ProbeSet, outcomes: list[Outcome], diagnoser: Diagnoser | None = None) -> GradeResult:
    if len(outcomes) != len(probes.calls):
        raise ValueError(f"{len(outcomes)} outcomes for {len(probes.calls)} probes")
    diagnoser = diagnoser or Diagnoser(probes)
    checks: list[CheckResult] = []
    for check in probes.checks:
        span = probes.spans[check.name]
        mine = [outcomes[i] for i in span]
        verdict = check.judge(mine, [probes.reference[i] for i in span])
        checks.append(CheckResult(check.name, check.function, check.kind, check.title,
                                  check.points, check.points if verdict.passed else 0.0,
                                  verdict.passed, verdict.detail))
    targets = {check.name: set(check.targets) for check in probes.checks}
    functions: dict[str, FunctionResult] = {}
    for name in FUNCTIONS:
        own = [c for c in checks if c.function == name]
        implemented = _implemented([outcomes[i] for i in diagnoser.indices(name)])
        failed = [c for c in own if not c.passed]
        mistakes = diagnoser.diagnose(name, outcomes) if failed and implemented else []
        for c in failed:
            c.mistakes = [m for m in mistakes if m in targets[c.name]] or list(mistakes)
        functions[name] = FunctionResult(name, sum(c.score for c in own), sum(c.max_score for c in own),
                                         implemented, mistakes)
    total = sum(c.score for c in checks)
    return GradeResult(total, sum(c.max_score for c in checks), checks, functions)


def grade(handle: StudentHandle, probes: ProbeSet, diagnoser: Diagnoser | None = None) -> GradeResult:
    return grade_outcomes(probes, handle.run(probes.encoded), diagnoser)
