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
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from autograder import __version__
from autograder.classrun import outputs
from autograder.classrun.errors import ErrorKind
from autograder.classrun.records import ClassResults, StudentRecord, error_record, graded_record
from autograder.classrun.state import RunState, Saved
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
from autograder.grading.sweeps import Curve
from autograder.sandbox import (
    InfrastructureError,
    Isolation,
    Limits,
    LoadFailure,
    Runtime,
    SandboxUnavailable,
    Worker,
    bwrap_works,
)

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
    adjust: Callable[[Submission, StudentRecord], StudentRecord] | None = None   # applied after grading (late.py)
    meta: dict = field(default_factory=dict)                   # added to results.json's meta
    class_report: bool = True           # grades.csv and report.html (grade-one has no class to report on)


def choose_isolation(require_sandbox: bool) -> Isolation:
    if bwrap_works():
        return Isolation.BUBBLEWRAP
    if require_sandbox:
        raise SandboxUnavailable(
            "--require-sandbox was given but bubblewrap is not available here: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap) or drop --require-sandbox")
    warnings.warn(
        "bubblewrap (bwrap) is not available: student code runs in plain child processes with OS "
        "limits only. It can read files this user can read and open network connections. Install "
        "bubblewrap (apt-get install bubblewrap) for full isolation; results record isolation='process'.",
        RuntimeWarning, stacklevel=2)
    return Isolation.PROCESS


class Grader:
    """One grading run: the probes, the diagnosis cache and the sandbox runtime."""

    def __init__(self, options: GradeOptions, isolation: Isolation, probes: ProbeSet):
        self.options, self.isolation, self.probes = options, isolation, probes
        self.diagnoser = Diagnoser(probes)
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

    def grade_submission(self, submission: Submission, worker: Worker) -> tuple[StudentRecord, dict[str, Curve]]:
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

    def student_curves(self, source: str, functions: list[str], worker: Worker,
                       deadline: float) -> dict[str, Curve]:
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


@dataclass(frozen=True)
class Finished:
    """What a worker thread hands back for one submission: its record and
    curves, or (never saved, so the next run retries it) why the grader failed."""

    submission: Submission
    record: StudentRecord | None = None
    curves: dict[str, Curve] = field(default_factory=dict)
    failure: str | None = None
    failure_kind: ErrorKind = ErrorKind.INTERNAL


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
                    done.put(Finished(submission, record, curves))
                    break
                except InfrastructureError as exc:
                    if worker is not None:
                        worker.stop()
                    worker = None
                    if attempt == RETRIES - 1:
                        done.put(Finished(submission, failure=f"grader infrastructure failure: {exc}",
                                          failure_kind=ErrorKind.INFRASTRUCTURE))
                except Exception as exc:  # noqa: BLE001 - a grader bug must not lose the other rows
                    # The worker's child may still be running and could answer the next
                    # submission's calls: never reuse it.
                    if worker is not None:
                        worker.stop()
                    worker = None
                    done.put(Finished(submission, failure=f"internal grader error: {type(exc).__name__}: {exc}",
                                      failure_kind=ErrorKind.INTERNAL))
                    break
    finally:
        if worker is not None:
            worker.stop()


def grade_class(options: GradeOptions) -> ClassResults:
    """Grade every submission in ``options.class_dir`` (see ``ClassRun``)."""
    return ClassRun(options).run()


class ClassRun:
    """One ``autograder grade``: what is to be graded, the pool that grades it,
    and the rows, pages and class files written from the saved state."""

    def __init__(self, options: GradeOptions):
        self.options = options
        self.started = time.monotonic()
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.class_dir, self.out_dir = Path(options.class_dir).resolve(), Path(options.out_dir).resolve()
        if self.out_dir == self.class_dir or self.class_dir in self.out_dir.parents:
            raise ValueError(f"the output folder {self.out_dir} is inside the class folder: choose one outside it")
        submissions = discover(self.class_dir)
        if not submissions:
            raise ValueError(f"no student folders in {self.class_dir}: expected one sub-folder per student")
        self.kept: dict[str, StudentRecord] = {}
        if options.students is not None:
            self.kept = kept_records(self.out_dir, submissions, options.students, options.seed)
            submissions = [s for s in submissions if s.student in options.students or s.student in self.kept]
        self.submissions = submissions
        self.isolation = choose_isolation(options.require_sandbox)
        self.state = RunState(self.out_dir)
        self.seed = self.state.seed(options.seed)
        self.fingerprints = {s.student: s.fingerprint() for s in submissions}
        saved = {} if options.force else {      # whether each is saved: records are read back one at a time
            s.student: self.state.valid(s.student, self.fingerprints[s.student], self.seed) for s in submissions}
        self.todo = [s for s in submissions if not saved.get(s.student) and s.student not in self.kept]
        self.failures: dict[str, tuple[str, ErrorKind]] = {}   # student -> why the grader (not the student) failed
        self.protections: dict = {}
        self.pages: list = []                   # futures of the students' files being written

    def run(self) -> ClassResults:
        # Renderers are forked first, before any thread exists; the class report is
        # drawn while the last students' pages are still being written. Two where
        # there are two cores; one for a single submission with no class report
        # (grade-one). The plotting stack is imported here, once, and shared by
        # the forks (importing it in each renderer measured 0.15 s more CPU).
        single = len(self.todo) <= 1 and not self.options.class_report
        import autograder.report.plots  # noqa: F401
        self.renderer = _start_renderer(1 if single else max(1, min(2, os.cpu_count() or 1)), self.state.dir / "plots")
        try:
            # found by a renderer while the class is graded (the renderers have little to do yet)
            self.identical = self.renderer.submit(identical_groups, self.submissions)
            if self.todo:
                grader = Grader(self.options, self.isolation, make_probes(self.seed))
                try:
                    self._grade_all(grader)
                finally:
                    self.protections = grader.protections
                    grader.close()
            return self._write_class_files()
        finally:
            self.renderer.shutdown(cancel_futures=True)

    def _grade_all(self, grader: Grader) -> None:
        """Grade ``todo`` on ``options.jobs`` sandboxed workers; each finished
        record is saved, and its files are queued on the renderer."""
        jobs: queue.Queue = queue.Queue()
        # Bounded: a worker that runs ahead of the pages being drawn waits, instead
        # of piling finished records up in memory (a class of 10,000 stays flat).
        done: queue.Queue = queue.Queue(maxsize=2 * max(1, self.options.jobs))
        for s in self.todo:
            jobs.put(s)
        threads = [threading.Thread(target=_worker_loop, args=(grader, slot, jobs, done), daemon=True)
                   for slot in range(max(1, min(self.options.jobs, len(self.todo))))]
        for _ in threads:
            jobs.put(None)
        for t in threads:
            t.start()
        bar = _progress(len(self.todo), self.options.progress)
        try:
            for _ in range(len(self.todo)):
                self._finished(done.get())
                bar.update(1)
        except BaseException:
            # Leaving early: let the workers finish their put and stop their sandboxes.
            threading.Thread(target=lambda: [done.get() for _ in iter(int, 1)], daemon=True).start()
            raise
        finally:
            bar.close()
        for t in threads:
            t.join()

    def _finished(self, item: Finished) -> None:
        student = item.submission.student
        if item.record is None:
            # not saved: the next run retries it
            self.failures[student] = (item.failure or "internal grader error", item.failure_kind)
            return
        self.state.save(student, self.fingerprints[student], self.seed, item.record, item.curves)
        self._write_student_files(_adjusted(self.options, item.submission, item.record), item.curves)

    def _write_student_files(self, record: StudentRecord, curves: dict[str, Curve]) -> None:
        _bounded(self.pages, self.renderer)
        self.pages = [f for f in self.pages if not f.done() or f.exception() is not None]   # keep no finished page
        self.pages.append(self.renderer.submit(outputs.write_student_files, self.out_dir, record, curves))

    def rows(self) -> Iterator[StudentRecord]:
        """Each submission's record, read back from the state one at a time; a
        reused one whose pages are missing or changed is drawn again."""
        regraded = {s.student for s in self.todo}
        for s in self.submissions:
            entry = self.state.load(s.student, self.fingerprints[s.student], self.seed)
            if s.student in self.kept:       # not named in a regrade: the row OUT_DIR had
                entry = Saved(self.kept[s.student], entry.curves if entry else {})
            if entry is None:
                reason, kind = self.failures.get(
                    s.student, ("not graded (the run was interrupted)", ErrorKind.INTERRUPTED))
                yield error_record(s.student, reason, self.isolation, kind)
                continue
            record = _adjusted(self.options, s, entry.record)
            if s.student not in regraded and (record is not entry.record or entry.stale_page
                                              or not outputs.student_files_exist(self.out_dir, s.student)):
                self._write_student_files(record, entry.curves)
            yield record

    def _write_class_files(self) -> ClassResults:
        results = ClassResults(
            ASSIGNMENT, MAX_SCORE, [], self.identical.result(),
            {"grader_version": __version__, "isolation": self.isolation.value, "protections": self.protections,
             "seed": self.seed, "jobs": self.options.jobs, "started": self.started_at,
             "graded_now": len(self.todo), "reused": len(self.submissions) - len(self.todo),
             "elapsed_seconds": round(time.monotonic() - self.started, 3), **self.options.meta})
        if len(self.submissions) > STREAM_ABOVE:
            # A large class: the class files are written as the records are read
            # back, and no record is kept (``outputs.write_streamed_class_files``).
            drawn = outputs.write_streamed_class_files(self.out_dir, results, self.rows(), self.options.class_report)
        else:
            results.students = list(self.rows())
            drawn = self._write_held_class_files(results)
        for future in self.pages:
            future.result()
        if drawn is not None:
            results.meta["report"] = str(drawn)
        return results


    def _write_held_class_files(self, results: ClassResults) -> Path | None:
        """The class files by a renderer, the report's largest figure (the
        pass-rate heatmap) drawn by the other one meanwhile and shared through
        the plot cache, whose copy then goes (the report holds the figure)."""
        from autograder.report import class_report
        heatmap = self.renderer.submit(class_report.draw_heatmap, results) if self.options.class_report else None
        report = self.renderer.submit(outputs.write_class_files, self.out_dir, results, self.options.class_report)
        drawn = report.result()
        if heatmap is not None:
            try:
                shared = heatmap.result()
                if shared is not None:
                    Path(shared).unlink(missing_ok=True)
            except Exception:  # noqa: BLE001 - only the early drawing failed: the report drew its own
                pass
        return drawn


STREAM_ABOVE = 2000      # classes larger than this are not held in memory (``ClassRun``)
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
                                   initializer=outputs.prepare_renderer, initargs=(plot_cache,))
    for _ in range(processes):
        # The processes are forked by this first submit (the fork context starts them all at once).
        renderer.submit(int)
    return renderer


def _adjusted(options: GradeOptions, submission: Submission, record: StudentRecord) -> StudentRecord:
    """The record after ``options.adjust`` (the late penalty); the saved state
    keeps the record as graded, so a changed policy applies on the next run."""
    return record if options.adjust is None else options.adjust(submission, record)


def _progress(total: int, enabled: bool):
    """tqdm's bar on a terminal; a plain line every few seconds elsewhere (CI, nohup)."""
    from autograder.classrun.progress import progress
    return progress(total, enabled, sys.stderr)
