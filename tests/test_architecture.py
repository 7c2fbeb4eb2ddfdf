"""docs/architecture.md describes the tree as it is: every module of the
package is named there, every module it names exists, and the six runtime
files it lists are exactly the ones copied into the sandbox."""
from __future__ import annotations

import re
from pathlib import Path

from autograder.sandbox import RUNTIME_FILES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "autograder"
DOC = (ROOT / "docs" / "architecture.md").read_text()


def _modules() -> list[Path]:
    skipped = {"data", "__pycache__", "hidden_tests"}
    return sorted(p for p in PACKAGE.rglob("*.py")
                  if p.name != "__init__.py" and not skipped.intersection(p.relative_to(PACKAGE).parts))


def _layout_rows() -> dict[str, str]:
    section = DOC.split("## The layout", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            rows[cells[0]] = cells[1]
    return rows


def test_every_module_is_named_in_its_folders_row():
    rows = _layout_rows()
    missing = []
    for module in _modules():
        folder = module.parent.relative_to(ROOT).as_posix()
        if folder.startswith("autograder/sandbox"):
            row_text = DOC                     # the sandbox's files are listed in "The trust boundary"
        elif folder == "autograder":
            row_text = " ".join(cell for key, cell in rows.items() if not key.startswith("`autograder/")) + " ".join(
                key for key in rows if not key.startswith("`autograder/"))
        else:
            row_text = rows.get(f"`{folder}/`", "")
        if f"`{module.name}`" not in row_text:
            missing.append(module.relative_to(ROOT).as_posix())
    assert not missing, f"modules docs/architecture.md does not place: {missing}"


def test_every_folder_and_module_the_layout_names_exists():
    for key, cell in _layout_rows().items():
        names = [n for n in re.findall(r"`([\w/.]+)`", key + " " + cell) if n != ".py"]
        folder = ROOT / key.strip("`") if key.startswith("`autograder/") else PACKAGE
        for name in names:
            if name.endswith("/"):
                assert (ROOT / name).is_dir() or (folder / name).is_dir(), name
            elif name.endswith(".py"):
                assert (folder / name).exists() or (ROOT / name).exists() or any(PACKAGE.rglob(name)), \
                    f"{name} (row {key})"


def test_the_runtime_files_listed_are_the_ones_copied_into_the_sandbox():
    boundary = DOC.split("## The trust boundary", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"`(\w+\.py)`", boundary.split("copied into the sandbox", 1)[1].split(".", 1)[0] + boundary))
    assert set(RUNTIME_FILES) <= listed
