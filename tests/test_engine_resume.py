"""A run killed with SIGKILL resumes: the same command again regrades nothing
already graded and ends with the same files as an uninterrupted run."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from autograder.demo import student_module
from autograder.grading.mistakes.variants import VARIANTS

STUDENTS = 16


def make_class(folder: Path) -> None:
    variants = sorted(VARIANTS.values(), key=lambda v: v.key)
    for i in range(STUDENTS):
        source = "import time\ntime.sleep(0.4)\n" + student_module([variants[i * 3]] if i % 4 else [])
        (folder / f"student{i:02d}").mkdir(parents=True)
        (folder / f"student{i:02d}" / "losses.py").write_text(source)


def command(class_dir, out_dir, *extra):
    return [sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out", str(out_dir),
            "--jobs", "2", "--seed", "77", "--quiet", *extra]


def comparable(out_dir: Path) -> dict:
    results = json.loads((out_dir / "results.json").read_text())
    files = {str(p.relative_to(out_dir)): p.read_bytes() for p in sorted(out_dir.rglob("*"))
             if p.is_file() and ".state" not in p.parts and p.name not in ("results.json", "report.html")}
    return {"students": results["students"], "files": files}


def assert_same_outputs(out: Path, reference_out: Path) -> None:
    got, want = comparable(out), comparable(reference_out)
    assert got["students"] == want["students"]
    assert sorted(got["files"]) == sorted(want["files"])
    differing = [name for name in want["files"] if got["files"][name] != want["files"][name]]
    assert differing == [], f"files that differ from the uninterrupted run: {differing}"


def test_kill_9_then_rerun_resumes_and_matches_an_uninterrupted_run(tmp_path):
    class_dir = tmp_path / "class"
    make_class(class_dir)

    reference_out = tmp_path / "uninterrupted"
    subprocess.run(command(class_dir, reference_out), check=True, capture_output=True, timeout=600)

    out = tmp_path / "killed"
    proc = subprocess.Popen(command(class_dir, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    state = out / ".state" / "students"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and (not state.exists() or len(list(state.glob("*.json"))) < 4):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done_before = len(list(state.glob("*.json")))
    assert 4 <= done_before < STUDENTS, "the run was not interrupted part-way"
    assert not (out / "results.json").exists()

    subprocess.run(command(class_dir, out), check=True, capture_output=True, text=True, timeout=600)
    meta = json.loads((out / "results.json").read_text())["meta"]
    assert meta["reused"] >= done_before and meta["graded_now"] == STUDENTS - meta["reused"]
    assert_same_outputs(out, reference_out)

    subprocess.run(command(class_dir, out), check=True, capture_output=True, text=True, timeout=600)
    assert json.loads((out / "results.json").read_text())["meta"]["graded_now"] == 0
    subprocess.run(command(class_dir, out, "--force"), check=True, capture_output=True, timeout=600)
    assert json.loads((out / "results.json").read_text())["meta"]["graded_now"] == STUDENTS
    assert_same_outputs(out, reference_out)
