"""The bundled sample class, synthesised from the mistake catalogue.

Every catalogue variant becomes a student whose ``losses.py`` is the
reference with that one function rewritten with the mistake (so the class
shows every diagnosis), plus students with several mistakes, unfinished
work, and submissions that cannot be graded at all.
"""
from __future__ import annotations

import inspect
import random
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from autograder.authoring.single_source import REFERENCE, split_units, strip_markers
from autograder.grading.mistakes import variants as variants_module
from autograder.grading.mistakes.variants import VARIANTS, Variant

LENIENT_BATCH = '''def require_nonempty(a, name, ndims=None):
    if a.size == 0:
        raise ValueError(f"{name} is an empty batch")
'''


def _function_source(fn, name: str) -> str:
    lines = inspect.getsource(fn).splitlines(keepends=True)
    while lines and lines[0].lstrip().startswith("@"):
        lines.pop(0)
    text = "".join(lines)
    return re.sub(r"^def \w+\(", f"def {name}(", text, count=1)


def _helpers_used(text: str) -> str:
    used = [h for h in variants_module._SHARED_HELPERS if h + "(" in text]
    return "".join(_function_source(getattr(variants_module, h), h) + "\n\n" for h in used)


def variant_source(v: Variant) -> tuple[str, str]:
    """(the function the mistake lives in, its buggy source with any helpers it needs)."""
    if v.via is not None:
        return variant_source(VARIANTS[replace(v, function=v.via, via=None).key])
    if v.mistake == "silent-broadcast":
        unit = next(u for u in split_units(strip_markers(REFERENCE.read_text())) if u.name == v.function)
        body = "".join(line for line in unit.source.splitlines(keepends=True)
                       if "require_same_shape(" not in line)
        body = body.replace("require_batch(", "require_nonempty(")
        return v.function, LENIENT_BATCH + "\n\n" + body.lstrip("\n")
    text = _function_source(v.impl, v.function)
    return v.function, _helpers_used(text) + text


def student_module(mistakes: Sequence[Variant] = (), unfinished: tuple[str, ...] = ()) -> str:
    """A student's losses.py: the reference with some functions replaced."""
    replaced = dict(variant_source(v) for v in mistakes)
    parts = []
    for unit in split_units(strip_markers(REFERENCE.read_text())):
        if unit.name in replaced:
            parts.append("\n\n" + replaced[unit.name].strip("\n") + "\n")
        elif unit.name in unfinished:
            header = unit.source.split('"""', 2)
            parts.append(header[0] + '"""' + header[1] + '"""\n    raise NotImplementedError()\n')
        else:
            parts.append(unit.source)
    return "".join(parts)


BROKEN = {
    "zz-syntax-error": "import numpy as np\n\ndef mse(y_hat, y)\n    return 0.0\n",
    "zz-missing-package": "import torch\n\ndef mse(y_hat, y):\n    return 0.0\n",
    "zz-exits-at-import": "import sys\nsys.exit(0)\n",
}


def build_demo_class(folder: Path, seed: int = 116) -> list[str]:
    """Write the sample class into ``folder``; returns the student ids."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    students: dict[str, str] = {}
    for name in ("ada", "grace", "alan"):
        students[f"correct-{name}"] = student_module()
    first_forms = [v for v in VARIANTS.values() if not v.form]
    for number, v in enumerate(sorted(first_forms, key=lambda v: (v.mistake, v.function))):
        students[f"s{number:03d}-{v.mistake}"] = student_module([v])
    pool = [v for v in first_forms if v.via is None]
    for number in range(12):
        picked: dict[str, Variant] = {}
        for v in rng.sample(pool, 3):
            picked.setdefault(v.function, v)
        students[f"m{number:03d}-several"] = student_module(list(picked.values()))
    functions = [u.name for u in split_units(REFERENCE.read_text()) if u.graded]
    for number in range(4):
        students[f"u{number:03d}-unfinished"] = student_module(unfinished=tuple(rng.sample(functions, 8)))
    students.update(BROKEN)
    for student, source in students.items():
        (folder / student).mkdir(exist_ok=True)
        (folder / student / "losses.py").write_text(source)
    notebooks = _notebook_students(folder)
    (folder / "zz-empty-folder").mkdir(exist_ok=True)
    return sorted(list(students) + notebooks + ["zz-empty-folder"])


def _notebook_students(folder: Path) -> list[str]:
    """Students who handed in the released notebook instead of losses.py."""
    import nbformat

    from autograder.authoring.notebook_source import filled_release, reference_answers
    name = "loss_functions.ipynb"
    answers = reference_answers()
    flipped = dict(answers)
    function, source = variant_source(VARIANTS[("grad-sign-flipped", "bce_grad")])
    flipped[function] = source
    half = {f: a for i, (f, a) in enumerate(answers.items()) if i % 2 == 0}
    for student, filled in (("nb-correct", answers), ("nb-sign-flipped", flipped), ("nb-half-done", half)):
        (folder / student).mkdir(exist_ok=True)
        nbformat.write(filled_release(filled), folder / student / name)
    (folder / "nb-malformed").mkdir(exist_ok=True)
    (folder / "nb-malformed" / name).write_text('{"cells": [ this is not JSON')
    return ["nb-correct", "nb-sign-flipped", "nb-half-done", "nb-malformed"]
