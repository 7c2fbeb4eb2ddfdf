"""``autograder gradescope``: the autograder bundle Gradescope runs, one
submission per container (https://gradescope-autograders.readthedocs.io/en/latest/specs/).

``autograder.zip`` holds, at its root:

* ``setup.sh``: run once by Gradescope, as root, when it builds the image:
  installs Python's venv and bubblewrap with apt (bubblewrap where the
  distribution has it; without user namespaces in the container the grader
  falls back to its process sandbox and records it), makes ``ROOT/venv`` with
  the grader's runtime dependencies (``requirements.txt``: no nbgrader, no
  Jupyter), and grades the bundled reference once as a self-check;
* ``run_autograder``: run for every submission: ``autograder grade-one
  ROOT/submission --out ROOT/results --config ROOT/source/autograder.json``,
  i.e. ``single.grade_one``, i.e. ``engine.grade_class`` on a one-student class;
* ``autograder.json``: the probe seed drawn (or given) when the zip was built,
  so every student is graded on the same probes, and the visibility settings;
* ``package/``: this grader's source (``autograder/``, the reference
  ``solutions/``), run from there with ``PYTHONPATH``.

Gradescope unpacks the zip into ``/autograder/source``; the student's files
arrive in ``/autograder/submission`` and never see anything of the above.
Both scripts take the root from ``AUTOGRADER_ROOT`` (default ``/autograder``)
so that the bundle can be run outside Gradescope (the tests do), and
``run_autograder`` the interpreter from ``AUTOGRADER_PYTHON`` (default
``ROOT/venv/bin/python``).
"""
from __future__ import annotations

import io
import json
import os
import random
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from autograder import __version__
from autograder.authoring.single_source import REFERENCE
from autograder.classrun.outputs import PREVIEWS, VISIBILITIES
from autograder.sandbox import PACKAGE


def runtime_requirements() -> tuple[str, ...]:
    """What grading imports: pyproject's own dependencies (nbgrader and Jupyter
    are the ``notebooks`` extra, which only the authoring path needs), as the
    installed distribution declares them."""
    from importlib.metadata import requires
    return tuple(r for r in requires(DISTRIBUTION) or () if "extra ==" not in r)
CONFIG = "autograder.json"
DISTRIBUTION = "loss-functions-autograder"
SKIPPED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis"}

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image
# (Ubuntu; choose a base image with Python 3.10 or newer, e.g. Ubuntu 22.04).
# Built by loss-functions-autograder {version}.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
export DEBIAN_FRONTEND=noninteractive
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq python3 python3-venv python3-pip >/dev/null
  # The sandbox: it works where the container allows user namespaces; where it
  # does not, the grader uses its process sandbox and records isolation=process.
  apt-get install -y -qq bubblewrap >/dev/null \
    || echo "setup.sh: bubblewrap could not be installed; the process sandbox will be used" >&2
fi
python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
  || {{ echo "setup.sh: Python 3.10 or newer is needed (choose an Ubuntu 22.04 or newer base image)" >&2; exit 1; }}
python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --upgrade pip
"$ROOT/venv/bin/python" -m pip install --quiet -r "$SOURCE/requirements.txt"
# The grader's own files, the reference and the seed: root's only.
chmod -R go-rwx "$SOURCE"
# Self-check: the reference must score full marks with this image.
check="$(mktemp -d)"
PYTHONPATH="$SOURCE/package" "$ROOT/venv/bin/python" -m autograder.cli grade-one \
  "$SOURCE/package/solutions/losses.py" --out "$check" --config "$SOURCE/{config}" || true
"$ROOT/venv/bin/python" - "$check" <<'EOF'
import json, sys
graded = json.load(open(sys.argv[1] + "/grading.json"))
record = graded["students"][0]
print(f"setup.sh: the reference scores {{record['score']:g}}/{{record['max_score']:g}}, "
      f"isolation {{graded['meta']['isolation']}}")
if record["score"] != record["max_score"]:
    print(f"setup.sh: the grader does not work in this image: {{record['error'] or 'the reference lost points'}}",
          file=sys.stderr)
    sys.exit(1)
EOF
rm -rf "$check"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission (working folder /autograder):
# it grades ROOT/submission and writes ROOT/results/results.json.
# Built by loss-functions-autograder {version}.
set -euo pipefail
ROOT="${{AUTOGRADER_ROOT:-/autograder}}"
SOURCE="$ROOT/source"
PYTHON="${{AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
mkdir -p "$ROOT/results"
# Nothing of the grader, and nobody's metadata, is readable by the
# submission's unprivileged uid (the process sandbox's defence in depth).
chmod -R go-rwx "$SOURCE" 2>/dev/null || true
if [ -f "$ROOT/submission_metadata.json" ]; then chmod go-rwx "$ROOT/submission_metadata.json" || true; fi
export PYTHONPATH="$SOURCE/package"
exec "$PYTHON" -m autograder.cli grade-one "$ROOT/submission" --out "$ROOT/results" \
  --config "$SOURCE/{config}"
"""


def new_seed() -> int:
    return random.SystemRandom().randrange(2**31)


def bundle_config(seed: int, visibility: str, preview: str, timeout: float, memory: int,
                  require_sandbox: bool = False) -> dict:
    if visibility not in VISIBILITIES:
        raise ValueError(f"--visibility must be one of {', '.join(VISIBILITIES)}")
    if preview not in PREVIEWS:
        raise ValueError(f"--preview must be one of {', '.join(PREVIEWS)}")
    return {"seed": int(seed), "visibility": visibility, "preview": preview, "timeout": float(timeout),
            "memory": int(memory), "require_sandbox": bool(require_sandbox), "grader_version": __version__,
            "built": datetime.now(timezone.utc).isoformat(timespec="seconds")}


def package_files() -> list[tuple[Path, str]]:
    """(file, name in the zip) of the grader's source: the ``autograder``
    package, its templates, data and reference included. The reference is a
    link to ``solutions/losses.py`` in a checkout; the zip holds its text."""
    found = []
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE.parent)
        if path == REFERENCE or (path.is_file() and not path.is_symlink() and path.suffix not in (".pyc", ".pyo")
                                 and not SKIPPED_PARTS.intersection(relative.parts)):
            found.append((path, f"package/{relative.as_posix()}"))
    return found


def _add(archive: zipfile.ZipFile, name: str, data: bytes, mode: int) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = (0o100000 | mode) << 16      # a regular file with these permissions
    archive.writestr(info, data)


def build_bundle(out: Path, config: dict) -> Path:
    """Write ``autograder.zip`` (atomically) and return its path."""
    out = Path(out)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, "setup.sh", SETUP_SH.format(version=__version__, config=CONFIG).encode(), 0o755)
        _add(archive, "run_autograder", RUN_AUTOGRADER.format(version=__version__, config=CONFIG).encode(), 0o755)
        _add(archive, "requirements.txt", ("\n".join(runtime_requirements()) + "\n").encode(), 0o644)
        _add(archive, CONFIG, (json.dumps(config, indent=1) + "\n").encode(), 0o644)
        for path, name in package_files():
            _add(archive, name, path.read_bytes(), 0o644)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:          # created with the umask's mode, like every output
            fh.write(buffer.getvalue())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return out


def read_config(path: Path) -> dict:
    """The settings recorded in a bundle (``autograder.json``)."""
    try:
        config = json.loads(Path(path).read_text())
        int(config["seed"])
    except FileNotFoundError:
        raise
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"{path} is not an autograder bundle's {CONFIG}: {exc}") from None
    return config
