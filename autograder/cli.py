"""The ``autograder`` command line."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from autograder import __version__
from autograder.authoring.single_source import ROOT

if TYPE_CHECKING:
    from autograder.classrun.records import ClassResults


def _nbgrader_missing(command: str) -> int:
    """0 when nbgrader is installed; otherwise say how to get it and return 2."""
    import importlib.util
    if importlib.util.find_spec("nbgrader") is not None:
        return 0
    print(f"autograder: `autograder {command}` needs nbgrader, which is not installed here: "
          "pip install 'loss-functions-autograder[notebooks]' (make setup installs it)", file=sys.stderr)
    return 2


def cmd_build(args) -> int:
    from autograder.authoring.build import build, check_derived
    if args.check:
        stale = check_derived()
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)} (run `autograder build`)")
        return 1 if stale else 0
    for path in build():
        print(f"wrote {path.relative_to(ROOT)}")
    return release_notebook()


def release_notebook() -> int:
    """Regenerate release/ from source/ with nbgrader itself, in a scratch
    copy of the course (so no gradebook is left behind)."""
    if _nbgrader_missing("build"):
        return 2
    import shutil
    import tempfile

    from autograder.grading.rubric import ASSIGNMENT
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")   # nbgrader runs alembic
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch)
        shutil.copytree(ROOT / "source", course / "source")
        shutil.copy(ROOT / "nbgrader_config.py", course / "nbgrader_config.py")
        done = subprocess.run([str(bin_dir / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"],
                              cwd=course, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"autograder: nbgrader generate_assignment failed:\n{done.stderr[-2000:]}", file=sys.stderr)
            return 1
        released, target = course / "release" / ASSIGNMENT, ROOT / "release" / ASSIGNMENT
        changed = [p.name for p in released.iterdir()
                   if not (target / p.name).exists() or (target / p.name).read_bytes() != p.read_bytes()]
        if changed:
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(released, target)
            print(f"wrote release/{ASSIGNMENT}/ ({', '.join(sorted(changed))})")
    return 0


def cmd_check_reference(args) -> int:
    """Run the public checks against the reference solutions."""
    env = dict(os.environ, LOSSES_FILE=str(ROOT / "solutions" / "losses.py"))
    return subprocess.call([sys.executable, "-m", "pytest", "-q", str(ROOT / "exercises")], env=env)


class UsageError(Exception):
    """A command line that cannot be run as given: exit code 2, like argparse's own errors."""


USAGE_ERROR = 2


def _limits(timeout: float, memory: int):
    from autograder.sandbox import Limits
    if not timeout > 0 or memory < 64:
        raise UsageError("--timeout must be positive and --memory at least 64 (MB)")
    return Limits.from_timeout(timeout, memory)


def _grade_options(args, class_dir, out_dir):
    from autograder.classrun.engine import GradeOptions
    from autograder.course.late import LateError, adjuster, policy_from_args
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    limits = _limits(args.timeout, args.memory)
    try:
        policy = policy_from_args(getattr(args, "due", None), getattr(args, "late_policy", "none"),
                                  getattr(args, "late_penalty", None), getattr(args, "late_max_penalty", None),
                                  getattr(args, "late_cap", None), getattr(args, "late_grace", None),
                                  getattr(args, "submitted_time", "timestamp"))
    except LateError as exc:
        raise UsageError(str(exc)) from None
    students = getattr(args, "student", None)
    if students is not None and not all(s.strip() for s in students):
        raise UsageError("--student needs a student id (the folder name, or the LMS user id)")
    meta = {}
    if policy is not None:
        meta["late_policy"] = {"due": policy.due.isoformat(), "policy": policy.kind, "rule": policy.describe()}
    if students:
        meta["regrade_of"] = sorted(set(students))
    return GradeOptions(Path(class_dir), Path(out_dir), jobs=args.jobs, limits=limits, force=args.force,
                        require_sandbox=args.require_sandbox, seed=args.seed, progress=not args.quiet,
                        students=set(students) if students else None,
                        adjust=adjuster(policy) if policy is not None else None, meta=meta)


def _finish(results: ClassResults, out_dir) -> int:
    from autograder.report.class_report import results_tally
    from autograder.report.summary import terminal_summary
    tally = results_tally(results)
    print(terminal_summary(results, Path(results.meta["report"]), tally))
    meta = results.meta
    if meta.get("regrade_of"):
        print(f"Regrade of {', '.join(meta['regrade_of'])}: {meta['graded_now']} graded again; a named student "
              "whose submission has the same content (SHA-256) as last time keeps the saved result (--force "
              "grades it again). The other students' rows are kept as they were.")
    rows = tally.late_rows          # every late submission, and every one of unknown time
    late = [row for row in rows if row["late"]]
    if meta.get("late_policy"):
        taken = sum(row["penalty"] for row in late)
        unknown = sum(1 for row in rows if row["submitted"] is None)
        print(f"Late work (due {meta['late_policy']['due']}; {meta['late_policy']['rule']}): {len(late)} late, "
              f"{taken:g} points taken in all" + (f", {unknown} with no known submission time" if unknown else "")
              + ".")
    groups = results.identical
    if groups:
        print(f"Identical submissions: {len(groups)} group(s) of {sum(g['size'] for g in groups)} students, "
              "listed in the report for you to look at (no score changed).")
    return 0


def cmd_grade(args) -> int:
    from autograder.classrun.engine import grade_class
    from autograder.sandbox import SandboxUnavailable
    try:
        results = grade_class(_grade_options(args, args.class_dir, args.out))
    except (FileNotFoundError, ValueError, SandboxUnavailable) as exc:
        message = str(exc)
        if message.startswith("no student folders") and Path(args.class_dir).is_dir() and any(
                p.suffix in (".py", ".ipynb") for p in Path(args.class_dir).iterdir()):
            message += f"; to grade one submission: autograder grade-one {args.class_dir} --out {args.out}"
        raise UsageError(message) from None
    return _finish(results, args.out)


def cmd_gradebook(args) -> int:
    """Write the safe scores of OUT_DIR into an nbgrader course's gradebook."""
    if _nbgrader_missing("gradebook"):
        return 2
    from autograder.course.gradebook import GradebookError, read_results, write_scores
    try:
        summary = write_scores(read_results(Path(args.out_dir)), Path(args.course),
                               assignment=args.assignment, notebook=args.notebook)
    except GradebookError as exc:
        raise UsageError(str(exc)) from None
    print(f"Wrote the scores of {len(summary.students)} students ({summary.cells} graded cells, {summary.changed} "
          f"changed) into the gradebook of {Path(args.course).resolve()} as autograded scores.")
    if summary.added_students:
        print(f"Added to the gradebook's students: {', '.join(summary.added_students)}.")
    if summary.overrides_kept:
        print(f"Kept {len(summary.overrides_kept)} manual score(s) set in formgrader (they stay in force).")
    if summary.flagged:
        print("Flagged for review in formgrader (a manual score over an autograded score that changed): "
              + ", ".join(f"{s}/{c}" for s, c in summary.flagged) + ".")
    print("`nbgrader export` and `nbgrader generate_feedback` now use these scores; running `nbgrader autograde` "
          "again puts the in-kernel scores back: run this command after it.")
    return 0


def cmd_lms_export(args) -> int:
    """Canvas's gradebook import CSV from OUT_DIR's results and a roster."""
    from autograder.classrun.state import atomic_write
    from autograder.course.gradebook import GradebookError, read_results
    from autograder.course.lms import LmsError, canvas_csv, read_roster
    from autograder.grading.rubric import ASSIGNMENT
    try:
        results = read_results(Path(args.out_dir))
        rows, ids = read_roster(Path(args.roster))
        export = canvas_csv(results, rows, ids, args.assignment or ASSIGNMENT, match=args.match,
                            missing=args.missing)
    except (GradebookError, LmsError) as exc:
        raise UsageError(str(exc)) from None
    target = Path(args.out) if args.out else Path(args.out_dir) / "canvas.csv"
    atomic_write(target, export.text)
    print(f"wrote {target}: {export.written} scores, students matched by the roster's {export.matched_by!r} column.")
    if export.missing:
        print(f"{len(export.missing)} roster student(s) with no submission: "
              + ("scored 0" if args.missing == "zero" else "left empty (Canvas keeps their grade as it is)")
              + ": " + ", ".join(export.missing[:10]) + (" ..." if len(export.missing) > 10 else ""))
    if export.not_in_roster:
        print(f"autograder: {len(export.not_in_roster)} graded student(s) are not in the roster and are not in "
              f"the export: {', '.join(export.not_in_roster[:10])}; add them to the roster or check --match",
              file=sys.stderr)
        return 1
    return 0


def cmd_grade_one(args) -> int:
    """Grade one file (or the one submission in a folder): Gradescope's
    results.json and the feedback page in OUT_DIR."""
    from autograder.classrun.records import ClassResults
    from autograder.gradescope import new_seed, read_config
    from autograder.sandbox import SandboxUnavailable
    from autograder.single import SingleOptions, grade_one, grader_failed
    config = {}
    if args.config is not None:
        try:
            config = read_config(Path(args.config))
        except (FileNotFoundError, ValueError) as exc:
            raise UsageError(str(exc)) from None

    def setting(name, default):
        value = getattr(args, name)
        return value if value is not None else config.get(name, default)

    seed = setting("seed", None)
    options = SingleOptions(Path(args.submission), Path(args.out),
                            seed=int(seed) if seed is not None else new_seed(),
                            limits=_limits(float(setting("timeout", 5.0)), int(setting("memory", 1024))),
                            visibility=setting("visibility", "visible"), preview=setting("preview", "status"),
                            require_sandbox=bool(args.require_sandbox or config.get("require_sandbox", False)),
                            student=args.student)
    try:
        result = grade_one(options)
    except (FileNotFoundError, ValueError, SandboxUnavailable) as exc:
        raise UsageError(str(exc)) from None
    graded = ClassResults.from_json(json.loads((Path(args.out) / "grading.json").read_text()))
    meta, record = graded.meta, graded.students[0]
    print(f"Graded {meta.get('submission') or 'nothing gradable'}: {result['score']:g} points "
          f"(seed {meta['seed']}, isolation {meta['isolation']}, {result.get('execution_time', 0)} s).")
    print(f"Wrote {Path(args.out) / 'results.json'} (Gradescope's format) and {Path(args.out) / 'feedback.html'}")
    if grader_failed(record):
        print(f"autograder: the grader failed, not the submission: {record.error}", file=sys.stderr)
        return 1
    return 0


def cmd_gradescope(args) -> int:
    """Write the Gradescope autograder bundle."""
    from autograder.gradescope import build_bundle, bundle_config, new_seed
    _limits(args.timeout, args.memory)
    try:
        config = bundle_config(args.seed if args.seed is not None else new_seed(), args.visibility,
                               args.preview, args.timeout, args.memory, args.require_sandbox)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    out = build_bundle(Path(args.out), config)
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB): probe seed {config['seed']}, "
          f"checks {config['visibility']}" + (f", preview {config['preview']}" if config["visibility"] != "visible" else ""))
    print("Upload it as the assignment's autograder (Gradescope: Configure Autograder, Zip file upload).")
    return 0


def cmd_demo(args) -> int:
    from autograder.classrun.engine import grade_class
    from autograder.demo import build_demo_class
    class_dir = Path(args.out) / "sample-class"
    build_demo_class(class_dir)
    print(f"sample class of {sum(1 for p in class_dir.iterdir() if p.is_dir())} students written to {class_dir}")
    results = grade_class(_grade_options(args, class_dir, Path(args.out) / "graded"))
    return _finish(results, args.out)


def _add_grading_options(parser) -> None:
    parser.add_argument("--jobs", type=int, default=2, help="submissions graded in parallel (default 2)")
    parser.add_argument("--timeout", type=float, default=5.0,
                        help="wall-clock seconds allowed for one call of a student function (default 5); "
                             "loading gets twice that, a whole submission 20 times (at least 60 s)")
    parser.add_argument("--memory", type=int, default=1024, help="memory limit per submission in MB (default 1024)")
    parser.add_argument("--force", action="store_true", help="regrade submissions already graded in OUT_DIR")
    parser.add_argument("--require-sandbox", action="store_true",
                        help="refuse to run unless bubblewrap isolation is available")
    parser.add_argument("--seed", type=int, default=None,
                        help="seed of the hidden probes (default: the one recorded in OUT_DIR, else a new one)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="regenerate the stub, public cases, source notebook and release/ from solutions/")
    build.add_argument("--check", action="store_true", help="only report stale derived files (exit 1 if any)")
    build.set_defaults(func=cmd_build)

    ref = sub.add_parser("check-reference", help="run the public checks against the reference")
    ref.set_defaults(func=cmd_check_reference)

    grade = sub.add_parser("grade", help="grade a class folder (one sub-folder per student)")
    grade.add_argument("class_dir", metavar="CLASS_DIR",
                       help="one sub-folder per student holding losses.py or a notebook, or nbgrader's submitted/ tree")
    grade.add_argument("--out", required=True, metavar="OUT_DIR", help="where grades, feedback and the report go")
    _add_grading_options(grade)
    grade.add_argument("--student", action="append", default=None, metavar="ID",
                       help="regrade only this student (repeatable) in an existing OUT_DIR; the others keep their "
                            "rows and the report is rebuilt. Unchanged content (same SHA-256) is not graded again "
                            "unless --force")
    from autograder.course.late import POLICIES, TIME_SOURCES
    late = grade.add_argument_group("late work (nothing changes without --due; docs/course-operations.md)")
    late.add_argument("--due", metavar="DATETIME", default=None,
                      help="the due date, ISO 8601 (2026-03-01T23:59:00+01:00; without a zone it is UTC)")
    late.add_argument("--late-policy", choices=POLICIES, default="none",
                      help="none (late work marked, no points taken; default), per-day or per-hour "
                           "(--late-penalty points per started day or hour), cap (late work scores at most --late-cap)")
    late.add_argument("--late-penalty", type=float, default=None, metavar="POINTS",
                      help="points taken per started day or hour late")
    late.add_argument("--late-max-penalty", type=float, default=None, metavar="POINTS",
                      help="per-day / per-hour: at most this many points in all")
    late.add_argument("--late-cap", type=float, default=None, metavar="POINTS",
                      help="cap: the most a late submission can score")
    late.add_argument("--late-grace", type=float, default=None, metavar="MINUTES",
                      help="minutes after the due date still counted on time (default 0)")
    late.add_argument("--submitted-time", choices=TIME_SOURCES, default="timestamp",
                      help="timestamp: nbgrader's timestamp.txt only (default); mtime: else the submitted file's "
                           "modification time (a zip: the time it records)")
    grade.set_defaults(func=cmd_grade)

    book = sub.add_parser("gradebook", help="write the scores of an OUT_DIR into an nbgrader course's gradebook.db "
                                            "(formgrader's manual scores are kept)")
    book.add_argument("out_dir", metavar="OUT_DIR", help="the output folder of `autograder grade` on the course")
    book.add_argument("--course", default=".", metavar="COURSE_DIR",
                      help="the nbgrader course folder (nbgrader_config.py, gradebook.db; default: here)")
    book.add_argument("--assignment", default=None, help="the nbgrader assignment (default: this exercise's)")
    book.add_argument("--notebook", default=None, help="the assignment's notebook (default: the one named like it)")
    book.set_defaults(func=cmd_gradebook)

    lms = sub.add_parser("lms-export", help="a Canvas gradebook import CSV from an OUT_DIR and a roster")
    lms.add_argument("out_dir", metavar="OUT_DIR", help="the output folder of `autograder grade`")
    lms.add_argument("--roster", required=True, metavar="ROSTER_CSV",
                     help="the LMS's gradebook export (Canvas: Grades > Export) or a CSV with Student and ID, "
                          "SIS User ID or SIS Login ID (Section optional)")
    lms.add_argument("--assignment", default=None,
                     help="the assignment column's header, as in the LMS's export, e.g. 'Loss functions (12345)' "
                          "(default: loss_functions; Canvas makes a new assignment of a header it does not know)")
    lms.add_argument("--match", default=None, choices=("ID", "SIS User ID", "SIS Login ID"),
                     help="the roster column that holds the graded student ids (default: the one matching most)")
    lms.add_argument("--missing", choices=("blank", "zero"), default="blank",
                     help="a roster student with no submission: an empty cell (default) or 0")
    lms.add_argument("--out", default=None, metavar="CSV", help="where to write it (default OUT_DIR/canvas.csv)")
    lms.set_defaults(func=cmd_lms_export)

    demo = sub.add_parser("demo", help="grade the bundled sample class and write its report")
    demo.add_argument("--out", default="demo-out", metavar="OUT_DIR", help="output folder (default demo-out)")
    _add_grading_options(demo)
    demo.set_defaults(func=cmd_demo)

    from autograder.classrun.outputs import PREVIEWS, VISIBILITIES
    visibility_help = ("when a student sees each hidden check's points and feedback on Gradescope: "
                       + ", ".join(VISIBILITIES))
    preview_help = ("what a student sees of the checks before they become visible: none, status "
                    "(each check passed or failed, no points) or feedback (and what failed, no points)")

    one = sub.add_parser("grade-one", help="grade one submission (a losses.py or a notebook, any name, or a "
                                           "folder holding one): Gradescope's results.json and the feedback page")
    one.add_argument("submission", metavar="SUBMISSION", help="the file, or a folder holding it")
    one.add_argument("--out", required=True, metavar="OUT_DIR",
                     help="where results.json, feedback.md/.html and grading.json go")
    one.add_argument("--config", metavar="AUTOGRADER_JSON", default=None,
                     help="a bundle's autograder.json: its seed and settings (options given here win)")
    one.add_argument("--seed", type=int, default=None, help="seed of the hidden probes (default: the config's, else new)")
    one.add_argument("--visibility", choices=VISIBILITIES, default=None, help=visibility_help + " (default visible)")
    one.add_argument("--preview", choices=PREVIEWS, default=None, help=preview_help + " (default status)")
    one.add_argument("--timeout", type=float, default=None, help="seconds per call of a student function (default 5)")
    one.add_argument("--memory", type=int, default=None, help="memory limit in MB (default 1024)")
    one.add_argument("--require-sandbox", action="store_true", help="refuse to run without bubblewrap")
    one.add_argument("--student", default="submission", help="the name the feedback page uses (default 'submission')")
    one.set_defaults(func=cmd_grade_one)

    gs = sub.add_parser("gradescope", help="write autograder.zip, the Gradescope autograder bundle "
                                           "(the probe seed is fixed in it)")
    gs.add_argument("--out", default="autograder.zip", metavar="ZIP", help="the bundle to write (default autograder.zip)")
    gs.add_argument("--seed", type=int, default=None, help="seed of the hidden probes (default: a new one, recorded in the zip)")
    gs.add_argument("--visibility", choices=VISIBILITIES, default="visible", help=visibility_help + " (default visible)")
    gs.add_argument("--preview", choices=PREVIEWS, default="status", help=preview_help + " (default status)")
    gs.add_argument("--timeout", type=float, default=5.0, help="seconds per call of a student function (default 5)")
    gs.add_argument("--memory", type=int, default=1024, help="memory limit per submission in MB (default 1024)")
    gs.add_argument("--require-sandbox", action="store_true",
                    help="refuse to grade where bubblewrap cannot run (on Gradescope usually: see docs/gradescope.md)")
    gs.set_defaults(func=cmd_gradescope)
    return parser


def main(argv=None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)          # argparse's own usage errors exit 2 as well
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"{parser.prog}: error: {exc}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
