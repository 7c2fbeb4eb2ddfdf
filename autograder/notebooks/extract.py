"""Take a student's code out of a submitted notebook, without running it.

``extract_student_code(path)`` returns a Python module: the provided preamble
(imports and helpers, taken from the reference ``solutions/losses.py``, never
from the notebook) followed by every answer cell, i.e. every code cell whose
``metadata.nbgrader`` has ``solution: true`` and a ``grade_id`` naming a
contract function, in notebook order. Every other cell (tests, markdown, cells
the student added) is ignored.

Each answer cell runs the way nbgrader runs cells: on its own. A cell with a
syntax error, or one that raises at its top level (a leftover ``print(mse(...))``
that fails), stops there and leaves the next cells unaffected, so a broken
cell costs the points of its own function only, as it does under
``nbgrader autograde``. IPython magics and shell escapes (lines starting with
``%`` or ``!``) are commented out, never executed.
"""
from __future__ import annotations

import io
import json
import tokenize
from pathlib import Path

from autograder.classrun.errors import ErrorKind
from autograder.grading.rubric import FUNCTIONS


class NotebookError(ValueError):
    """The file is not a notebook we can take answer cells from: the message
    is the one-line reason, ``kind`` why (``errors.ErrorKind``)."""

    def __init__(self, reason: str, kind: ErrorKind):
        super().__init__(reason)
        self.kind = kind

    def __reduce__(self):
        return type(self), (str(self), self.kind)


def _text(source) -> str:
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError("not a notebook: a cell's source is neither text nor a list of lines", ErrorKind.BAD_NOTEBOOK)


def answer_cells(notebook: dict) -> list[tuple[str, str]]:
    """(function, source) of every answer cell, in notebook order."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise NotebookError("not a notebook: no list of cells (nbformat 4 expected)", ErrorKind.BAD_NOTEBOOK)
    found = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        metadata = cell.get("metadata")
        meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
        if not isinstance(meta, dict) or meta.get("solution") is not True:
            continue
        grade_id = meta.get("grade_id")
        if isinstance(grade_id, str) and grade_id in FUNCTIONS:
            found.append((grade_id, _text(cell.get("source", ""))))
    return found


def disable_magics(source: str) -> str:
    """Turn each IPython magic or shell escape line into ``pass  # <line>``.

    ``pass`` keeps an indented block valid; lines inside a multi-line string
    (a docstring starting a line with ``%``) are left alone.
    """
    lines = source.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if line.lstrip().startswith(("%", "!"))]
    if not candidates:
        return source
    in_string = _rows_inside_strings("".join(
        line if i not in candidates else "#" + line for i, line in enumerate(lines)))
    for i in candidates:
        if i + 1 in in_string:
            continue
        line = lines[i]
        indent = line[:len(line) - len(line.lstrip())]
        ending = "\n" if line.endswith("\n") else ""
        lines[i] = f"{indent}pass  # {line.strip()}{ending}"
    return "".join(lines)


def _rows_inside_strings(source: str) -> set[int]:
    """1-based rows that continue a multi-line string token."""
    rows: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                rows.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return rows


_HEADER = '''\
# Student code taken from {name} by autograder.notebooks.extract.extract_student_code:
# the provided preamble (from solutions/losses.py), then every answer cell, each
# run on its own as in a notebook (an error stops that cell only).
'''

_RUNNER = (Path(__file__).resolve().parents[1] / "authoring" / "data" / "notebook_runner.py").read_text()


def extract_student_code(path: Path | str) -> str:
    """The module to grade for the notebook at ``path`` (see the module docstring)."""
    from autograder.authoring.notebook_source import preamble_source

    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise NotebookError(f"cannot read the notebook {path.name}: {exc.strerror}", ErrorKind.UNREADABLE) from None
    try:
        notebook = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError) as exc:     # a 5000-digit number is a ValueError too
        raise NotebookError(f"malformed notebook JSON: {str(exc)[:200]}", ErrorKind.BAD_NOTEBOOK) from None
    cells = answer_cells(notebook)
    if not cells:
        raise NotebookError("no answer cells with nbgrader grade ids found", ErrorKind.NO_ANSWER_CELLS)
    parts = [_HEADER.format(name=path.name), preamble_source(), _RUNNER]
    for function, source in cells:
        parts.append(f"\n_run_answer_cell({function!r}, {disable_magics(source)!r})\n")
    return "".join(parts)
