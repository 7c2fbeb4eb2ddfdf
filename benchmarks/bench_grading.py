"""Grading throughput: the sandboxed engine against nbgrader and against the
same hidden checks run in-process with no isolation, measured in one run.

    python benchmarks/bench_grading.py [--students 300] [--nbgrader-sample 20] [--jobs 2]
    python benchmarks/bench_grading.py --scale [--scale-sizes 1000 10000]

Builds a class of correct, mistaken and broken submissions, grades it with
``autograder grade`` (full isolation when bubblewrap works), grades the same
submissions in-process, and grades a sample of them as notebooks with
``nbgrader autograde``; prints submissions per second for each and the ratios,
and the cold time of ``autograder grade-one`` on one submission with mistakes
(process start to results written, as a Gradescope container pays it).

``--scale`` instead runs ``autograder grade`` as its own process on synthetic
classes of each size and prints the time, the rate, the grader's peak
resident memory (VmHWM of the grader's own process; the sandboxes and the
renderers are separate processes) and how long report.html takes to open in
headless chromium.
"""
from __future__ import annotations

import argparse
import functools
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from autograder.classrun import outputs  # noqa: E402
from autograder.classrun.engine import GradeOptions, grade_class  # noqa: E402
from autograder.classrun.errors import ErrorKind  # noqa: E402
from autograder.classrun.records import ClassResults, error_record, graded_record  # noqa: E402
from autograder.classrun.submissions import SubmissionError, discover, syntax_check  # noqa: E402
from autograder.demo import BROKEN, student_module  # noqa: E402
from autograder.grading import sweeps  # noqa: E402
from autograder.grading.diagnosis import Diagnoser  # noqa: E402
from autograder.grading.handle import InProcessHandle  # noqa: E402
from autograder.grading.mistakes.variants import VARIANTS  # noqa: E402
from autograder.grading.probes import make_probes  # noqa: E402
from autograder.grading.scoring import grade  # noqa: E402
from autograder.sandbox import Isolation, Limits, Worker  # noqa: E402

SEED = 4242


@functools.cache
def _module(keys: tuple) -> str:
    return student_module([VARIANTS[k] for k in keys])


def build_class(folder: Path, n: int) -> dict[str, str]:
    rng = random.Random(1)
    keys = list(VARIANTS)
    sources = {}
    for i in range(n):
        roll = rng.random()
        if roll < 0.3:
            source = _module(())
        elif roll < 0.92:
            picked = {}
            for k in rng.sample(keys, rng.randint(1, 3)):
                picked.setdefault(VARIANTS[k].via or VARIANTS[k].function, k)
            source = _module(tuple(picked.values()))
        else:
            source = list(BROKEN.values())[i % len(BROKEN)]
        sources[f"student{i:04d}"] = source
    for student, source in sources.items():
        (folder / student).mkdir(parents=True)
        (folder / student / "losses.py").write_text(source)
    return sources


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def _tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and every process below it, with the children
    each has reaped (from /proc; 0 where /proc cannot be read)."""
    parents: dict[int, list[tuple[int, list[str]]]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()
            parents.setdefault(int(fields[1]), []).append((int(entry), fields))
    ticks, todo = 0, [root]
    try:
        stat = Path(f"/proc/{root}/stat").read_text()
        ticks += sum(int(v) for v in stat[stat.rindex(")") + 2:].split()[11:15])
    except OSError:
        return 0.0
    while todo:
        for pid, fields in parents.get(todo.pop(), []):
            ticks += sum(int(v) for v in fields[11:15])       # utime stime cutime cstime
            todo.append(pid)
    return ticks / os.sysconf("SC_CLK_TCK")


def bench_engine(class_dir: Path, out_dir: Path, jobs: int) -> tuple[float, dict, tuple[float, float, float]]:
    """(seconds, results, (CPU seconds of the grader's process, of its reaped
    children: the renderers, of the sandboxes)). A sandbox is killed with its
    process group, so its CPU never reaches RUSAGE_CHILDREN: it is read from
    /proc just before each worker is stopped. CPU time does not depend on
    what else the machine runs: on a shared machine it is the steadier figure."""
    sandboxes = [0.0]
    stop = Worker.stop

    def counted_stop(worker: Worker) -> None:
        if worker.proc is not None:
            sandboxes[0] += _tree_cpu(worker.proc.pid)
        stop(worker)
    cpu = _cpu(resource.RUSAGE_SELF), _cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    Worker.stop = counted_stop        # type: ignore[method-assign]
    try:
        results = grade_class(GradeOptions(class_dir, out_dir, jobs=jobs, limits=Limits(), seed=SEED, progress=False))
    finally:
        Worker.stop = stop            # type: ignore[method-assign]
    return (time.perf_counter() - start, results,
            (_cpu(resource.RUSAGE_SELF) - cpu[0], _cpu(resource.RUSAGE_CHILDREN) - cpu[1], sandboxes[0]))


def bench_in_process(class_dir: Path, out_dir: Path | None = None) -> float:
    """The same hidden checks and diagnosis, student code exec'd in this
    process, one after the other. With ``out_dir`` it also draws the curves and
    writes the same files as the engine (the like-for-like baseline)."""
    start = time.perf_counter()
    probes = make_probes(SEED)
    diagnoser = Diagnoser(probes)
    records = []
    for submission in discover(class_dir):
        try:
            source = submission.read_source()
            syntax_check(source)
            namespace = {"__name__": "losses"}
            exec(compile(source, "losses.py", "exec"), namespace)
        except (SubmissionError, Exception, SystemExit) as exc:  # noqa: BLE001
            kind = (exc.kind if isinstance(exc, SubmissionError) else ErrorKind.EXIT_AT_LOAD
                    if isinstance(exc, SystemExit) else ErrorKind.IMPORT_MISSING if isinstance(exc, ImportError)
                    else ErrorKind.RAISED_AT_LOAD)
            records.append(error_record(submission.student, str(exc), Isolation.TRUSTED, kind))
            curves = {}
        else:
            result = grade(InProcessHandle(namespace), probes, diagnoser)
            records.append(graded_record(submission.student, result, Isolation.TRUSTED))
            failing = {n for n, f in result.functions.items() if f.implemented and f.score < f.max_score}
            curves = ({k: c for k, c in sweeps.student_curves(namespace).items() if c.function in failing}
                      if out_dir and failing else {})
        if out_dir:
            outputs.write_student_files(out_dir, records[-1], curves)
    if out_dir:
        outputs.write_class_files(out_dir, ClassResults("loss_functions", 100, records, [],
                                                        {"isolation": Isolation.TRUSTED.value, "seed": SEED}))
    return time.perf_counter() - start


def bench_nbgrader(sources: dict[str, str], sample: int, work: Path) -> tuple[float, int]:
    """nbgrader autograde on `sample` submissions turned into filled release notebooks."""
    import nbformat

    from autograder.authoring.notebook_source import filled_release
    from autograder.authoring.single_source import split_units
    course = work / "course"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
    picked = [s for s in sorted(sources) if "import tensorflow" not in sources[s]][:sample]
    bin_dir = Path(sys.executable).parent           # nbgrader runs alembic from PATH
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    nbgrader = str(bin_dir / "nbgrader")
    subprocess.run([nbgrader, "generate_assignment", "loss_functions", "--force"], cwd=course,
                   check=True, capture_output=True, env=env)
    for student in picked:
        try:
            units = {u.name: u.source for u in split_units(sources[student]) if u.name}
        except SyntaxError:
            units = {"mse": sources[student]}
        nb = filled_release(units)
        target = course / "submitted" / student / "loss_functions"
        target.mkdir(parents=True)
        nbformat.write(nb, target / "loss_functions.ipynb")
    start = time.perf_counter()
    subprocess.run([nbgrader, "autograde", "loss_functions", "--force"], cwd=course, capture_output=True, env=env)
    return time.perf_counter() - start, len(picked)


AUTOGRADER = str(Path(sys.executable).parent / "autograder")


def cold_single(work: Path, runs: int = 3) -> list[float]:
    """``autograder grade-one`` on one submission with mistakes, each run a
    new process: seconds from process start to results.json written."""
    submission = work / "single" / "losses.py"
    submission.parent.mkdir(parents=True)
    submission.write_text(student_module([VARIANTS[k] for k in list(VARIANTS)[:3]]))
    times = []
    for run in range(runs):
        out = work / f"single-out-{run}"
        start = time.perf_counter()
        subprocess.run([AUTOGRADER, "grade-one", str(submission), "--out", str(out), "--seed", str(SEED)],
                       check=True, capture_output=True)
        times.append(time.perf_counter() - start)
        assert (out / "results.json").exists()
    return times


def _hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def grade_as_process(class_dir: Path, out_dir: Path, jobs: int) -> tuple[float, int]:
    """``autograder grade`` in its own process: (seconds, peak RSS in kB of
    that process, read from /proc while it runs)."""
    start = time.perf_counter()
    process = subprocess.Popen([AUTOGRADER, "grade", str(class_dir), "--out", str(out_dir), "--jobs", str(jobs),
                                "--seed", str(SEED), "--quiet"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _hwm_kb(process.pid) or 0)
        time.sleep(0.2)
    elapsed = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(process.stderr.read().decode()[-2000:])
    return elapsed, peak


def open_report(report: Path) -> float:
    """Seconds headless chromium takes to load and screenshot the report."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    with tempfile.TemporaryDirectory() as profile:
        start = time.perf_counter()
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        "--window-size=1280,4000", f"--screenshot={profile}/shot.png", report.resolve().as_uri()],
                       check=True, capture_output=True, timeout=300)
        return time.perf_counter() - start


def scale(sizes: list[int], jobs: int) -> None:
    print(f"scale: jobs {jobs}, cores {os.cpu_count()}")
    print(f"{'submissions':>11} {'time (s)':>9} {'subs/s':>7} {'grader peak RSS':>16} {'report.html':>12} "
          f"{'opens in':>9}")
    for n in sizes:
        work = Path(tempfile.mkdtemp(prefix=f"autograder-scale-{n}-"))
        try:
            build_class(work / "class", n)
            elapsed, peak = grade_as_process(work / "class", work / "out", jobs)
            report = work / "out" / "report.html"
            print(f"{n:>11} {elapsed:>9.1f} {n / elapsed:>7.1f} {peak / 1024:>13.0f} MB "
                  f"{report.stat().st_size / 1e6:>9.2f} MB {open_report(report):>7.1f} s", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--nbgrader-sample", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--scale", action="store_true", help="time and peak memory on large synthetic classes")
    parser.add_argument("--scale-sizes", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    if args.scale:
        scale(args.scale_sizes, args.jobs)
        return
    work = Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    try:
        class_dir = work / "class"
        sources = build_class(class_dir, args.students)
        load = os.getloadavg()[0]
        engine_s, results, (grader_cpu, children_cpu, sandbox_cpu) = bench_engine(class_dir, work / "out", args.jobs)
        checks_s = bench_in_process(class_dir)
        same_work_s = bench_in_process(class_dir, work / "out-in-process")
        nb_s, nb_n = bench_nbgrader(sources, args.nbgrader_sample, work)
        single = cold_single(work)
        n = args.students
        engine_rate, nb_rate = n / engine_s, nb_n / nb_s
        print(f"submissions: {n} ({sum(not s.graded for s in results.students)} in error), "
              f"isolation: {results.meta['isolation']}, jobs: {args.jobs}, cores: {os.cpu_count()}")
        print(f"autograder grade      : {engine_s:8.2f} s {engine_rate:8.1f} submissions/s "
              "(sandboxed; feedback pages, plots, report)")
        print(f"  its CPU             : {1000 * (grader_cpu + children_cpu + sandbox_cpu) / n:8.1f} ms per submission "
              f"(grader {1000 * grader_cpu / n:.1f}, renderers {1000 * children_cpu / n:.1f}, sandboxes "
              f"{1000 * sandbox_cpu / n:.1f}); load average before the run {load:.1f}")
        print(f"in-process, same work : {same_work_s:8.2f} s {n / same_work_s:8.1f} submissions/s "
              "(no isolation, serial; same files)")
        print(f"in-process, checks    : {checks_s:8.2f} s {n / checks_s:8.1f} submissions/s "
              "(no isolation; checks and diagnosis only, no files)")
        print(f"nbgrader autograde    : {nb_s:8.2f} s {nb_rate:8.2f} submissions/s ({nb_n} notebooks)")
        print(f"grade-one, cold, one submission    : {single[0]:7.2f} s  (then {', '.join(f'{t:.2f}' for t in single[1:])} s; "
              "process start to results.json)")
        print(f"engine / nbgrader speed            : {engine_rate / nb_rate:7.1f}x  (target >= 100x)")
        print(f"engine submissions/s               : {engine_rate:7.1f}   (target >= 100)")
        print(f"engine time / in-process same work : {engine_s / same_work_s:7.2f}x  (target <= 2x)")
        print(f"engine time / in-process checks    : {engine_s / checks_s:7.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
