"""Name the lesson's mistakes that a student's numbers show.

For a function with a failed check, every catalogue variant of that function
is run on the same probes (once per grading run, cached) and compared with
the student's outcomes, call by call. A variant is named when its mistake
shows wherever it would show:

* D = the probes on which the variant behaves differently from the reference
  (values, raised errors, floating-point warnings, written inputs);
* on every probe of D the student also differs from the reference, and
* on at least half of D the student behaves exactly like the variant.

The half rule lets two mistakes in one function both be named (a summed,
unclipped BCE matches "no-clipping" where p is 0 or 1 and "sum-not-mean"
everywhere else).

A named mistake is then attached only to the failed checks that one of its
forms fails too (``fails``): a student with an unstable softmax who also
forgot to refuse an empty batch is told of the mistake where the stability
check failed, not where the empty batch got through.
"""
from __future__ import annotations

from .checks.base import Check
from .compare import same_outcome
from .handle import InProcessHandle
from .mistakes.variants import Variant, namespace_with, variants_for
from .outcomes import Outcome
from .probes import ProbeSet


class Diagnoser:
    def __init__(self, probes: ProbeSet):
        self.probes = probes
        self._indices: dict[str, list[int]] = {}
        self._variant_outcomes: dict[tuple, list[Outcome]] = {}
        self._fails: dict[tuple[str, str], bool] = {}

    def indices(self, function: str) -> list[int]:
        if function not in self._indices:
            self._indices[function] = self.probes.indices_for(function)
        return self._indices[function]

    def variant_outcomes(self, v: Variant) -> list[Outcome]:
        """The variant's outcomes on its function's probes (cached per run)."""
        if v.key not in self._variant_outcomes:
            calls = [self.probes.encoded[i] for i in self.indices(v.function)]
            self._variant_outcomes[v.key] = InProcessHandle(namespace_with(v)).run(calls)
        return self._variant_outcomes[v.key]

    def diagnose(self, function: str, student: list[Outcome]) -> list[str]:
        """Mistake ids whose variants explain the student's outcomes for ``function``.

        ``student`` is the full list of the submission's outcomes (all probes).
        """
        idx = self.indices(function)
        mine = [student[i] for i in idx]
        reference = [self.probes.reference[i] for i in idx]
        named = []
        for v in variants_for(function):
            theirs = self.variant_outcomes(v)
            shows = [j for j in range(len(idx)) if not same_outcome(theirs[j], reference[j])]
            if not shows:
                continue
            if any(same_outcome(mine[j], reference[j]) for j in shows):
                continue
            matches = sum(same_outcome(mine[j], theirs[j]) for j in shows)
            if 2 * matches >= len(shows) and matches > 0:
                named.append(v.mistake)
        return named

    def fails(self, mistake: str, check: Check) -> bool:
        """Whether a catalogue form of ``mistake`` fails ``check`` (cached per run)."""
        key = (mistake, check.name)
        if key not in self._fails:
            position = {g: j for j, g in enumerate(self.indices(check.function))}
            span = list(self.probes.spans[check.name])
            reference = [self.probes.reference[i] for i in span]
            self._fails[key] = any(
                not check.judge([theirs[position[i]] for i in span], reference).passed
                for v in variants_for(check.function) if v.mistake == mistake
                for theirs in [self.variant_outcomes(v)])
        return self._fails[key]

    def warm(self) -> None:
        """Run every variant now (before forking workers, so they share the cache)."""
        for function in {c.function for c in self.probes.checks}:
            for v in variants_for(function):
                self.variant_outcomes(v)
