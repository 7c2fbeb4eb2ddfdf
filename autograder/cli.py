"""The ``autograder`` command line."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

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
    return 0


def cmd_check_reference(args) -> int:
    """Run the public checks against the reference solutions."""
    env = dict(os.environ, LOSSES_FILE=str(ROOT / "solutions" / "losses.py"))
    return subprocess.call([sys.executable, "-m", "pytest", "-q", str(ROOT / "exercises")], env=env)


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="regenerate the stub, public cases and notebooks from solutions/")
    build.add_argument("--check", action="store_true", help="only report stale derived files (exit 1 if any)")
    build.set_defaults(func=cmd_build)

    ref = sub.add_parser("check-reference", help="run the public checks against the reference")
    ref.set_defaults(func=cmd_check_reference)
    return parser


def main(argv=None) -> int:
    args = make_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
