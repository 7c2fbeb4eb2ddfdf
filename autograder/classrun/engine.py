"""Grade a whole class: every submission in a sandboxed worker, in parallel,
resumable, one row per submission whatever happens.

The pipeline for one submission (``grade_submission``):

1. read its source (a ``.py`` file, or the answer cells of a notebook) and
   compile it without running it: a syntax error is the row's reason;
2. send it to a sandboxed worker with every probe call of the run;
3. judge the outcomes in this (trusted) process and name the mistakes;
4. for each failing loss or gradient, run its sweep in the sandbox too, in a
   fresh fork (nothing of the hidden probes can reach the plots), so the
   feedback can draw the student's curve against the right one;
5. save the record atomically (``state``) and write the student's files.

Infrastructure failures (a worker that will not start or dies on its own)
are retried on a fresh worker and never scored as zero.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import queue
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from autograder import __version__
from autograder.classrun import outputs
from autograder.classrun.errors import ErrorKind, kind_of
from autograder.classrun.records import error_record, graded_record
from autograder.classrun.state import RunState
from autograder.classrun.submissions import Submission, SubmissionError, discover
from autograder.course.identical import identical_groups
from autograder.course.regrade import kept_records
from autograder.grading import sweeps
from autograder.grading.carry import serving
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.outcomes import Outcome
from autograder.grading.probes import ProbeSet, make_probes
from autograder.grading.rubric import ASSIGNMENT, MAX_SCORE
from autograder.grading.scoring import grade_outcomes, rerun_plan, rerun_requests
from autograder.report import plots
from autograder.sandbox import InfrastructureError, Limits, LoadFailure, Runtime, SandboxUnavailable, Worker, bwrap_works

RETRIES = 3


@dataclass
class GradeOptions:
    class_dir: Path
    out_dir: Path
    jobs: int = 2
    limits: Limits = field(default_factory=Limits)
    force: bool = False
    require_sandbox: bool = False
    seed: int | None = None
    progress: bool = True
    students: set[str] | None = None      # regrade only these; the others keep OUT_DIR's rows (regrade.py)
    adjust: Callable[[Submission, dict], dict] | None = None   # applied to each record after grading (late.py)
    meta: dict = field(default_factory=dict)                   # added to results.json's meta
    class_report: bool = True           # grades.csv and report.html (grade-one has no class to report on)


def choose_isolation(require_sandbox: bool) -> str:
    if bwrap_works():
        return "bubblewrap"
    if require_sandbox:
        raise SandboxUnavailable(
            "--require-sandbox was given but bubblewrap is not available here: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap) or drop --require-sandbox")
    warnings.warn(
        "bubblewrap (bwrap) is not available: student code runs in plain child processes with OS "
        "limits only. It can read files this user can read and open network connections. Install "
        "bubblewrap (apt-get install bubblewrap) for full isolation; results record isolation='process'.",
        RuntimeWarning, stacklevel=2)
    return "process"


class Grader:
    """One grading run: the probes, the diagnosis cache and the sandbox runtime."""

    def __init__(self, options: GradeOptions, isolation: str, probes: ProbeSet):
        self.options, self.isolation, self.probes = options, isolation, probes
        self.diagnoser = Diagnoser(probes)
        self.diagnoser.warm()
        self.calls_json = json.dumps(probes.encoded, separators=(",", ":"))
        self.sweep_calls = sweeps.encoded_sweep_calls()
        sweeps.curves(None)          # the reference's curves, computed once, before any thread
        self.sweep_spans: dict[str, list[int]] = {}
        for name, span in sweeps.spans().items():
            self.sweep_spans.setdefault(sweeps.table()[name].function, []).extend(span)
        self.runtime = Runtime()
        self.protections: dict = {}      # what the sandbox's own check found (sandbox_server.self_check)

    def close(self) -> None:
        self.runtime.cleanup()

    def new_worker(self, slot: int) -> Worker:
        worker = Worker(self.runtime, self.isolation, self.options.limits, slot,
                        hidden=(Path(self.options.class_dir).resolve(), Path(self.options.out_dir).resolve()))
        self.protections = self.protections or worker.protections
        return worker

    def grade_submission(self, submission: Submission, worker: Worker) -> tuple[dict, dict]:
        """The record and the curves of one submission (never raises for student faults)."""
        student = submission.student
        try:
            source = submission.read_source()        # compiled (and a syntax error reported) in the sandbox
        except SubmissionError as exc:
            return error_record(student, str(exc), self.isolation, exc.kind), {}
        deadline = time.monotonic() + self.options.limits.submission_timeout     # probes and sweeps share it
        run = worker.run(source, self.probes.encoded, self.calls_json, deadline=deadline)
        if isinstance(run, LoadFailure):
            return error_record(student, run.reason, self.isolation, run.kind), {}
        reruns = {}
        for function in rerun_plan(self.probes, run.outcomes, self.diagnoser):   # error carried forward
            again = worker.run(source, rerun_requests(self.probes, function, self.diagnoser),
                               deadline=deadline, serve=serving(function))
            if not isinstance(again, LoadFailure):
                reruns[function] = again.outcomes
        result = grade_outcomes(self.probes, run.outcomes, self.diagnoser, reruns)
        record = graded_record(student, result, self.isolation)
        failing = [name for name, f in result.functions.items()
                   if f.implemented and f.score < f.max_score and name in self.sweep_spans]
        return record, self.student_curves(source, failing, worker, deadline)

    def student_curves(self, source: str, functions: list[str], worker: Worker, deadline: float) -> dict:
        """The failing functions' sweeps, in a fork of their own: a function that
        kept the hidden probes it was given cannot draw them into its curve."""
        if not functions:
            return {}
        indices = [i for name in functions for i in self.sweep_spans[name]]
        run = worker.run(source, [self.sweep_calls[i] for i in indices], deadline=deadline)
        outcomes: list[Outcome | None] = [None] * len(self.sweep_calls)
        if not isinstance(run, LoadFailure):
            for i, outcome in zip(indices, run.outcomes):
                outcomes[i] = outcome
        return sweeps.curves(outcomes, functions=set(functions))


def _worker_loop(grader: Grader, slot: int, jobs: queue.Queue, done: queue.Queue) -> None:
    worker = None
    try:
        while True:
            submission = jobs.get()
            if submission is None:
                return
            for attempt in range(RETRIES):
                try:
                    if worker is None:
                        worker = grader.new_worker(slot)
                    record, curves = grader.grade_submission(submission, worker)
                    done.put((submission, record, curves, None))
                    break
                except InfrastructureError as exc:
                    if worker is not None:
                        worker.stop()
                    worker = None
                    if attempt == RETRIES - 1:
                        done.put((submission, None, None,
                                  (f"grader infrastructure failure: {exc}", ErrorKind.INFRASTRUCTURE)))
                except Exception as exc:  # noqa: BLE001 - a grader bug must not lose the other rows
                    # The worker's child may still be running and could answer the next
                    # submission's calls: never reuse it.
                    if worker is not None:
                        worker.stop()
                    worker = None
                    done.put((submission, None, None,
                              (f"internal grader error: {type(exc).__name__}: {exc}", ErrorKind.INTERNAL)))
                    break
    finally:
        if worker is not None:
            worker.stop()


def grade_class(options: GradeOptions) -> dict:
    """Grade every submission in ``options.class_dir``; returns the results dict."""
    started = time.monotonic()
    started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    class_dir, out_dir = Path(options.class_dir).resolve(), Path(options.out_dir).resolve()
    if out_dir == class_dir or class_dir in out_dir.parents:
        raise ValueError(f"the output folder {out_dir} is inside the class folder: choose one outside it")
    submissions = discover(class_dir)
    if not submissions:
        raise ValueError(f"no student folders in {class_dir}: expected one sub-folder per student")
    kept: dict[str, dict] = {}
    if options.students is not None:
        kept = kept_records(out_dir, submissions, options.students, options.seed)
        submissions = [s for s in submissions if s.student in options.students or s.student in kept]
    isolation = choose_isolation(options.require_sandbox)
    state = RunState(out_dir)
    seed = state.seed(options.seed)
    fingerprints = {s.student: s.fingerprint() for s in submissions}
    saved = {} if options.force else {      # whether each is saved: records are read back one at a time
        s.student: state.valid(s.student, fingerprints[s.student], seed) for s in submissions}
    todo = [s for s in submissions if not saved.get(s.student) and s.student not in kept]

    # Renderers are forked first, before any thread exists; the class report is
    # drawn while the last students' pages are still being written.
    # Two where there are two cores, even for one job: grade-one's page and the class report draw side by side.
    renderer = _start_renderer(max(1, min(2, os.cpu_count() or 1)), state.dir / "plots")
    try:
        pending: list = []
        failures: dict[str, tuple[str, ErrorKind]] = {}
        protections: dict = {}
        if todo:
            grader = Grader(options, isolation, make_probes(seed))
            try:
                failures = _run_pool(grader, todo, options, state, seed, fingerprints, out_dir, renderer, pending)
            finally:
                protections = grader.protections
                grader.close()
        regraded = {s.student for s in todo}

        def rows():
            """Each submission's record, read back from the state one at a
            time; a reused one whose pages are missing or changed is drawn again."""
            for s in submissions:
                entry = state.load(s.student, fingerprints[s.student], seed)
                if s.student in kept:       # not named in a regrade: the row OUT_DIR had
                    entry = {"record": kept[s.student], "curves": entry["curves"] if entry else {}}
                if entry is None:
                    reason, kind = failures.get(s.student, ("not graded (the run was interrupted)", ErrorKind.INTERRUPTED))
                    yield error_record(s.student, reason, isolation, kind)
                    continue
                record = _adjusted(options, s, _with_kind(entry["record"]))
                if s.student not in regraded and (record is not entry["record"]
                                                  or not outputs.student_files_exist(out_dir, s.student)):
                    _bounded(pending, renderer)
                    pending.append(renderer.submit(outputs.write_student_files, out_dir, record, entry["curves"]))
                yield record

        results: dict[str, Any] = {
            "assignment": ASSIGNMENT, "max_score": MAX_SCORE, "students": [],
            "identical": identical_groups(submissions),
            "meta": {"grader_version": __version__, "isolation": isolation, "protections": protections,
                     "seed": seed,
                     "jobs": options.jobs, "started": started_at, "graded_now": len(todo),
                     "reused": len(submissions) - len(todo),
                     "elapsed_seconds": round(time.monotonic() - started, 3), **options.meta},
        }
        streamed = len(submissions) > STREAM_ABOVE
        if streamed:
            # A large class: results.json is written as the records are read, and
            # only a light row of each (no checks: ``outputs.light_record``) is kept.
            light = results["students"]

            def written():
                for record in rows():
                    light.append(outputs.light_record(record))
                    yield record
            outputs.write_results_json(out_dir, dict(results, students=written()))
        else:
            results["students"] = list(rows())
        report = renderer.submit(outputs.write_class_files, out_dir, results, not streamed, options.class_report)
        for future in pending:
            future.result()
        drawn = report.result()
        if drawn is not None:
            results["meta"]["report"] = str(drawn)
    finally:
        renderer.shutdown(cancel_futures=True)
    return results


STREAM_ABOVE = 2000      # classes larger than this are not held in memory (``grade_class``)
RENDER_BACKLOG = 8       # pages queued per renderer before the grader waits (records wait in memory)


def _bounded(pending: list, renderer: ProcessPoolExecutor) -> None:
    """Wait while more than RENDER_BACKLOG pages per renderer are queued: a
    queued page holds its record and curves in memory until it is drawn."""
    limit = RENDER_BACKLOG * max(1, getattr(renderer, "_max_workers", 1))   # the pool's size (not public API)
    waiting = [f for f in pending[-4 * limit:] if not f.done()]
    while len(waiting) > limit:
        waiting.pop(0).result()


def _start_renderer(processes: int, plot_cache: Path) -> ProcessPoolExecutor:
    """Processes that write the students' feedback files (matplotlib and
    Jinja2 are the grader's heaviest work), so judging and drawing use every
    core; they share drawn plots through ``plot_cache``. Forked now, before
    any worker thread exists."""
    renderer = ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("fork"),
                                   initializer=plots.use_cache_dir, initargs=(plot_cache,))
    for future in [renderer.submit(int) for _ in range(processes)]:
        future.result()
    return renderer


def _run_pool(grader, todo, options, state, seed, fingerprints, out_dir, renderer,
              written) -> dict[str, tuple[str, ErrorKind]]:
    """Grade ``todo`` on ``options.jobs`` sandboxed workers; each finished record
    is saved, and its files are queued on ``renderer`` (futures in ``written``)."""
    jobs: queue.Queue = queue.Queue()
    # Bounded: a worker that runs ahead of the pages being drawn waits, instead
    # of piling finished records up in memory (a class of 10,000 stays flat).
    done: queue.Queue = queue.Queue(maxsize=2 * max(1, options.jobs))
    for s in todo:
        jobs.put(s)
    threads = [threading.Thread(target=_worker_loop, args=(grader, slot, jobs, done), daemon=True)
               for slot in range(max(1, min(options.jobs, len(todo))))]
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.start()
    failures: dict[str, tuple[str, ErrorKind]] = {}
    bar = _progress(len(todo), options.progress)
    try:
        for _ in range(len(todo)):
            submission, record, curves, failure = done.get()
            if failure is not None:
                failures[submission.student] = failure     # not saved: the next run retries it
            else:
                state.save(submission.student, fingerprints[submission.student], seed, record, curves)
                record = _adjusted(options, submission, record)
                _bounded(written, renderer)
                written.append(renderer.submit(outputs.write_student_files, out_dir, record, curves))
            bar.update(1)
    except BaseException:
        # Leaving early: let the workers finish their put and stop their sandboxes.
        threading.Thread(target=lambda: [done.get() for _ in iter(int, 1)], daemon=True).start()
        raise
    finally:
        bar.close()
    for t in threads:
        t.join()
    return failures


def _with_kind(record: dict) -> dict:
    """A record read back (saved state, or a regrade's kept row) as this
    grader writes it: one written before error kinds existed gets its kind,
    ``unknown`` for a row in error (``errors.kind_of``). Returned as it is
    when it has one."""
    if "error_kind" in record:
        return record
    kind = kind_of(record)
    return dict(record, error_kind=kind.value if kind is not None else None)


def _adjusted(options: GradeOptions, submission: Submission, record: dict) -> dict:
    """The record after ``options.adjust`` (the late penalty); the saved state
    keeps the record as graded, so a changed policy applies on the next run."""
    return record if options.adjust is None else options.adjust(submission, record)


def _progress(total: int, enabled: bool):
    """tqdm's bar on a terminal; a plain line every few seconds elsewhere (CI, nohup)."""
    from autograder.classrun.progress import progress
    return progress(total, enabled, sys.stderr)
