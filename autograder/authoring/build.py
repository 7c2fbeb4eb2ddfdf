"""Regenerate every file derived from the reference (``autograder build``).

``check_derived()`` lists the derived files that are stale; the test suite
fails on any.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from autograder.authoring import notebook_source, public_cases, single_source


def load_reference():
    spec = importlib.util.spec_from_file_location("reference_losses", single_source.REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def derived_files() -> dict[Path, str]:
    """Every derived file and the text it should have."""
    reference = load_reference()
    files = {
        single_source.STUB: single_source.render_stub(),
        public_cases.PUBLIC_CASES: public_cases.render(reference),
        notebook_source.NOTEBOOK: notebook_source.render(reference),
    }
    return files


def check_derived() -> list[Path]:
    return [path for path, text in derived_files().items()
            if not path.exists() or path.read_text() != text]


def build() -> list[Path]:
    written = []
    for path, text in derived_files().items():
        if not path.exists() or path.read_text() != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
            written.append(path)
    return written
