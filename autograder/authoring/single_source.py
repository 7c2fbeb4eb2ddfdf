"""One source of truth: the reference in ``solutions/losses.py`` carries
nbgrader-style ``### BEGIN SOLUTION`` / ``### END SOLUTION`` regions.

Everything a student receives (the stub ``exercises/losses.py``, the answer
cells of the notebook) is derived from that file here, the way nbgrader's
``ClearSolutions`` preprocessor derives a release from a source notebook.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

# The reference ships as package data (in a checkout, a link to solutions/losses.py).
REFERENCE = Path(str(files("autograder.reference").joinpath("losses.py")))
# The checkout that `autograder build` writes into: the stub, the notebooks, release/.
ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "exercises" / "losses.py"

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
STUB_BODY = ("# YOUR CODE HERE", "raise NotImplementedError()")

_REGION = re.compile(
    r"^(?P<indent>[ \t]*)### BEGIN SOLUTION[ \t]*\n(?P<body>.*?)^[ \t]*### END SOLUTION[ \t]*\n",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Unit:
    """One top-level piece of the reference: a graded function or provided code."""

    name: str          # function name, or "" for the module preamble / helpers
    source: str        # the full text of the unit, solution regions included
    graded: bool       # True when it holds a solution region

    @property
    def stub(self) -> str:
        return clear_solutions(self.source)

    @property
    def solution_body(self) -> str:
        match = _REGION.search(self.source)
        return match.group("body") if match else ""


def clear_solutions(source: str) -> str:
    """Replace every solution region with nbgrader's stub body."""
    def replace(match: re.Match) -> str:
        indent = match.group("indent")
        return "".join(f"{indent}{line}\n" for line in STUB_BODY)

    cleared = _REGION.sub(replace, source)
    if BEGIN in cleared or END in cleared:
        raise ValueError("unbalanced solution markers in the reference source")
    return cleared


def strip_markers(source: str) -> str:
    """The reference with its marker lines removed (what actually runs)."""
    return "".join(
        line for line in source.splitlines(keepends=True)
        if line.strip() not in (BEGIN, END)
    )


def split_units(source: str) -> list[Unit]:
    """Split the reference into its module preamble, helpers and graded functions.

    Each top-level function is a unit reaching from the end of the previous
    statement (so its leading comments travel with it) to its last line.
    """
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    units: list[Unit] = []
    start = 0
    preamble_end = 0
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            preamble_end = node.end_lineno or node.lineno
            continue
        if start < preamble_end:
            units.append(Unit("", "".join(lines[start:preamble_end]), False))
            start = preamble_end
        end = node.end_lineno or node.lineno
        while end < len(lines) and lines[end][:1] in (" ", "\t") and lines[end].lstrip().startswith("#"):
            end += 1        # indented comments after the last statement (### END SOLUTION) belong here
        text = "".join(lines[start:end])
        units.append(Unit(node.name, text, BEGIN in text))
        start = end
    if start < len(lines):
        units.append(Unit("", "".join(lines[start:]), False))
    return units


def graded_functions(source: str | None = None) -> list[str]:
    """Names of the graded functions, in the order of the reference."""
    text = REFERENCE.read_text() if source is None else source
    return [unit.name for unit in split_units(text) if unit.graded]


def render_stub(source: str | None = None) -> str:
    """The student stub module derived from the reference."""
    text = REFERENCE.read_text() if source is None else source
    header = (
        "# Student file: implement every function below that raises\n"
        "# NotImplementedError. Generated from the reference by\n"
        "# `autograder build`; do not edit the docstrings' contract.\n"
    )
    return header + clear_solutions(text)
