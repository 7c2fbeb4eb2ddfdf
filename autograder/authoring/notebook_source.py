"""Generate the nbgrader source notebook ``source/loss_functions/loss_functions.ipynb``.

Nothing in the notebook is written by hand:

* the prose (markdown cells) is ``autograder/authoring/data/notebook_prose.md``, one
  section per part, function or extra;
* the first code cell (read-only) is the reference's preamble and provided
  helpers, the non-graded units of ``solutions/losses.py``;
* the second (read-only) is the visible test runner, built from the public
  checks in ``exercises/test_losses.py``;
* each contract function's answer cell is its unit of the reference with its
  ``### BEGIN SOLUTION`` region (nbgrader's ``generate_assignment`` turns it
  into the stub, exactly as ``single_source.clear_solutions`` does for
  ``exercises/losses.py``);
* each test cell runs the function's public cases (inputs and expected values
  from ``public_cases``), then, in a hidden region, the engine's checks via
  ``autograder.notebook_grading.hidden_checks`` (a stable path kept for released notebooks); its points are the rubric's.

``render()`` returns the notebook text; ``autograder build`` writes it.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
from nbformat import v4

from autograder.authoring import public_cases
from autograder.authoring.single_source import BEGIN, END, REFERENCE, ROOT, split_units, strip_markers
from autograder.grading.rubric import ASSIGNMENT, FUNCTIONS, PARTS, function_points

NOTEBOOK = ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
RELEASE = ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
DATA = Path(__file__).resolve().parent / "data"
PROSE = DATA / "notebook_prose.md"
PUBLIC_TESTS = ROOT / "exercises" / "test_losses.py"

# The names of exercises/test_losses.py that the notebook's visible tests use,
# copied verbatim: one code for the hints and messages in both places.
SHARED_WITH_THE_NOTEBOOK = (
    "RTOL", "ATOL", "QUIET", "as_argument", "short", "expected_text", "wrong_result", "_close", "_numbers",
    "_sizes", "BATCH_LOSSES", "GRADIENTS", "CLIPPED", "SAME_SHAPE_PAIRS", "NOT_FINITE", "NOT_FINITE_TEXT",
    "explanations", "hint_for", "known_mistake", "refusal_hint", "describe_input", "_changed", "run_case",
    "run_call", "decoded_expected")

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
PREAMBLE_ID = "preamble"
TEST_HELPERS_ID = "test_helpers"

# Extra cells after a function's test cell: (prose key, code); the code is
# autograder/authoring/data/plot_<function>.py.
_PLOT_KEYS = {'binary_cross_entropy': 'plot-bce', 'mse': 'plot-outlier'}
PLOTS = {function: (key, (DATA / f"plot_{function}.py").read_text()) for function, key in _PLOT_KEYS.items()}


# ------------------------------------------------------------ the pieces

def read_prose(path: Path = PROSE) -> dict[str, str]:
    """The markdown sections of ``notebook_prose.md``, by key."""
    sections: dict[str, list[str]] = {}
    key = None
    for line in path.read_text().splitlines():
        match = re.fullmatch(r"=== ([\w-]+) ===", line)
        if match:
            key = match.group(1)
            if key in sections:
                raise ValueError(f"{path.name}: section {key!r} appears twice")
            sections[key] = []
        elif key is not None:
            sections[key].append(line)
    return {k: "\n".join(lines).strip() for k, lines in sections.items()}


def reference_cells(source: str | None = None) -> tuple[str, dict[str, str]]:
    """The reference as notebook code: (preamble, {function: answer cell source}).

    The answer cells drop the section banner comments (the notebook's
    headings replace them).
    """
    text = REFERENCE.read_text() if source is None else source
    pieces: list[list] = []                      # [name, graded, text]
    for unit in split_units(text):
        if unit.source.strip():
            pieces.append([unit.name, unit.graded, unit.source])
    preamble = "".join(t for _, graded, t in pieces if not graded).strip() + "\n"
    answers = {}
    for name, graded, body in pieces:
        if graded:
            lines = body.strip("\n").splitlines()
            while lines and (not lines[0].strip() or lines[0].lstrip().startswith("#")):
                lines.pop(0)
            answers[name] = "\n".join(lines).rstrip()
            if answers[name].count(BEGIN) != 1 or answers[name].count(END) != 1:
                raise ValueError(f"the answer cell of {name} needs exactly one solution region")
    return preamble, answers


def reference_answers() -> dict[str, str]:
    """The reference's answer cells as a student would hand them in (no markers)."""
    return {name: strip_markers(text + "\n") for name, text in reference_cells()[1].items()}


def filled_release(answers: dict[str, str], release: Path = RELEASE) -> nbformat.NotebookNode:
    """The released notebook with the answer cells named in ``answers`` filled
    in (the others left as stubs): a student's submission, for tests and demos."""
    nb = nbformat.read(release, as_version=4)
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution") and meta.get("grade_id") in answers:
            cell.source = answers[meta["grade_id"]]
    return nb


def preamble_source() -> str:
    """Imports and provided helpers: the first, read-only code cell."""
    return reference_cells()[0]


def test_helpers_source() -> str:
    """The visible test runner: the public checks' comparison code, verbatim
    from ``exercises/test_losses.py``, and ``visible_tests`` around it."""
    text = PUBLIC_TESTS.read_text()
    tree = ast.parse(text)
    wanted = set(SHARED_WITH_THE_NOTEBOOK)
    parts: list[str] = []
    for node in tree.body:
        names = ([node.name] if isinstance(node, ast.FunctionDef) else
                 [t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)]
                 + [e.id for t in getattr(node, "targets", []) if isinstance(t, ast.Tuple)
                    for e in t.elts if isinstance(e, ast.Name)])
        if wanted & set(names):
            parts.append(ast.get_source_segment(text, node) or "")
            wanted -= set(names)
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            raise ValueError(f"{PUBLIC_TESTS.name}: a top-level call the notebook would not copy")
    if wanted:
        raise ValueError(f"{PUBLIC_TESTS.name} no longer defines {sorted(wanted)}")
    header = ('"""The visible tests: fixed inputs and expected values (not the hidden ones).\n\n'
              'The comparison code is the one of the public checks (exercises/test_losses.py)."""\n'
              "import os\n\nimport numpy as np\n")
    return "\n\n\n".join([header.rstrip()] + parts + [_VISIBLE_TESTS]) + "\n"


_VISIBLE_TESTS = (DATA / "visible_tests.py").read_text()   # the notebook's own runner of the public cases


def visible_cases(reference) -> dict[str, list[dict]]:
    """The public cases of each function, as in exercises/public_cases.json."""
    cases: dict[str, list[dict]] = {name: [] for name in FUNCTIONS}
    for case in public_cases.build_cases(reference):
        cases[case["function"]].append(case)
    missing = [name for name, found in cases.items() if not found]
    if missing:
        raise ValueError(f"no public case for {missing}: add one to public_cases.CASES")
    return cases


def test_cell_source(function: str, cases: list[dict], points: float) -> str:
    lines = [f"# Tests for `{function}` ({points:g} points). The visible tests use fixed inputs;",
             "# when the notebook is graded, hidden checks on other inputs give the points.",
             f"visible_tests({function}, ["]
    lines += [f"    {case!r}," for case in cases]
    lines += ["])",
              HIDDEN_BEGIN,
              "from autograder.notebook_grading import hidden_checks",
              f"hidden_checks({function!r}, globals())",
              HIDDEN_END]
    return "\n".join(lines)


# ------------------------------------------------------------ the notebook

def _nbgrader(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": 3, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(prose: dict[str, str], key: str, used: set[str]):
    if key not in prose:
        raise ValueError(f"{PROSE.name} has no section '=== {key} ==='")
    used.add(key)
    return v4.new_markdown_cell(prose[key], id=f"md-{key}")


def build_notebook(reference) -> nbformat.NotebookNode:
    prose = read_prose()
    preamble, answers = reference_cells()
    cases = visible_cases(reference)
    points = function_points()
    used: set[str] = set()
    cells = [_markdown(prose, "intro", used), _markdown(prose, "how-to", used),
             _markdown(prose, "preamble", used),
             v4.new_code_cell(preamble, id=PREAMBLE_ID, metadata=_nbgrader(PREAMBLE_ID, locked=True)),
             _markdown(prose, "test-helpers", used),
             v4.new_code_cell(test_helpers_source(), id=TEST_HELPERS_ID,
                              metadata=_nbgrader(TEST_HELPERS_ID, locked=True))]
    for number, checks in enumerate(PARTS.values(), start=1):
        cells.append(_markdown(prose, f"part{number}", used))
        for name in dict.fromkeys(c.function for c in checks):
            cells += [_markdown(prose, name, used),
                      v4.new_code_cell(answers[name], id=f"answer-{name}",
                                       metadata=_nbgrader(name, solution=True)),
                      v4.new_code_cell(test_cell_source(name, cases[name], points[name]),
                                       id=f"tests-{name}",
                                       metadata=_nbgrader(f"{name}_tests", grade=True, locked=True,
                                                          points=points[name]))]
            if name in PLOTS:
                key, code = PLOTS[name]
                cells += [_markdown(prose, key, used), v4.new_code_cell(code, id=key)]
    cells.append(_markdown(prose, "outro", used))
    unused = set(prose) - used
    if unused:
        raise ValueError(f"{PROSE.name} has sections no cell uses: {sorted(unused)}")
    nb = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    })
    nbformat.validate(nb)
    return nb


def render(reference) -> str:
    """The text of the source notebook (deterministic: same reference, same bytes)."""
    text = nbformat.writes(build_notebook(reference))
    return text if text.endswith("\n") else text + "\n"
