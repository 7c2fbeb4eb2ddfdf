"""Readable failures: what ``python -m pytest exercises`` prints.

A submission with every function wrong (the stub, or every function
returning zeros) must print one short paragraph per failed case, with no
harness source, test ids from the case notes, and at most 30 lines per
failing function. The figures are printed.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = json.loads((ROOT / "exercises" / "public_cases.json").read_text())["cases"]
FUNCTIONS = sorted({c["function"] for c in CASES})
MAX_LINES_PER_FUNCTION = 30

ZEROS = '''import numpy as np
NAMES = {names!r}
def _zeros(*args, **kwargs):
    return np.zeros_like(np.asarray(args[0], dtype=float))
for _name in NAMES:
    globals()[_name] = _zeros
'''


def run_public_checks(losses_file: Path) -> str:
    env = dict(os.environ, LOSSES_FILE=str(losses_file), COLUMNS="120")
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "exercises"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr
    return result.stdout


def lines_per_function(output: str) -> Counter:
    """Each line of the report counted against the function whose failure it belongs to."""
    counts: Counter = Counter()
    current = None
    header = re.compile(r"^_+ test_public_case\[([a-z_]+): ")
    for line in output.splitlines():
        match = header.match(line)
        if match:
            current = match.group(1)
        elif line.startswith("=") or line.startswith("FAILED "):
            current = None if line.startswith("=") else current
        if current:
            counts[current] += 1
    return counts


@pytest.fixture(scope="module")
def zeros_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("zeros") / "losses.py"
    path.write_text(ZEROS.format(names=FUNCTIONS))
    return path


@pytest.mark.parametrize("which", ["stub", "zeros"])
def test_every_function_wrong_prints_a_screen_per_function_at_most(which, zeros_file):
    losses = ROOT / "exercises" / "losses.py" if which == "stub" else zeros_file
    output = run_public_checks(losses)
    counts = lines_per_function(output)
    total = len(output.splitlines())
    print(f"{which}: {total} lines in all; per failing function: max {max(counts.values())}, "
          f"{dict(counts.most_common(3))}")
    assert set(counts) <= set(FUNCTIONS) and len(counts) >= len(FUNCTIONS) - 1   # all fail, or nearly
    worst = counts.most_common(1)[0]
    assert worst[1] <= MAX_LINES_PER_FUNCTION, worst
    assert total <= MAX_LINES_PER_FUNCTION * len(counts) + 10


def test_failures_show_no_harness_source_and_ids_from_notes(zeros_file):
    output = run_public_checks(zeros_file)
    for harness in ("def test_public_case", "pytest.fail", "+  where", "assert ", "Traceback", "test_losses.py:"):
        assert harness not in output, harness
    assert not re.search(r"test_public_case\[[a-z_]+-\d+\]", output)
    for case in CASES:
        if case["function"] != "loss_for_output":
            assert f"[{case['id']}]" in output, case["id"]


def test_a_missing_error_names_the_input_that_should_have_been_refused(zeros_file):
    output = run_public_checks(zeros_file)
    paragraph = output.split("squared_error: refuses mismatched shapes and an empty batch\n", 1)[1]
    first_lines = paragraph.splitlines()[:4]
    assert first_lines[0].startswith("  input (an (m, 1) column against (m,) targets): y_hat = [[1. ], [2. ], [0.5]]")
    assert first_lines[1] == "  expected: a ValueError (this input must be refused)"
    assert "and no error" in first_lines[2]
    assert "[silent-broadcast]" in first_lines[3]


def test_a_wrong_value_says_expected_got_and_the_hint(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text(
        "import numpy as np\n"
        "def batch_mean(losses):\n"
        "    return float(np.sum(np.asarray(losses, dtype=float)))\n")
    env = dict(os.environ, LOSSES_FILE=str(path))
    env.pop("PYTEST_ADDOPTS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "exercises", "-k", "batch_mean and not refuses"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout
    assert "batch_mean: the mean, not the sum\n  input: losses = [0.5, 1.5, 4.0]\n" \
           "  expected: a Python float 2.0\n  got:      float 6.0: wrong value\n" \
           "  hint: exactly m = 3 times too large: the losses were summed, not averaged over the batch " \
           "[sum-not-mean]" in out, out
