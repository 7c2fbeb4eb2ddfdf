"""Where a grading run's time goes, with cProfile: the grader's own process
(judging, diagnosis, saving state) and, separately, the rendering of the
feedback pages and the class report (which the engine does in its renderer
processes, out of the main profile's sight).

    python benchmarks/profile_grading.py [--students 300] [--top 25]

Prints the top functions by cumulative time for each half, and the share of
the rendering spent drawing plots.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_grading import SEED, build_class  # noqa: E402

from autograder.classrun import outputs  # noqa: E402
from autograder.classrun.engine import GradeOptions, grade_class  # noqa: E402
from autograder.classrun.records import ClassResults, StudentRecord  # noqa: E402
from autograder.grading.sweeps import Curve  # noqa: E402
from autograder.report import plots  # noqa: E402
from autograder.sandbox import Limits  # noqa: E402


def top(profile: cProfile.Profile, n: int) -> str:
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(n)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="autograder-profile-"))
    try:
        build_class(work / "class", args.students)
        profile = cProfile.Profile()
        start = time.perf_counter()
        profile.enable()
        grade_class(GradeOptions(work / "class", work / "out", jobs=2, limits=Limits(), seed=SEED, progress=False))
        profile.disable()
        print(f"== grade_class, main process: {time.perf_counter() - start:.2f} s wall")
        print(top(profile, args.top))

        saved = [json.loads(p.read_text()) for p in sorted((work / "out" / ".state" / "students").glob("*.json"))]
        plots.use_cache_dir(None)
        plots._cached_curve_plot.cache_clear()
        render = cProfile.Profile()
        start = time.perf_counter()
        render.enable()
        for entry in saved:
            outputs.write_student_files(work / "render", StudentRecord.from_json(entry["record"]),
                                        {n: Curve.from_json(c) for n, c in entry["curves"].items()})
        results = ClassResults.from_json(json.loads((work / "out" / "results.json").read_text()))
        outputs.write_class_files(work / "render", results)
        render.disable()
        wall = time.perf_counter() - start
        stats = pstats.Stats(render)
        drawn = sum(v[3] for k, v in stats.stats.items() if k[2] in ("_draw_curve",))
        report = sum(v[3] for k, v in stats.stats.items() if k[2] in ("write_class_files",))
        print(f"== rendering {len(saved)} students' files and the report, serial: {wall:.2f} s wall; "
              f"drawing curves {drawn:.2f} s, class files {report:.2f} s")
        print(top(render, args.top))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
