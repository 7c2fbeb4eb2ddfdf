"""The ``autograder`` command line."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from . import __version__
from .single_source import ROOT


def cmd_build(args) -> int:
    from .build import build, check_derived
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
    import shutil
    import tempfile
    from .rubric import ASSIGNMENT
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


def _grade_options(args, class_dir, out_dir):
    from .engine import GradeOptions
    from .sandbox import Limits
    if args.jobs < 1:
        raise SystemExit("autograder: --jobs must be at least 1")
    if args.timeout <= 0 or args.memory < 64:
        raise SystemExit("autograder: --timeout must be positive and --memory at least 64 (MB)")
    limits = Limits.from_timeout(args.timeout, args.memory)
    return GradeOptions(Path(class_dir), Path(out_dir), jobs=args.jobs, limits=limits, force=args.force,
                        require_sandbox=args.require_sandbox, seed=args.seed, progress=not args.quiet)


def _finish(results, out_dir) -> int:
    from .report.summary import terminal_summary
    print(terminal_summary(results, Path(results["meta"]["report"])))
    return 0


def cmd_grade(args) -> int:
    from .engine import grade_class
    from .sandbox import SandboxUnavailable
    try:
        results = grade_class(_grade_options(args, args.class_dir, args.out))
    except (FileNotFoundError, ValueError, SandboxUnavailable) as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    return _finish(results, args.out)


def cmd_demo(args) -> int:
    from .demo import build_demo_class
    from .engine import grade_class
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
    grade.set_defaults(func=cmd_grade)

    demo = sub.add_parser("demo", help="grade the bundled sample class and write its report")
    demo.add_argument("--out", default="demo-out", metavar="OUT_DIR", help="output folder (default demo-out)")
    _add_grading_options(demo)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv=None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
