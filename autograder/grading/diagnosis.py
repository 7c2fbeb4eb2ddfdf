"""Name the lesson's mistakes that a student's numbers show.

A mistake is named by its *symptom*, not by imitation of one catalogue
variant. Each call is first read as a symptom relative to the right answer
(``symptom``): the same as the reference, a non-finite result (NaN, inf and
a floating-point or zero-division error are all alike), an input the
contract refuses that got through, a valid input refused, a wrong finite
value, or something else. Floating-point warnings and writes into inputs
are never part of it: a student who silenced numpy is judged on the numbers.

For a function with a failed check, every catalogue form of every mistake
of that function (``variants_for``) is run on the same probes (once per
grading run, cached). A form is matched when

* D = the probes on which the form's symptom is not "same" (the probes
  that separate the mistake from the right answer) is not empty;
* on at least half of D the student shows the same symptom as the form
  (and, for a wrong value, the form's value);
* on at most a quarter of D the student is right: a mistake that does not
  show where it would show is not the student's;
* a non-finite, warned or refused symptom is specific: the student does
  not show it on most of the probes where the form is right (a function
  that returns NaN everywhere is not "unstable").

A form whose only symptom is an input let through (``silent-broadcast``,
``accepts-logits``) is matched when the student lets through one of those
inputs: refusing an (m, 1) column but broadcasting an (m, 1) target is
still the mistake. A form of two slips at once (``Variant.also``) must
match on every probe of D: each slip needs its own evidence.

Probes where the student fails for another reason (a second mistake, a
missing empty-batch check) only count as "not matched": they never veto.

``mutates-input`` needs no imitation: the grader sees every write into an
argument, so it is named when a call wrote into one or the function's
``inputs-unchanged`` check failed.

A named mistake is then attached only to the failed checks that one of its
forms fails too (``fails``).
"""
from __future__ import annotations

import enum
import threading

import numpy as np

from autograder.grading.checks.base import Check, inputs_unchanged
from autograder.grading.compare import same_value
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import Variant, namespace_with, variants_for
from autograder.grading.outcomes import Outcome
from autograder.grading.probes import ProbeSet

MUTATES = "mutates-input"
_NUMERIC_ERRORS = frozenset({"FloatingPointError", "ZeroDivisionError", "OverflowError", "RuntimeWarning"})


class Symptom(enum.Enum):
    SAME = "same"
    NONFINITE = "non-finite"
    ACCEPTED = "accepted"      # the reference refuses the input, the call returned
    REFUSED = "refused"        # the reference returns, the call raised ValueError
    VALUE = "value"            # a finite result other than the right one
    WARNED = "warned"          # the right result, with an overflow, divide or invalid warning on the way
    OTHER = "other"


def _finite(outcome: Outcome) -> bool:
    def finite(value) -> bool:
        if value.kind in ("float", "array"):
            return bool(np.all(np.isfinite(value.payload)))
        if value.kind == "tuple":
            return all(finite(v) for v in value.payload)
        return True
    return finite(outcome.value)


def symptom(got: Outcome, want: Outcome) -> Symptom:
    """What ``got`` shows, read against the right outcome ``want``."""
    if want.ok:
        if got.ok:
            if same_value(got.result, want.result, nan_equal=True):
                return Symptom.WARNED if got.fp - {"underflow"} and not want.fp else Symptom.SAME
            if _finite(want) and not _finite(got):
                return Symptom.NONFINITE
            return Symptom.VALUE
        if got.status == "raised":
            if got.value_error and not got.not_implemented:
                return Symptom.REFUSED
            if got.error_type in _NUMERIC_ERRORS:
                return Symptom.NONFINITE
        return Symptom.OTHER
    if want.raised_value_error:
        if got.raised_value_error:
            return Symptom.SAME
        if got.ok:
            return Symptom.ACCEPTED
    return Symptom.OTHER


def _shows(own: Symptom, shows: Symptom) -> bool:
    """Is the student's symptom the form's? An overflow warning and a
    non-finite result are one symptom (a student may silence the warning
    and get the NaN, or be spared the NaN and see the warning)."""
    if shows is Symptom.WARNED:
        return own in (Symptom.WARNED, Symptom.NONFINITE)
    if shows is Symptom.NONFINITE:              # math.log(0) refuses with a ValueError where np.log gives -inf
        return own in (Symptom.NONFINITE, Symptom.REFUSED)
    return own is shows


def _alike(mine: Outcome, theirs: Outcome, shows: Symptom) -> bool:
    """Does the student's call show what the form's call shows?"""
    if shows is Symptom.VALUE:
        return mine.ok and same_value(mine.result, theirs.result, nan_equal=True)
    if shows is Symptom.OTHER:
        return mine.status == theirs.status and mine.error_type == theirs.error_type
    return True


class Diagnoser:
    def __init__(self, probes: ProbeSet):
        self.probes = probes
        self._indices: dict[str, list[int]] = {}
        self._variant_outcomes: dict[tuple, list[Outcome]] = {}
        self._running = threading.Lock()     # forms run one at a time (warnings and numpy state are per process)
        self._variant_symptoms: dict[tuple, list[Symptom]] = {}
        self._fails: dict[tuple[str, str], bool] = {}

    def indices(self, function: str) -> list[int]:
        if function not in self._indices:
            self._indices[function] = self.probes.indices_for(function)
        return self._indices[function]

    def variant_outcomes(self, v: Variant) -> list[Outcome]:
        """The form's outcomes on its function's probes (cached per run)."""
        if v.key not in self._variant_outcomes:
            with self._running:
                if v.key not in self._variant_outcomes:
                    calls = [self.probes.encoded[i] for i in self.indices(v.function)]
                    self._variant_outcomes[v.key] = InProcessHandle(namespace_with(v)).run(calls)
        return self._variant_outcomes[v.key]

    def variant_symptoms(self, v: Variant) -> list[Symptom]:
        """What the form shows on each of its function's probes (cached per run)."""
        if v.key not in self._variant_symptoms:
            reference = [self.probes.reference[i] for i in self.indices(v.function)]
            self._variant_symptoms[v.key] = [symptom(t, r) for t, r in zip(self.variant_outcomes(v), reference)]
        return self._variant_symptoms[v.key]

    def diagnose(self, function: str, student: list[Outcome]) -> list[str]:
        """Mistake ids whose forms explain the student's outcomes for ``function``,
        in catalogue order. ``student`` holds the outcomes of every probe."""
        idx = self.indices(function)
        mine = [student[i] for i in idx]
        reference = [self.probes.reference[i] for i in idx]
        own = [symptom(m, r) for m, r in zip(mine, reference)]
        named: list[str] = []
        for v in variants_for(function):
            if all(m in named for m in v.mistakes):
                continue
            if v.mistake == MUTATES:
                if self._mutates(function, student):
                    named.append(v.mistake)
                continue
            if self._matches(self.variant_outcomes(v), self.variant_symptoms(v), mine, own, reference,
                             exact=bool(v.also)):
                named.extend(m for m in v.mistakes if m not in named)
        return named

    @staticmethod
    def _matches(theirs: list[Outcome], shows: list[Symptom], mine: list[Outcome], own: list[Symptom],
                 reference: list[Outcome], exact: bool = False) -> bool:
        where = [j for j, s in enumerate(shows) if s is not Symptom.SAME]
        if not where:
            return False
        matched = sum(_shows(own[j], shows[j]) and _alike(mine[j], theirs[j], shows[j]) for j in where)
        if exact:
            return matched == len(where)
        if all(shows[j] is Symptom.ACCEPTED for j in where):
            return matched > 0
        right = sum(own[j] is Symptom.SAME for j in where)
        if matched == 0 or 2 * matched < len(where) or 4 * right > len(where):
            return False
        for kind in {shows[j] for j in where} - {Symptom.VALUE, Symptom.OTHER, Symptom.ACCEPTED}:
            # specific: the student does not show it everywhere the form is right
            elsewhere = [j for j, s in enumerate(shows) if s is Symptom.SAME and reference[j].ok]
            if len(elsewhere) >= 2 and 2 * sum(own[j] is kind for j in elsewhere) > len(elsewhere):
                return False
        return True

    def _mutates(self, function: str, student: list[Outcome]) -> bool:
        """A call wrote into an argument, or a read-only copy made a call fail
        that the same inputs, writable, did not."""
        if any(student[i].mutated for i in self.indices(function)):
            return True
        for check in self.probes.checks:
            if check.function == function and check.judge is inputs_unchanged:
                span = list(self.probes.spans[check.name])
                for writable, frozen in zip(span[::2], span[1::2]):
                    if student[writable].ok and student[frozen].status == "raised":
                        return True
        return False

    def fails(self, mistake: str, check: Check) -> bool:
        """Whether a catalogue form of ``mistake`` fails ``check`` (cached per run)."""
        key = (mistake, check.name)
        if key not in self._fails:
            position = {g: j for j, g in enumerate(self.indices(check.function))}
            span = list(self.probes.spans[check.name])
            reference = [self.probes.reference[i] for i in span]
            self._fails[key] = any(
                not check.judge([theirs[position[i]] for i in span], reference).passed
                for v in variants_for(check.function) if mistake in v.mistakes
                for theirs in [self.variant_outcomes(v)])
        return self._fails[key]

    def warm(self) -> None:
        """Run every form now rather than when a function first fails (a
        benchmark's or a test's choice: grading runs them on first use)."""
        for function in {c.function for c in self.probes.checks}:
            for v in variants_for(function):
                self.variant_symptoms(v)
