"""pytest plugin for the hidden checks: one test per rubric check.

    python -m pytest autograder/hidden_tests --submission path/to/losses.py

The student's code is reached only through a student handle: by default a
sandboxed one (``SandboxHandle``); ``--trusted`` runs it in-process (for the
reference and the catalogue's variants only).
"""
from pathlib import Path

import pytest

from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle, SandboxHandle
from autograder.grading.probes import make_probes
from autograder.grading.scoring import grade


def pytest_addoption(parser):
    group = parser.getgroup("autograder hidden checks")
    group.addoption("--submission", default=None, help="the student's losses.py (or notebook) to check")
    group.addoption("--seed", type=int, default=2026, help="seed of the hidden probes")
    group.addoption("--trusted", action="store_true", help="run the submission in-process (trusted code only)")


@pytest.fixture(scope="session")
def probes(pytestconfig):
    return make_probes(pytestconfig.getoption("--seed"))


@pytest.fixture(scope="session")
def diagnoser(probes):
    return Diagnoser(probes)


@pytest.fixture(scope="session")
def graded(pytestconfig, probes, diagnoser):
    """The submission graded once through its handle, as ``autograder grade``
    does: every probe, then the failing functions again with the right helpers
    (error carried forward)."""
    path = pytestconfig.getoption("--submission")
    if path is None:
        pytest.exit("give the submission to check with --submission PATH", returncode=4)
    path = Path(path)
    if pytestconfig.getoption("--trusted"):
        return grade(InProcessHandle.from_file(path), probes, diagnoser)
    if path.suffix == ".ipynb":
        from autograder.notebooks.extract import extract_student_code
        source = extract_student_code(path)
    else:
        source = path.read_text()
    handle = SandboxHandle(source)
    try:
        result = grade(handle, probes, diagnoser)
    finally:
        handle.close()
    if handle.load_error:
        pytest.exit(f"the submission could not be loaded: {handle.load_error}", returncode=3)
    return result
