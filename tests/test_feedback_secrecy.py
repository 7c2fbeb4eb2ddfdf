"""What a student is shown reveals nothing hidden (issue 15, item 9).

A class of hostile-but-plausible students is graded end to end with
``autograder grade`` (sandbox, fixed seed, as a Gradescope bundle would run):

* every function raises ``ValueError`` / ``TypeError`` whose message quotes
  its inputs (``repr(args)``);
* every function returns the constant 1.0 (so "off by a constant factor of
  r" would hand over 1 / r, the right value);
* every function returns the right value times 1.5 (a genuine factor: still
  named);
* a smuggler hides the inputs in what the grader describes: the name of its
  exception class, the shape of an array it returns, the type name of an
  object it returns;
* a submission that, while it loads, looks for the probe calls in the
  process and raises with them in its message.

Every float of the run's hidden probe inputs and of the reference's outputs
on them (and the reciprocals of those outputs, what a constant-returning
student computes back from a factor) is then searched, in every rendering
with four or more significant digits, in every student-facing text:
``feedback/<student>.md`` and ``.html`` (images aside: the plots draw the
public sweep grid), ``gradescope/<student>.json`` and the "feedback" of
every test in ``results.json``.
"""
from __future__ import annotations

import html
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from autograder.authoring.public_cases import all_cases
from autograder.authoring.public_cases import decode_arg as decode_public_arg
from autograder.authoring.single_source import REFERENCE, strip_markers
from autograder.grading.checks.base import Call
from autograder.grading.compare import explain_mismatch
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.outcomes import Outcome
from autograder.grading.probes import make_probes
from autograder.grading.rubric import FUNCTIONS
from autograder.grading.scoring import grade, public_case
from autograder.sandbox.runtime.values import Value, decode_arg

SEED = 424242
REF = strip_markers(REFERENCE.read_text())


def _every_function(body: str) -> str:
    return "\n".join(f"def {name}(*args, **kwargs):\n{body}\n" for name in FUNCTIONS)


SMUGGLER = r'''
import numpy as np

def _digits(args):
    """The first six significant digits of the first non-round number in the
    inputs, as a digit string."""
    for a in args:
        for x in np.ravel(np.asarray(a, dtype=float)):
            if np.isfinite(x) and x != round(x):
                return ("%.6e" % abs(x)).replace(".", "")[:6]
    return "000000"

'''
for _i, _name in enumerate(FUNCTIONS):
    SMUGGLER += (f"def {_name}(*args, **kwargs):\n"
                 f"    d = _digits(args)\n"
                 f"    way = {_i} % 3\n"
                 f"    if way == 0:\n"
                 f"        raise type('Bad' + d, (TypeError,), {{}})('no')\n"
                 f"    if way == 1:\n"
                 f"        return np.zeros(int(d[:4]))\n"
                 f"    return type('Thing' + d, (), {{}})()\n\n")

LOAD_LEAK = r'''
import sys

def _find_calls():
    frame = sys._getframe()
    while frame is not None:
        for value in list(frame.f_locals.values()):
            if isinstance(value, dict) and isinstance(value.get("calls"), list):
                return repr(value["calls"][:3])
        for value in list(frame.f_locals.values()):
            if isinstance(value, (bytes, bytearray)) and b'"calls"' in bytes(value):
                data = bytes(value)
                return repr(data[data.index(b'"calls"'):][:300])
        frame = frame.f_back
    return "nothing"

raise ValueError("found: " + _find_calls())
'''

TIMES_1_5 = REF + r'''

import numpy as _np

def _scaled(value):
    if isinstance(value, tuple):
        return tuple(_scaled(v) for v in value)
    if isinstance(value, _np.ndarray) and value.dtype.kind == "f":
        return value * 1.5
    if type(value) in (float, _np.float64):
        return type(value)(value * 1.5)
    return value


def _wrap(f):
    def wrapped(*args, **kwargs):
        return _scaled(f(*args, **kwargs))
    return wrapped

''' + "".join(f"{name} = _wrap({name})\n" for name in FUNCTIONS)

STUDENTS = {
    "echo-value": _every_function('    raise ValueError(f"bad input {args!r} {kwargs!r}")'),
    "echo-type": "import numpy as np\nnp.set_printoptions(precision=17)\n"
                 + _every_function('    raise TypeError("cannot handle " + repr(args) + repr(kwargs))'),
    "constant": _every_function("    return 1.0"),
    "times-1.5": TIMES_1_5,
    "smuggler": SMUGGLER,
    "load-leak": LOAD_LEAK,
}


# ------------------------------------------------------------------ the hidden numbers

def _floats(value) -> list[float]:
    if isinstance(value, Outcome):
        return _floats(value.value) if value.ok else []
    if isinstance(value, Value):
        return _floats(value.payload)
    if isinstance(value, dict):
        return [x for v in value.values() for x in _floats(v)]
    if isinstance(value, (tuple, list)):
        return [x for v in value for x in _floats(v)]
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.ravel()] if value.dtype.kind in "biuf" else []
    if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        return [float(value)]
    return []


def significant(x: float, n: int = 17) -> str:
    """The first ``n`` significant digits of |x|, rounded, as a digit string."""
    return f"{abs(x):.{n - 1}e}".split("e")[0].replace(".", "")


def hidden_numbers(seed: int) -> list[float]:
    """Every number of the run's hidden probe inputs and of the reference's
    outputs on them, and the reciprocals of those outputs; only those with
    at least four significant digits (0.5, 3.0, 1000.0 say nothing)."""
    probes = make_probes(seed)
    inputs = [x for call in probes.encoded for x in
              _floats([decode_arg(a) for a in call["args"]] + [decode_arg(v) for v in call["kwargs"].values()])]
    outputs = _floats(probes.reference)
    numbers = inputs + outputs + [1.0 / x for x in outputs if x]
    return [x for x in numbers if math.isfinite(x) and x and len(significant(x).rstrip("0")) >= 4]


_TOKEN = re.compile(r"[A-Za-z_][A-Za-z_0-9]*|\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?")


def leaks(text: str, numbers: list[float]) -> list[tuple[str, float]]:
    """Hidden numbers written in ``text`` with four or more significant
    digits, rounded or cut: as a number of the same size (0.8932, 8.932e-01,
    array([0.89321504, ...)) or as digits inside a word ('Bad893215')."""
    prefixes: dict[str, list[float]] = {}
    for x in numbers:
        for n in range(4, 18):
            for digits in {significant(x, n), significant(x, 18)[:n]}:          # rounded, cut
                prefixes.setdefault(digits, []).append(x)
    found = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0].isalpha() or token[0] == "_":
            for run in re.findall(r"\d+", token):                              # a name made of digits
                run = run.lstrip("0")
                if len(run) >= 4 and run in prefixes:
                    found.append((token, prefixes[run][0]))
            continue
        mantissa = re.split(r"[eE]", token)[0]
        digits = mantissa.replace(".", "").lstrip("0")
        if "." not in mantissa and len(mantissa) == len(token):
            digits = digits.rstrip("0")              # 1000: one significant digit
        value = float(token) if token != "." else 0.0
        for x in prefixes.get(digits, []) if len(digits) >= 4 else []:
            unit = 10.0 ** (math.floor(math.log10(abs(x))) - len(digits) + 1)
            if abs(value - abs(x)) <= 1.01 * unit:
                found.append((token, x))
                break
    return found


def visible_text(page: str) -> str:
    """What a browser shows of a page: no style sheet, no tag, no attribute
    (the plots are images of the public sweep grid), entities decoded."""
    page = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return html.unescape(page)


def student_texts(out: Path, results: dict) -> dict[str, list[tuple[str, str]]]:
    """(where, text) of everything each student is shown."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for record in results["students"]:
        student = record["student"]
        own = texts.setdefault(student, [])
        for path in (out / "feedback" / f"{student}.md", out / "feedback" / f"{student}.html",
                     out / "gradescope" / f"{student}.json"):
            text = path.read_text()
            if path.suffix == ".html":
                text = visible_text(text)
            own.append((path.name, text))
        for test in record["tests"]:
            own.append((f"results.json {test['name']}", test["feedback"]))
    return texts


# ------------------------------------------------------------------ the run

@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    base = tmp_path_factory.mktemp("secrecy")
    class_dir, out_dir = base / "class", base / "out"
    for student, source in STUDENTS.items():
        (class_dir / student).mkdir(parents=True)
        (class_dir / student / "losses.py").write_text(source)
    tmp = base / "tmp"
    tmp.mkdir()
    proc = subprocess.run([sys.executable, "-m", "autograder.cli", "grade", str(class_dir), "--out", str(out_dir),
                           "--jobs", "2", "--timeout", "2", "--seed", str(SEED)],
                          capture_output=True, text=True, timeout=600, env=dict(os.environ, TMPDIR=str(tmp)))
    assert proc.returncode == 0, proc.stderr[-3000:]
    results = json.loads((out_dir / "results.json").read_text())
    assert results["meta"]["seed"] == SEED
    return out_dir, results


def test_the_search_finds_a_leak_when_there_is_one():
    """The assertion below can fail: a probe value, rounded or cut, in any of
    the ways a page could print it, is found; shapes and short numbers are not."""
    numbers = hidden_numbers(SEED)
    assert len(numbers) > 500
    x = next(v for v in numbers if 0.1 < abs(v) < 1)
    y = next(v for v in numbers if 1000 < abs(v) < 10000 and significant(v, 4) != significant(v, 18)[:4])
    for text in (repr(x), f"{x:.4g}", f"{x:.3e}", f"array([{x:.8f}, 0.5])", f"Bad{significant(x, 6)}",
                 f"a factor of {x:.4g}", f"{-x:.4f}", f"{y:.0f}", f"{int(y)}", f"{y:.4g}"):
        assert leaks(text, numbers), text
    for text in ("returned shape (5, 3), expected (5,)", "a factor of 1.5", "1e-08", "raised TypeError",
                 "exactly 2 times the right values", "(line 12)", "1000.", "float64", "1.00",
                 f"{x * 10:.4g}"):
        assert not leaks(text, numbers), text


def test_no_hidden_number_reaches_a_student(graded):
    out, results = graded
    numbers = hidden_numbers(SEED)
    assert {r["student"] for r in results["students"]} == set(STUDENTS)
    found = {}
    for student, texts in student_texts(out, results).items():
        for where, text in texts:
            hits = leaks(text, numbers)
            if hits:
                found.setdefault(student, []).append((where, hits[:3]))
    assert not found, json.dumps({s: v[:3] for s, v in found.items()}, indent=1)[:4000]


def test_no_student_text_is_echoed(graded):
    """The students' own words while their functions run on the probes
    (exception messages, class names) are not quoted back; the exception's
    kind is. What a submission says while it loads is Python's message with
    its numbers and long runs of letters and digits (base64) hidden."""
    out, results = graded
    texts = student_texts(out, results)
    for student in ("echo-value", "echo-type", "smuggler", "load-leak"):
        for where, text in texts[student]:
            for word in ("bad input", "cannot handle", "Bad0", "Bad1", "Thing", "array(["):
                assert word not in text, (student, where, word)
            runs = [r for r in re.findall(r"[A-Za-z0-9+/=]{16,}", text) if re.search(r"\d", r)]
            assert not runs, (student, where, runs[:3])
    echo = " ".join(t for _, t in texts["echo-type"])
    assert "raised TypeError" in echo
    leak = results["students"][[r["student"] for r in results["students"]].index("load-leak")]
    assert leak["status"] == "error" and "loading the submission raised ValueError" in leak["error"]


def test_the_feedback_still_names_what_happened(graded):
    out, results = graded
    rows = {r["student"]: r for r in results["students"]}
    scaled = rows["times-1.5"]
    assert scaled["status"] == "graded"
    said = " ".join(t["feedback"] for t in scaled["tests"] if not t["passed"])
    assert "1.5 times the right" in said
    constant = " ".join(t["feedback"] for t in rows["constant"]["tests"] if not t["passed"])
    assert "returned a float" in constant and "factor" not in constant
    assert "the value is not the right one" in constant
    smuggled = " ".join(t["feedback"] for t in rows["smuggler"]["tests"] if not t["passed"])
    assert "raised an exception of a class defined in your code" in smuggled
    assert "an object of a type defined in your code" in smuggled
    assert rows["load-leak"]["status"] == "error"


# ------------------------------------------------------------------ the wording, unit by unit

def _ok(value) -> Outcome:
    if isinstance(value, float):
        return Outcome("ok", Value("float", value))
    return Outcome("ok", Value("nd", np.asarray(value, dtype=np.float64), dtype="float64"))


@pytest.mark.parametrize("got, want, words", [
    (_ok([2.0, 4.0, 6.0]), _ok([1.0, 2.0, 3.0]), "exactly 2 times the right values"),
    (_ok([0.5, 1.0]), _ok([1.0, 2.0]), "exactly half the right values"),
    (_ok([-1.0, -2.0]), _ok([1.0, 2.0]), "the values have the wrong sign"),
    (_ok([1.25, 2.5]), _ok([1.0, 2.0]), "exactly 5/4 times the right values"),
    (_ok([1.0 / math.log(2) * 0.3, 1.0 / math.log(2) * 0.7]), _ok([0.3, 0.7]), "1/ln 2 times the right values"),
    (_ok([1.0 / math.log(10) * 0.3, 1.0 / math.log(10) * 0.7]), _ok([0.3, 0.7]), "1/ln 10 times"),
    (_ok([0.3 * 1.2345, 0.7 * 1.2345]), _ok([0.3, 0.7]), "all off by the same factor"),
    (_ok(1.2345), _ok(0.4321), "the value is not the right one"),
    (_ok(3.0), _ok(1.5), "exactly 2 times the right value"),
])
def test_factors_are_named_only_when_they_say_nothing_of_the_probe(got, want, words):
    text = explain_mismatch(got, want)
    assert words in text, text
    assert "1.2345" not in text and "0.4321" not in text and "2.857" not in text and "0.81" not in text


def test_what_the_student_controls_is_described_not_quoted():
    def raised(kind, message, value_error=False):
        return Outcome("raised", error_type=kind, error_message=message, value_error=value_error)
    want = _ok([0.25, 0.5])
    assert explain_mismatch(raised("TypeError", "bad 0.123456"), want).startswith("raised TypeError")
    assert "0.123456" not in explain_mismatch(raised("TypeError", "bad 0.123456"), want)
    assert "E123456" not in explain_mismatch(raised("E123456", "x"), want)
    assert "a kind of ValueError" in explain_mismatch(raised("E123456", "x", value_error=True), want)
    assert "LinAlgError" in explain_mismatch(raised("LinAlgError", "x"), want)
    wide = Outcome("ok", Value("nd", np.zeros(8932), dtype="float64"))
    assert "8932" not in explain_mismatch(wide, want)
    square = Outcome("ok", Value("nd", np.zeros((2, 2)), dtype="float64"))
    assert "shape (2, 2), expected (2,)" in explain_mismatch(square, want)
    odd = Outcome("ok", Value("nd", np.zeros(2), dtype="float1234"))
    assert "1234" not in explain_mismatch(odd, want)
    assert "int32" in explain_mismatch(Outcome("ok", Value("nd", np.zeros(2), dtype="int32")), want)
    thing = Outcome("ok", Value("other", "losses.Thing893215"))
    assert "893215" not in explain_mismatch(thing, want)
    assert "dict" in explain_mismatch(Outcome("ok", Value("other", "builtins.dict")), want)
    strings = Outcome("ok", Value("other", "ndarray of dtype <U893215"))
    assert "893215" not in explain_mismatch(strings, want) and "strings" in explain_mismatch(strings, want)
    for how, shown in [("crashed: the process exited with code 89", "exited"),
                       ("crashed: the process was ended by signal 31", "signal"),
                       ("crashed: the process was ended by a segmentation fault", "segmentation fault"),
                       ("the submission ended the process while loading: 0.893215", "stopped")]:
        text = explain_mismatch(Outcome("crashed", error_message=how), want)
        assert shown in text and not re.search(r"\d", text), text
    assert explain_mismatch(Outcome("timeout", error_message="timed out after 2 s"), want) == "timed out after 2 s"


def test_the_failing_input_is_described_by_its_kind_and_shape():
    from autograder.grading.scoring import describe_call
    call = Call("bce", (np.array([0.123456, 0.5]), [1.0, 0.0]), {"eps": 0.001234})
    text = describe_call(call)
    assert text == "a (2,) array and a list of 2 numbers, with eps", text


def test_a_public_probe_is_named_as_its_public_case():
    """Some hidden probes are public cases (the lesson's example, an empty
    batch, ...): a failure there names the case, whose numbers the student
    has. No factor is written even there: a function may remember the hidden
    inputs it saw and return them, coded, on the public probe."""
    def key(fn, args):
        return fn, json.dumps([a if isinstance(a, str) else np.asarray(a, dtype=float).tolist() for a in args])
    public = {key(fn, [decode_public_arg(a) for a in args]) for fn, _, calls in all_cases() for _, args, _ in calls}
    probes = make_probes(SEED)
    for call in probes.calls:
        try:
            shared = key(call.fn, call.args) in public
        except (TypeError, ValueError):
            shared = False
        if public_case(call):           # (an empty array is not the public case's empty list)
            assert shared, call
    assert {c.fn for c in probes.calls if public_case(c)} >= {"mse", "mse_grad", "loss_for_output"}
    namespace: dict = {}
    exec(STUDENTS["constant"], namespace)
    result = grade(InProcessHandle(namespace), probes, Diagnoser(probes))
    lesson = next(c for c in result.checks if c.name == "mse:lesson-example")
    assert not lesson.passed
    case = public_case(probes.calls[probes.spans["mse:lesson-example"][0]])
    assert lesson.detail == (f'the value is not the right one; input: the public case "{case}" '
                             f'(python -m pytest "exercises/test_losses.py::test_public_case[{case}]" runs it)'), \
        lesson.detail
    ids = [c["id"] for c in json.loads((Path(__file__).resolve().parents[1] / "exercises" / "public_cases.json"
                                        ).read_text())["cases"]]
    assert case in ids
