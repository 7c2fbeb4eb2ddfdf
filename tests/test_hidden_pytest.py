"""The hidden checks run as plain pytest tests through the student handle."""
import subprocess
import sys

from autograder.authoring.single_source import REFERENCE
from autograder.demo import student_module
from autograder.grading.mistakes.variants import VARIANTS
from autograder.grading.rubric import RUBRIC


def run_hidden(path, *extra):
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "autograder/hidden_tests",
                           "--submission", str(path), *extra], capture_output=True, text=True, timeout=300)


def test_reference_passes_every_hidden_check_in_the_sandbox():
    proc = run_hidden(REFERENCE)
    assert proc.returncode == 0, proc.stdout[-2000:]
    assert f"{len(RUBRIC)} passed" in proc.stdout


def test_a_mistake_fails_its_checks_and_is_named(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text(student_module([VARIANTS[("grad-missing-2", "mse_grad")]]))
    proc = run_hidden(path)
    assert proc.returncode == 1
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    assert failed and all("mse_grad:" in line or "linear_regression_step:" in line for line in failed), failed
    assert "grad-missing-2" in proc.stdout


def test_a_submission_that_does_not_load_stops_with_its_reason(tmp_path):
    path = tmp_path / "losses.py"
    path.write_text("import sys\nsys.exit(0)\n")
    proc = run_hidden(path)
    assert proc.returncode == 3
    assert "sys.exit(0)" in proc.stdout + proc.stderr
