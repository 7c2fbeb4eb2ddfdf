"""Identical submissions (issue 12, item 5): code that is the same once
whitespace, comments, docstrings and chosen names are set aside is grouped
and listed in the class report; no score changes.
"""
import json
import subprocess
import sys
from pathlib import Path

from autograder.authoring.single_source import REFERENCE, STUB, strip_markers
from autograder.course.identical import find_groups, normalise

BIN = Path(sys.executable).parent
STUB_TEXT = STUB.read_text()
MSE = '''
def mse(y_hat, y):
    """Mean squared error."""
    diff = np.asarray(y_hat, dtype=float) - np.asarray(y, dtype=float)   # residuals
    return float(np.mean(diff ** 2))
'''
MSE_RENAMED = '''
def mse(prediction,target):
    # my own version
    r = np.asarray(prediction, dtype=float) - np.asarray(target, dtype=float)

    return float(np.mean(r ** 2))
'''
MSE_MAX = MSE.replace("np.mean", "np.max")
MSE_SUM_BUILTIN = MSE.replace("float(np.mean(diff ** 2))", "float(sum(diff ** 2) / len(diff))")
MSE_MIN_BUILTIN = MSE.replace("float(np.mean(diff ** 2))", "float(min(diff ** 2) / len(diff))")


def test_layout_comments_docstrings_and_names_do_not_matter():
    a, b = normalise(STUB_TEXT + MSE), normalise(STUB_TEXT + MSE_RENAMED)
    assert a is not None and a == b and a[1] == ["mse"]


def test_different_code_stays_apart():
    base = normalise(STUB_TEXT + MSE)[0]
    assert normalise(STUB_TEXT + MSE_MAX)[0] != base                    # attributes are kept
    assert normalise(STUB_TEXT + MSE_SUM_BUILTIN)[0] != normalise(STUB_TEXT + MSE_MIN_BUILTIN)[0]   # builtins too


def test_the_untouched_stub_and_the_given_code_are_nobody_s_work():
    assert normalise(STUB_TEXT) is None
    assert find_groups({"a": STUB_TEXT, "b": STUB_TEXT, "c": STUB_TEXT + "\n# nothing\n"}) == []


def test_a_source_that_does_not_parse_is_compared_by_its_tokens():
    broken = "def mse(y_hat, y):\n    return (np.mean((y_hat - y) ** 2)  # unclosed\n"
    renamed = "def mse(p, t):\n    return (np.mean((p - t) ** 2)\n"
    other = "def mse(p, t):\n    return (np.max((p - t) ** 2)\n"
    groups = find_groups({"a": broken, "b": renamed, "c": other})
    assert [g["students"] for g in groups] == [["a", "b"]]


def test_groups_and_the_reference():
    reference = strip_markers(REFERENCE.read_text())
    groups = find_groups({"a": STUB_TEXT + MSE, "b": STUB_TEXT + MSE_RENAMED, "c": STUB_TEXT + MSE_MAX,
                          "r1": reference, "r2": reference.replace("    ", "  ")})
    assert [(g["students"], g["same_as_reference"]) for g in groups] == [(["a", "b"], False), (["r1", "r2"], True)]


def test_groups_are_in_the_class_report_and_scores_do_not_change(tmp_path):
    class_dir = tmp_path / "class"
    sources = {"ann": STUB_TEXT + MSE, "bob": STUB_TEXT + MSE_RENAMED, "cat": STUB_TEXT + MSE_MAX}
    for student, source in sources.items():
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(source)
    out = tmp_path / "out"
    done = subprocess.run([str(BIN / "autograder"), "grade", str(class_dir), "--out", str(out), "--seed", "4",
                           "--quiet"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    results = json.loads((out / "results.json").read_text())
    assert [g["students"] for g in results["identical"]] == [["ann", "bob"]]
    report = (out / "report.html").read_text()
    section = report[report.index('<section id="identical"'):]
    section = section[:section.index("</section>")]
    assert 'data-count="1"' in section and 'data-students="ann bob"' in section and "cat" not in section
    assert "1 group(s) of 2 students" in done.stdout
    by = {r["student"]: r for r in results["students"]}
    for record in by.values():
        assert record["score"] == sum(f["score"] for f in record["functions"].values())
    assert by["ann"]["score"] == by["bob"]["score"] > by["cat"]["score"]


def test_the_fast_path_gives_what_the_slow_one_gives():
    """``normalise`` walks the tree its own way (about twice as fast as
    ``ast``'s visitors and ``ast.dump``): the same result, the same digests."""
    import ast

    from autograder.course import identical
    from autograder.demo import student_module
    from autograder.grading.mistakes.variants import VARIANTS
    odd = STUB_TEXT + '''
class K:
    """doc"""
    def mse(self, a: int = 3, *rest, key=1, **more) -> int:
        """d"""
        global g
        try:
            import numpy.linalg as la, os.path
        except (ValueError, KeyError) as e:
            q = [i for i in range(3) if (j := i)]
        async def inner(): pass
        return lambda *a, k=1, **kw: f'{a!r:>{k}}'
'''
    deep = "def f():\n" + "".join("    " * (i + 1) + "if x:\n" for i in range(80)) + "    " * 81 + "pass\n"
    sources = [odd, deep, "x = " + "-" * 300 + "1", strip_markers(REFERENCE.read_text())]
    sources += [student_module([v]) for v in list(VARIANTS.values())[::7]]
    assert identical._fast_path_works()
    for source in sources:
        assert normalise(source) == identical._normalise_tree(ast.parse(source), source)
