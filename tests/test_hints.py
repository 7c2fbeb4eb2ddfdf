"""The public checks' hints are right or silent.

Every buggy form of the catalogue (``autograder/grading/mistakes/variants.py``) runs
on every public case, with the rest of the reference around it (a mistake in
``batch_mean`` shows in ``mse`` too); a failed case's hint may name only the
mistake that was made. And no hint names a mistake that docs/contract.md does
not list for the function of the case.
"""
from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

from autograder.grading.mistakes import variants

ROOT = Path(__file__).resolve().parents[1]
NAMED = re.compile(r"\[([A-Za-z0-9-]+)\]")


def public_tests():
    spec = importlib.util.spec_from_file_location("public_test_losses", ROOT / "exercises" / "test_losses.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PUBLIC = public_tests()
CASES = json.loads((ROOT / "exercises" / "public_cases.json").read_text())["cases"]


def where_possible() -> dict[str, set[str]]:
    """docs/contract.md's table: mistake id -> the functions it can happen in."""
    table = {}
    text = (ROOT / "docs" / "contract.md").read_text()
    section = text.split("## The lesson's mistakes, by name", 1)[1]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0] != "`id`":
            functions = {f.strip() for f in cells[2].split(",")}
            table[cells[0].strip("`")] = functions
    return table


POSSIBLE = where_possible()


def possible_in(mistake: str, function: str) -> bool:
    where = POSSIBLE[mistake]
    return function in where or where == {"every function"}


def hints(namespace) -> list[tuple[str, str, list[str]]]:
    """(case id, paragraph, named ids) of every case that fails with this namespace."""
    out = []
    for case in CASES:
        problem = PUBLIC.run_case(namespace[case["function"]], case)
        if problem:
            out.append((case["id"], problem, NAMED.findall(problem)))
    return out


def test_the_contract_table_lists_every_catalogue_mistake():
    from autograder.grading.mistakes.catalogue import MISTAKES
    assert set(POSSIBLE) == set(MISTAKES)


def test_the_reference_passes_every_case_so_no_hint_at_all():
    assert hints(variants.reference_namespace()) == []


@pytest.mark.parametrize("key", sorted(variants.VARIANTS), ids=["@".join(filter(None, k)) for k in sorted(variants.VARIANTS)])
def test_a_hint_names_no_mistake_but_the_one_made(key):
    v = variants.VARIANTS[key]
    made = {v.mistake, *getattr(v, "also", ())}     # a form may make two mistakes at once
    found = hints(variants.namespace_with(v))
    wrong = [(cid, text) for cid, text, named in found if set(named) - made]
    assert not wrong, f"{key}:\n" + "\n\n".join(text for _, text in wrong)
    for cid, text, named in found:
        function = cid.split(":")[0]
        assert all(possible_in(m, function) for m in named), text


def test_hints_name_the_mistake_for_most_forms():
    """Silence is allowed, but the hints are not all silent: most catalogue
    forms of one mistake that fail a public case are named in at least one of
    them (a form of two slips at once is rightly left to the grader)."""
    named, failing = [], []
    for key, v in sorted(variants.VARIANTS.items(), key=lambda kv: str(kv[0])):
        if v.also:
            continue
        found = hints(variants.namespace_with(v))
        if found:
            failing.append(key)
            if any(v.mistake in ids for _, _, ids in found):
                named.append(key)
    print(f"{len(named)} of {len(failing)} failing catalogue forms named by a hint; silent: "
          f"{sorted(set(failing) - set(named))}")
    assert len(named) >= 0.75 * len(failing)


def test_every_catalogue_form_fails_some_public_case():
    """A mistake of the catalogue never passes every public check."""
    silent = [key for key, v in variants.VARIANTS.items() if not hints(variants.namespace_with(v))]
    assert not silent, silent


@pytest.mark.parametrize("m, mistake", [(2, "mean-off-by-one"), (3, "sum-not-mean")])
def test_an_m_of_2_does_not_confuse_summing_with_dividing_by_m_minus_1(m, mistake):
    """At m = 2 'divided by m - 1' and 'summed' give the same factor 2: the
    hint for a batch loss then names neither."""
    case = {"function": "cce", "note": "n", "params": ["probs", "y"],
            "calls": [{"what": "", "args": [[[0.5, 0.5]] * m, [0] * m], "kwargs": {},
                       "expected": {"float": 0.6931471805599453}}]}
    got = 0.6931471805599453 * (m / (m - 1) if mistake == "mean-off-by-one" else m)
    text = PUBLIC.run_case(lambda probs, y: got, case)
    assert "wrong value" in text
    if m == 2:
        assert not NAMED.findall(text), text
    else:
        assert NAMED.findall(text) == ["sum-not-mean"], text


def _corpus_students():
    import sys
    sys.path.insert(0, str(ROOT / "tests"))
    from test_corpus import STUDENTS
    return STUDENTS


@pytest.mark.parametrize("student", _corpus_students(), ids=lambda s: f"{s.path.parent.name}/{s.path.stem}")
def test_a_hint_on_hand_written_code_names_only_a_mistake_it_made(student):
    """The corpus of hand-written students (tests/corpus): a hint names only a
    mistake the student declared (in any function: a summing batch_mean shows
    in mse's cases too)."""
    namespace = {"__name__": f"hinted_{student.path.stem}"}
    exec(compile(student.source(), str(student.path), "exec"), namespace)
    made = {m for ids in student.expected.values() for m in ids}
    wrong = [text for _, text, named in hints(namespace) if set(named) - made]
    assert not wrong, "\n\n".join(wrong)
