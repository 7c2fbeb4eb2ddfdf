"""The probe set of one grading run: every check's calls, drawn from a
recorded seed, and the reference's outcomes on them.

Built once per run and shared by every submission: the calls are encoded
once, the reference runs once.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from autograder.grading.checks.base import Call, Check
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import reference_namespace
from autograder.grading.outcomes import Outcome
from autograder.grading.rubric import RUBRIC


@dataclass
class ProbeSet:
    seed: int
    checks: list[Check]
    calls: list[Call]
    encoded: list[dict]
    spans: dict[str, range]                  # check name -> indices into calls
    reference: list[Outcome] = field(default_factory=list)

    def indices_for(self, function: str) -> list[int]:
        return [i for c in self.checks if c.function == function for i in self.spans[c.name]]


def make_probes(seed: int, checks: list[Check] | None = None) -> ProbeSet:
    checks = RUBRIC if checks is None else checks
    calls: list[Call] = []
    spans: dict[str, range] = {}
    for index, check in enumerate(checks):
        rng = np.random.default_rng([seed, index])
        made = check.probes(rng)
        if not made or any(call.fn != check.function for call in made):
            raise ValueError(f"check {check.name} must probe its own function {check.function}")
        spans[check.name] = range(len(calls), len(calls) + len(made))
        calls.extend(made)
    probes = ProbeSet(seed, list(checks), calls, [c.encoded() for c in calls], spans)
    probes.reference = InProcessHandle(reference_namespace()).run(probes.encoded)
    return probes
