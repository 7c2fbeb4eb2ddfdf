"""The Gradescope bundle (issue 11): ``autograder gradescope`` writes
autograder.zip; unpacked into a folder laid out like Gradescope's /autograder
(``AUTOGRADER_ROOT``), its ``run_autograder`` grades the submission with the
seed fixed at build time and writes results.json in Gradescope's format, with
the same scores as ``autograder grade``; nothing lands in the submission folder.
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import nbformat
import pytest

from autograder.authoring.notebook_source import filled_release, reference_answers
from autograder.authoring.single_source import REFERENCE, ROOT
from autograder.classrun.engine import GradeOptions, grade_class
from autograder.demo import student_module, variant_source
from autograder.gradescope import CONFIG, runtime_requirements
from autograder.grading.mistakes.variants import VARIANTS
from autograder.grading.rubric import MAX_SCORE, RUBRIC
from autograder.sandbox import Limits

SEED = 424242
AUTOGRADER = [sys.executable, "-m", "autograder.cli"]

# Gradescope's results.json, as its specification describes it
# (https://gradescope-autograders.readthedocs.io/en/latest/specs/#output-format).
VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
RESULTS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["tests"],
    "anyOf": [{"required": ["score"]},
              {"properties": {"tests": {"items": {"required": ["score"]}}}}],
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"},
        "output_format": FORMAT, "test_output_format": FORMAT, "test_name_format": FORMAT,
        "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"},
        "tests": {"type": "array", "items": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "score": {"type": "number"}, "max_score": {"type": "number"},
                "status": {"enum": ["passed", "failed"]},
                "name": {"type": "string"}, "name_format": FORMAT, "number": {"type": "string"},
                "output": {"type": "string"}, "output_format": FORMAT,
                "tags": {"type": "array", "items": {"type": "string"}},
                "visibility": VISIBILITY, "extra_data": {"type": "object"},
            }}},
        "leaderboard": {"type": "array"},
    },
}


def build(tmp_path, *extra):
    zip_path = tmp_path / "autograder.zip"
    done = subprocess.run([*AUTOGRADER, "gradescope", "--out", str(zip_path), "--seed", str(SEED), *extra],
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return zip_path


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    return build(tmp_path_factory.mktemp("bundle"))


@pytest.fixture(scope="module")
def strict_bundle(tmp_path_factory):
    """Checks shown after the due date, their feedback previewed; 1 s per call."""
    return build(tmp_path_factory.mktemp("strict"), "--visibility", "after_due_date", "--preview", "feedback",
                 "--timeout", "1")


def unpack(zip_path, root):
    """Lay the bundle out as Gradescope does: the zip in ROOT/source, run_autograder copied to ROOT."""
    (root / "source").mkdir(parents=True)
    (root / "submission").mkdir()
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(root / "source")
    for script in ("run_autograder", "setup.sh"):
        path = root / "source" / script
        path.chmod(archive.getinfo(script).external_attr >> 16 & 0o777)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    return root


def run_bundle(zip_path, root, files: dict, umask=0o022):
    unpack(zip_path, root)
    for name, content in files.items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = snapshot(root / "submission")
    env = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(["bash", "-c", f"umask {umask:03o}; exec ./run_autograder"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert snapshot(root / "submission") == before, "the grader wrote to the submission folder"
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, RESULTS_SCHEMA)
    graded = json.loads((root / "results" / "grading.json").read_text())
    return results, graded


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def graded_by_grade(tmp_path, name, text):
    """What ``autograder grade`` gives the same file with the same seed."""
    (tmp_path / "class" / "student").mkdir(parents=True)
    (tmp_path / "class" / "student" / name).write_text(text)
    results = grade_class(GradeOptions(tmp_path / "class", tmp_path / "graded", jobs=1, limits=Limits(),
                                       seed=SEED, progress=False))
    return results.students[0]


def full_tests(results):
    return [t for t in results["tests"] if "score" in t]


# ------------------------------------------------------------ the zip itself

def test_the_zip_holds_setup_and_run_autograder_at_its_root_and_the_seed(bundle, tmp_path):
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        modes = {n: archive.getinfo(n).external_attr >> 16 for n in names}
        config = json.loads(archive.read(CONFIG))
        requirements = archive.read("requirements.txt").decode().split()
    assert {"setup.sh", "run_autograder", CONFIG, "requirements.txt"} <= names
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert config["seed"] == SEED and config["visibility"] == "visible"
    assert "package/autograder/reference/losses.py" in names and "package/autograder/grading/rubric.py" in names
    assert "package/autograder/report/templates/feedback.md" in names
    assert not any("__pycache__" in n or n.startswith("/") or ".." in n.split("/") for n in names)
    assert not any(n.startswith(("submission/", "package/tests/")) for n in names)
    assert requirements == list(runtime_requirements())


def test_the_runtime_requirements_are_pyprojects_without_the_notebook_tools():
    import tomllib
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert set(runtime_requirements()) <= set(declared)
    assert not any(r.startswith(("nbgrader", "jupyter")) for r in runtime_requirements())


def test_the_scripts_parse_and_setup_installs_what_grading_needs(bundle, tmp_path):
    root = unpack(bundle, tmp_path / "autograder")
    for script in ("setup.sh", "run_autograder"):
        done = subprocess.run(["bash", "-n", str(root / "source" / script)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    setup = (root / "source" / "setup.sh").read_text()
    assert "apt-get install -y -qq bubblewrap" in setup and "python3 -m venv" in setup
    assert 'pip install --quiet -r "$SOURCE/requirements.txt"' in setup
    assert "chmod -R go-rwx" in setup and "grade-one" in setup          # private source, self-check
    run = (root / "run_autograder").read_text()
    assert '"${AUTOGRADER_ROOT:-/autograder}"' in run
    assert '"$ROOT/submission" --out "$ROOT/results"' in run


def test_a_new_build_draws_a_new_seed_unless_one_is_given(tmp_path):
    seeds = set()
    for i in range(2):
        out = tmp_path / f"{i}.zip"
        assert subprocess.run([*AUTOGRADER, "gradescope", "--out", str(out)], capture_output=True).returncode == 0
        with zipfile.ZipFile(out) as archive:
            seeds.add(json.loads(archive.read(CONFIG))["seed"])
    assert len(seeds) == 2


# ------------------------------------------------------------ grading with it

def test_the_reference_scores_full_marks_with_the_builds_seed_and_the_bundles_code(bundle, tmp_path):
    results, graded = run_bundle(bundle, tmp_path / "autograder", {"whatever_name.py": REFERENCE.read_text()})
    assert results["score"] == MAX_SCORE
    assert graded["meta"]["seed"] == SEED
    assert Path(graded["meta"]["grader_package"]).is_relative_to(tmp_path / "autograder" / "source" / "package")
    assert graded["meta"]["submission"] == "whatever_name.py"
    assert isinstance(results["execution_time"], int) and results["execution_time"] >= 0
    tests = results["tests"]
    assert [t["name"] for t in tests] == [c.name for c in RUBRIC]
    assert sum(t["max_score"] for t in tests) == MAX_SCORE
    for t in tests:
        assert t["status"] == "passed" and t["score"] == t["max_score"] and t["visibility"] == "visible"
        assert t["output"].startswith("Passed") and t["output_format"] == "text"
    assert results["output_format"] == "md" and results["output"].startswith("# Loss Functions")
    for name in ("results.json", "feedback.md", "feedback.html", "grading.json"):
        assert stat.S_IMODE((tmp_path / "autograder" / "results" / name).stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "autograder" / "source").stat().st_mode) == 0o700


def test_a_mistake_loses_the_same_points_as_with_grade_and_is_named(bundle, tmp_path):
    text = student_module([VARIANTS[("grad-sign-flipped", "bce_grad")]])
    results, graded = run_bundle(bundle, tmp_path / "autograder", {"losses.py": text})
    expected = graded_by_grade(tmp_path, "losses.py", text)
    assert results["score"] == expected.score < MAX_SCORE
    assert {t["name"]: t["score"] for t in results["tests"]} == {t.name: t.score for t in expected.tests}
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["score"] < t["max_score"] for t in failed)
    assert all(t["tags"] == ["grad-sign-flipped"] for t in failed if t["tags"]) and any(t["tags"] for t in failed)
    assert "grad-sign-flipped" in results["output"]


def test_a_filled_notebook_of_any_name_is_graded(bundle, tmp_path):
    answers = reference_answers()
    function, source = variant_source(VARIANTS[("grad-sign-flipped", "bce_grad")])
    answers[function] = source
    notebook = nbformat.writes(filled_release(answers))
    results, graded = run_bundle(bundle, tmp_path / "autograder", {"Homework 3 (final).ipynb": notebook})
    assert graded["meta"]["submission"] == "Homework 3 (final).ipynb"
    expected = graded_by_grade(tmp_path, "nb.ipynb", notebook)
    assert results["score"] == expected.score < MAX_SCORE
    assert graded["students"][0]["functions"]["bce_grad"]["mistakes"] == ["grad-sign-flipped"]


def test_a_file_that_does_not_load_scores_zero_and_says_why(bundle, tmp_path):
    results, graded = run_bundle(bundle, tmp_path / "autograder",
                                 {"losses.py": "import numpy as np\n\ndef mse(y_hat, y)\n    return 0\n"})
    assert results["score"] == 0 and graded["students"][0]["status"] == "error"
    assert "syntax error" in results["output"] and "could not be graded" in results["output"]
    assert all(t["status"] == "failed" and t["score"] == 0 for t in results["tests"])


def test_an_empty_submission_folder_is_an_error_row_not_a_crash(bundle, tmp_path):
    results, graded = run_bundle(bundle, tmp_path / "autograder", {"notes.txt": "nothing here"})
    assert results["score"] == 0 and graded["meta"]["submission"] is None
    assert "no losses.py or notebook" in results["output"]


def test_nothing_of_the_grader_reaches_the_submission_folder(bundle, tmp_path):
    results, _ = run_bundle(bundle, tmp_path / "autograder", {"sub/losses.py": REFERENCE.read_text()})
    assert results["score"] == MAX_SCORE              # found one folder down (a zip keeps its folders)
    files = list((tmp_path / "autograder" / "submission").rglob("*"))
    assert sorted(p.name for p in files) == ["losses.py", "sub"]
    assert str(SEED) not in json.dumps(results)       # the seed stays out of the student's results


# ------------------------------------------------------------ visibility

def test_hidden_until_the_due_date_with_a_feedback_preview_and_an_endless_loop(strict_bundle, tmp_path):
    text = student_module([VARIANTS[("grad-sign-flipped", "bce_grad")]])
    results, graded = run_bundle(strict_bundle, tmp_path / "a", {"losses.py": text})
    full, preview = full_tests(results), [t for t in results["tests"] if "score" not in t]
    assert len(full) == len(preview) == len(RUBRIC)
    assert {t["visibility"] for t in full} == {"after_due_date"}
    assert {t["visibility"] for t in preview} == {"visible"}
    assert all("max_score" not in t for t in preview)
    failed = [t for t in preview if t["status"] == "failed"]
    assert failed and all(t["output"].startswith("Failed") for t in failed)
    assert "Score" not in results["output"] and not re.search(r"\d\s*/\s*\d", results["output"])   # no points
    assert "after the due date" in results["output"] and "bce_grad" in results["output"]
    assert results["score"] == graded["students"][0]["score"] < MAX_SCORE

    loop, _ = run_bundle(strict_bundle, tmp_path / "b", {"losses.py": "while True:\n    pass\n"})
    assert loop["score"] == 0 and "could not be graded" in loop["output"]
    assert not [t for t in loop["tests"] if "score" not in t]        # no preview of a submission that did not run


def test_the_preview_levels_show_less_and_less(tmp_path):
    from autograder.classrun.outputs import gradescope_json
    text = student_module([VARIANTS[("grad-sign-flipped", "bce_grad")]])
    record = graded_by_grade(tmp_path, "losses.py", text)
    shown = {p: gradescope_json(record, visibility="after_published", preview=p) for p in ("none", "status", "feedback")}
    for result in shown.values():
        jsonschema.validate(result, RESULTS_SCHEMA)
        assert {t["visibility"] for t in full_tests(result)} == {"after_published"}
        assert "published" in result["output"]
    assert len(shown["none"]["tests"]) == len(RUBRIC) and "bce_grad" not in shown["none"]["output"]
    status = [t for t in shown["status"]["tests"] if "score" not in t]
    assert status and all(t["output"] == "" for t in status) and "What failed" not in shown["status"]["output"]
    assert "What failed" in shown["feedback"]["output"]
    hidden = gradescope_json(record, visibility="hidden", preview="none")
    assert {t["visibility"] for t in hidden["tests"]} == {"hidden"}
    with pytest.raises(ValueError):
        gradescope_json(record, visibility="sometimes")


# ------------------------------------------------------------ the command line

def test_usage_errors_exit_2(tmp_path):
    from autograder.cli import main
    (tmp_path / "bad.json").write_text("{}")
    for argv in (["grade-one", str(tmp_path / "missing.py"), "--out", str(tmp_path / "o")],
                 ["grade-one", str(REFERENCE), "--out", str(tmp_path / "o"), "--config", str(tmp_path / "bad.json")],
                 ["grade-one", str(REFERENCE), "--out", str(tmp_path / "o"), "--timeout", "0"],
                 ["gradescope", "--out", str(tmp_path / "z.zip"), "--memory", "10"],
                 ["grade", str(tmp_path / "no-class"), "--out", str(tmp_path / "o")],
                 ["grade", str(tmp_path), "--out", str(tmp_path / "o"), "--jobs", "0"]):
        assert main(argv) == 2, argv
    for argv in (["gradescope", "--visibility", "sometimes"], ["grade-one"], ["no-such-command"]):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2, argv
    assert not (tmp_path / "o").exists() and not (tmp_path / "z.zip").exists()


def test_grade_on_a_folder_with_one_file_points_to_grade_one(tmp_path, capsys):
    from autograder.cli import main
    (tmp_path / "flat").mkdir()
    (tmp_path / "flat" / "losses.py").write_text(REFERENCE.read_text())
    assert main(["grade", str(tmp_path / "flat"), "--out", str(tmp_path / "o")]) == 2
    assert "autograder grade-one" in capsys.readouterr().err


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640)])
def test_grade_one_and_the_zip_honour_the_umask(tmp_path, umask, mode):
    from autograder.cli import main
    previous = os.umask(umask)
    try:
        assert main(["grade-one", str(REFERENCE), "--out", str(tmp_path / "out"), "--seed", "3"]) == 0
        assert main(["gradescope", "--out", str(tmp_path / "autograder.zip"), "--seed", "3"]) == 0
    finally:
        os.umask(previous)
    written = [*(tmp_path / "out").iterdir(), tmp_path / "autograder.zip"]
    assert len(written) == 5
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {p.name: mode for p in written}


def test_progress_prints_lines_when_not_on_a_terminal():
    import io

    from autograder.classrun.progress import LineProgress, progress
    now = [0.0]
    stream = io.StringIO()
    bar = LineProgress(10, stream, every=5, clock=lambda: now[0])
    for _ in range(10):
        now[0] += 2
        bar.update()
    bar.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "grading: 3/10 submissions (30%), 6 s elapsed, about 14 s left"
    assert lines[-1] == "grading: 10/10 submissions (100%), 20 s elapsed" and len(lines) == 4
    assert isinstance(progress(5, True, io.StringIO()), LineProgress)

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    assert not isinstance(progress(5, True, Terminal()), LineProgress)
    quiet = io.StringIO()
    off = progress(5, False, quiet)
    off.update(5)
    off.close()
    assert quiet.getvalue() == ""


BLOCK_NOTEBOOK_TOOLS = """
import sys
class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'nbgrader', 'jupyter', 'jupyter_client', 'jupyter_server', 'notebook',
                                  'IPython', 'ipykernel', 'nbconvert'}:
            raise ImportError('not installed in the bundle: ' + name)
sys.meta_path.insert(0, Refuse())
from autograder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_grading_a_notebook_needs_neither_nbgrader_nor_jupyter(tmp_path):
    """requirements.txt leaves them out (nbformat only is needed): grading must not import them."""
    (tmp_path / "hw.ipynb").write_text(nbformat.writes(filled_release(reference_answers())))
    done = subprocess.run([sys.executable, "-c", BLOCK_NOTEBOOK_TOOLS, "grade-one", str(tmp_path / "hw.ipynb"),
                           "--out", str(tmp_path / "out"), "--seed", "5"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "out" / "results.json").read_text())["score"] == MAX_SCORE
