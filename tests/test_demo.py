"""`autograder demo`: the bundled sample class shows every diagnosis."""
import json
import subprocess
import sys

from autograder.classrun.records import StudentRecord
from autograder.grading.mistakes.catalogue import MISTAKES


def test_demo_grades_the_sample_class_and_prints_where_the_report_is(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "demo", "--out", str(tmp_path), "--quiet"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    graded = tmp_path / "graded"
    assert f"Report: {graded / 'report.html'}" in proc.stdout
    results = json.loads((graded / "results.json").read_text())
    rows = {s["student"]: s for s in results["students"]}
    assert len(rows) >= 40
    named = {m for row in rows.values() for m in StudentRecord.from_json(row).mistakes()}
    assert named == set(MISTAKES), f"never diagnosed: {sorted(set(MISTAKES) - named)}"
    assert rows["correct-ada"]["score"] == 100
    assert rows["nb-correct"]["score"] == 100
    assert StudentRecord.from_json(rows["nb-sign-flipped"]).mistakes() == ["grad-sign-flipped"]
    assert 0 < rows["nb-half-done"]["score"] < 100
    assert rows["nb-malformed"]["status"] == "error" and "malformed notebook JSON" in rows["nb-malformed"]["error"]
    assert rows["zz-syntax-error"]["status"] == "error" and "syntax error at line 3" in rows["zz-syntax-error"]["error"]
    for student in rows:
        assert (graded / "feedback" / f"{student}.html").exists()
