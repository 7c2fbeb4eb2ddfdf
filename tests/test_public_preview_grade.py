"""The public checks preview the grade (issue 10): a submission that passes
every public case of ``exercises/test_losses.py`` scores at least 95 on the
hidden checks. Measured over every catalogue form swapped into the reference
and every hand-written student of ``tests/corpus``; the worst case is
printed."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.variants import VARIANTS, namespace_with
from autograder.grading.probes import make_probes
from autograder.grading.scoring import grade

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
MIN_HIDDEN = 95


def _public_tests():
    spec = importlib.util.spec_from_file_location("public_tests_module", ROOT / "exercises" / "test_losses.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PUBLIC = _public_tests()


def passes_public(namespace: dict) -> bool:
    for case in PUBLIC.CASES:
        fn = namespace.get(case["function"])
        if fn is None or PUBLIC.run_case(fn, case):
            return False
    return True


def submissions() -> dict[str, dict]:
    out = {f"form {v.key}": namespace_with(v) for v in VARIANTS.values()}
    reference = strip_markers(REFERENCE.read_text())
    for path in sorted(CORPUS.glob("*/*.py")):
        text = path.read_text()
        source = text if "# corpus: full-module" in text.splitlines()[:5] else reference + "\n\n" + text
        namespace = {"__name__": f"corpus_{path.stem}"}
        exec(compile(source, str(path), "exec"), namespace)
        out[f"{path.parent.name}/{path.name}"] = namespace
    return out


@pytest.mark.parametrize("seed", [5, 2026])
def test_passing_every_public_case_means_at_least_95_hidden(seed, capsys):
    probes = make_probes(seed)
    diagnoser = Diagnoser(probes)
    graded = []
    for name, namespace in submissions().items():
        if passes_public(namespace):
            result = grade(InProcessHandle(namespace), probes, diagnoser)
            lost = [c.name for c in result.checks if not c.passed]
            graded.append((result.score, name, lost))
    graded.sort()
    with capsys.disabled():
        print(f"\nseed {seed}: {len(graded)} submissions pass every public case; "
              f"worst hidden score {graded[0][0]:g} ({graded[0][1]}, failed {graded[0][2]})")
    assert len(graded) >= 10
    assert graded[0][0] >= MIN_HIDDEN, graded[:5]


def test_the_public_cases_catch_most_forms():
    caught = [v.key for v in VARIANTS.values() if not passes_public(namespace_with(v))]
    assert len(caught) >= 0.8 * len(VARIANTS), len(caught)
