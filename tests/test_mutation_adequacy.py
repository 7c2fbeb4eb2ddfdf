"""Mutation adequacy of the hidden checks and the diagnosis.

The reference scores 100, the stub 0, and every catalogue variant swapped
into the reference (one at a time) loses points on the function it targets
and is named by the diagnosis as itself. The table of variant, points lost
and names given is printed (run with -s to see it).
"""
import numpy as np
import pytest
from contract import CONTRACT_MISTAKE_IDS

from autograder.authoring.single_source import REFERENCE, STUB
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.catalogue import INDISTINGUISHABLE, MISTAKES
from autograder.grading.mistakes.variants import VARIANTS, namespace_with, reference_namespace
from autograder.grading.probes import make_probes
from autograder.grading.rubric import FUNCTIONS, MAX_SCORE, RUBRIC
from autograder.grading.scoring import grade

SEEDS = (11, 2026)


@pytest.fixture(scope="module", params=SEEDS)
def run(request):
    probes = make_probes(request.param)
    return probes, Diagnoser(probes)


def test_catalogue_has_exactly_the_contract_ids_and_a_variant_for_each():
    assert CONTRACT_MISTAKE_IDS <= set(MISTAKES)
    assert {v.mistake for v in VARIANTS.values()} == set(MISTAKES)
    for mistake in MISTAKES.values():
        assert mistake.title and mistake.lesson and len(mistake.feedback) > 60


def test_rubric_totals_100_and_every_function_has_both_kinds_where_the_lesson_names_a_mistake():
    assert sum(c.points for c in RUBRIC) == MAX_SCORE
    for function in FUNCTIONS:
        kinds = {c.kind for c in RUBRIC if c.function == function}
        assert "correctness" in kinds, function
        if any(v.function == function for v in VARIANTS.values()) and function != "accuracy":
            assert "scenario" in kinds, function


def test_reference_scores_full_marks(run):
    probes, diagnoser = run
    result = grade(InProcessHandle(reference_namespace()), probes, diagnoser)
    assert result.score == MAX_SCORE
    assert result.mistakes == []


def test_stub_scores_zero_and_names_nothing(run):
    probes, diagnoser = run
    result = grade(InProcessHandle.from_file(STUB), probes, diagnoser)
    assert result.score == 0
    assert result.mistakes == []
    assert not any(f.implemented for f in result.functions.values())


def _callers(function: str) -> set[str]:
    """Reference functions that call ``function`` (they inherit its mistake)."""
    source = REFERENCE.read_text()
    from autograder.authoring.single_source import split_units
    return {u.name for u in split_units(source) if u.graded and u.name != function
            and f"{function}(" in u.source.split('"""', 2)[-1]}


def test_every_variant_loses_points_and_is_named_as_itself(run, capsys):
    probes, diagnoser = run
    rows, failures = [], []
    for key in sorted(VARIANTS, key=str):
        v = VARIANTS[key]
        result = grade(InProcessHandle(namespace_with(v)), probes, diagnoser)
        target = result.functions[v.function]
        lost = target.max_score - target.score
        allowed = set(v.mistakes) | INDISTINGUISHABLE.get(key, set())
        names_here = set(target.mistakes)
        # the code actually changed (a via-variant changes the function it inherits from) and the
        # functions calling it inherit its behaviour: they may be named for its consequence
        mutated = v.via or v.function
        related = {mutated, v.function} | _callers(mutated)
        elsewhere = {m for name, f in result.functions.items() if name not in related for m in f.mistakes}
        rows.append(f"{v.mistake + (' / ' + v.form if v.form else ''):38s} {v.function:28s} {MAX_SCORE - result.score:5.1f} {lost:4.1f}  "
                    f"{','.join(result.mistakes)}")
        if lost <= 0:
            failures.append(f"{key}: loses no points on {v.function}")
        if not set(v.mistakes) <= names_here:
            failures.append(f"{key}: not named (names: {sorted(names_here)})")
        failed_checks = [c for c in result.checks if c.function == v.function and not c.passed]
        if any(v.mistake not in c.mistakes for c in failed_checks if v.mistake in c.mistakes or True) and \
                not any(v.mistake in c.mistakes for c in failed_checks):
            failures.append(f"{key}: no failed check carries its name")
        if not names_here <= allowed:
            failures.append(f"{key}: also named {sorted(names_here - allowed)}")
        if elsewhere:
            failures.append(f"{key}: unrelated functions named {sorted(elsewhere)}")
    with capsys.disabled():
        print(f"\nmutation adequacy, seed {probes.seed}: variant / function / points lost (total, function) / names")
        print("\n".join(rows))
        print(f"{len(rows) - len({f.split(':')[0] for f in failures})}/{len(rows)} variants caught and named")
    assert not failures, "\n".join(failures)


def test_every_form_runs_like_code_a_student_wrote(run):
    """A form is real code: it returns a result where the reference does,
    at least once, and never fails for a reason of the catalogue's own
    making (a helper it cannot see)."""
    probes, diagnoser = run
    for v in VARIANTS.values():
        outcomes = diagnoser.variant_outcomes(v)
        assert any(o.ok for o in outcomes), v.key
        assert not {o.error_type for o in outcomes} & {"NameError", "TypeError", "AttributeError"}, v.key


def test_two_mistakes_in_two_functions_are_both_named(run):
    probes, diagnoser = run
    namespace = namespace_with(VARIANTS[("grad-sign-flipped", "bce_grad")])
    namespace_with(VARIANTS[("best-by-train-loss", "best_epoch")], namespace)
    result = grade(InProcessHandle(namespace), probes, diagnoser)
    assert result.functions["bce_grad"].mistakes == ["grad-sign-flipped"]
    assert result.functions["best_epoch"].mistakes == ["best-by-train-loss"]


def test_two_mistakes_in_one_function_are_both_named(run):
    probes, diagnoser = run
    namespace = reference_namespace()
    ns_clip = namespace_with(VARIANTS[("no-clipping", "binary_cross_entropy")])

    def summed_unclipped_bce(p, y, eps=1e-8):
        return float(np.sum(ns_clip["binary_cross_entropy"](p, y, eps)))

    namespace["bce"] = summed_unclipped_bce
    result = grade(InProcessHandle(namespace), probes, diagnoser)
    assert set(result.functions["bce"].mistakes) == {"sum-not-mean", "no-clipping"}


def test_partial_credit_is_per_check(run):
    probes, diagnoser = run
    result = grade(InProcessHandle(namespace_with(VARIANTS[("no-clipping", "cce_grad")])), probes, diagnoser)
    f = result.functions["cce_grad"]
    assert 0 < f.score < f.max_score
