"""A class too large to hold (more than engine.STREAM_ABOVE submissions) is
streamed: results.json is written as the records are read back from the
state, no record is kept, and every file says the same as for a class
held in memory. Tested with the threshold lowered to a small class; the
memory itself is measured by benchmarks/bench_grading.py --scale."""
from __future__ import annotations

import json
import re

import pytest

from autograder.classrun import engine
from autograder.classrun.engine import GradeOptions, grade_class
from autograder.demo import BROKEN, student_module
from autograder.grading.mistakes.variants import VARIANTS
from autograder.report.class_report import class_stats
from autograder.report.summary import terminal_summary
from autograder.sandbox import Limits

SEED = 77


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    keys = list(VARIANTS)
    sources = {"a-right": student_module(), "b-two": student_module([VARIANTS[keys[0]], VARIANTS[keys[40]]]),
               "c-one": student_module([VARIANTS[keys[90]]]), "d-broken": BROKEN["zz-syntax-error"]}
    for student, source in sources.items():
        (folder / student).mkdir()
        (folder / student / "losses.py").write_text(source)
    return folder


def _without_times(text: str) -> str:
    return re.sub(r'"(elapsed_seconds|started)": [^,}]*', "", text)


def test_a_streamed_class_writes_the_same_files(class_dir, tmp_path, monkeypatch):
    held = grade_class(GradeOptions(class_dir, tmp_path / "held", jobs=2, limits=Limits(), seed=SEED, progress=False))
    monkeypatch.setattr(engine, "STREAM_ABOVE", 2)
    streamed = grade_class(GradeOptions(class_dir, tmp_path / "streamed", jobs=2, limits=Limits(), seed=SEED,
                                        progress=False))
    # what the caller gets back for a large class: no record at all, the counts taken on the way
    assert len(held.students) == 4 and held.tally is None
    assert streamed.students == [] and streamed.tally.total == 4
    assert class_stats(streamed) == class_stats(held)
    assert terminal_summary(streamed, "r.html") == terminal_summary(held, "r.html")
    # the files are the same, whichever way they were written
    a = json.loads((tmp_path / "held" / "results.json").read_text())
    b = json.loads((tmp_path / "streamed" / "results.json").read_text())
    assert a["students"] == b["students"] and len(a["students"]) == 4
    assert (tmp_path / "held" / "grades.csv").read_text() == (tmp_path / "streamed" / "grades.csv").read_text()
    reports = [_without_times((tmp_path / d / "report.html").read_text()) for d in ("held", "streamed")]
    counts = [re.findall(r'data-(?:count|pass-rate)="[^"]*"', r) for r in reports]
    assert counts[0] == counts[1] and len(counts[0]) > 100
