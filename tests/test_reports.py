"""The reports: the class report, the feedback pages and the sweep curves,
rendered from a class graded for real (catalogue variants, the stub, an
error record) and checked as HTML, as images, as numbers, in a headless
browser with the network off, and for leaks of the hidden probes."""
from __future__ import annotations

import base64
import io
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import matplotlib.image
import numpy as np
import pytest

from autograder.authoring.single_source import STUB
from autograder.classrun.errors import ErrorKind
from autograder.classrun.records import ClassResults, StudentRecord, error_record, graded_record
from autograder.grading import sweeps
from autograder.grading.diagnosis import Diagnoser
from autograder.grading.handle import InProcessHandle
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.mistakes.variants import VARIANTS, namespace_with, reference_namespace
from autograder.grading.outcomes import Outcome
from autograder.grading.probes import make_probes
from autograder.grading.rubric import ASSIGNMENT, FUNCTIONS, MAX_SCORE, PARTS, RUBRIC
from autograder.grading.scoring import grade
from autograder.report import render_class_report, render_feedback_html, render_feedback_md, terminal_summary
from autograder.report.plots import BAR
from autograder.report.text import CSP, scrub
from autograder.sandbox import Isolation
from autograder.sandbox.runtime.values import decode_arg

SEED = 20250611
ISOLATION = Isolation.TRUSTED.value
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
PNG = b"\x89PNG\r\n\x1a\n"
BAR_RGB = np.array([int(BAR[i:i + 2], 16) / 255 for i in (1, 3, 5)])

# Students made of catalogue variants; several carry two mistakes, some share one.
CLASS = {
    "ada": [],
    "ben": [("no-clipping", "binary_cross_entropy")],
    "cy": [("sum-not-mean", "batch_mean")],
    "dee": [("grad-sign-flipped", "mse_grad"), ("unstable-softmax", "softmax")],
    "eve": [("sum-not-mean", "batch_mean"), ("label-indexing", "categorical_cross_entropy")],
    "fay": [("missing-negative-class-term", "binary_cross_entropy"), ("naive-logits-loss", "softmax_cross_entropy")],
    "gus": [("abs-not-square", "squared_error"), ("grad-missing-mean", "bce_grad"),
            ("unweighted-epoch-mean", "epoch_mean"), ("gradient-ascent", "sgd_step")],
}


def namespace_of(keys):
    namespace = reference_namespace()
    for key in keys:
        namespace = namespace_with(VARIANTS[key], namespace)
    return namespace


def graded_class():
    probes = make_probes(SEED)
    diagnoser = Diagnoser(probes)
    reference_sweeps = sweeps.reference_outcomes()
    records, curves = [], {}
    handles = {name: InProcessHandle(namespace_of(keys)) for name, keys in CLASS.items()}
    handles["stubby"] = InProcessHandle.from_file(STUB)
    for student, handle in handles.items():
        records.append(graded_record(student, grade(handle, probes, diagnoser), ISOLATION))
        curves[student] = sweeps.curves(handle.run(sweeps.encoded_sweep_calls()), reference_sweeps)
    records.append(error_record("zed", "syntax error at line 12: invalid syntax", ISOLATION, ErrorKind.SYNTAX))
    results = ClassResults(ASSIGNMENT, MAX_SCORE, records, [],
                           {"grader_version": "test", "isolation": ISOLATION, "seed": SEED,
                            "elapsed_seconds": 1.25, "jobs": 1, "started": "2025-06-11T09:00:00+00:00"})
    return probes, results.to_json(), curves     # as results.json holds it


@pytest.fixture(scope="module")
def graded():
    return graded_class()


@pytest.fixture(scope="module")
def report(graded):
    _, results, _ = graded
    return render_class_report(ClassResults.from_json(results))


@pytest.fixture(scope="module")
def feedback(graded):
    """Each student's feedback: (HTML page with curves, Markdown)."""
    _, results, curves = graded
    records = ClassResults.from_json(results).students
    return {r.student: (render_feedback_html(r, curves.get(r.student)), render_feedback_md(r)) for r in records}


def record_of(results, student):
    return next(r for r in results["students"] if r["student"] == student)


# ------------------------------------------------------------------ HTML reading

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """Collects what the tests read from a page; fails on unbalanced tags."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.elements, self.text = [], [], [], []
        self.feed(html)
        self.close()
        if self.stack:
            self.errors.append(f"unclosed: {self.stack}")

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag=None, **attrs):
        return [a for t, a in self.elements if (tag is None or t == tag)
                and all(a.get(k.replace("_", "-")) == v if v is not True else k.replace("_", "-") in a
                        for k, v in attrs.items())]

    @property
    def ids(self):
        return {a["id"] for _, a in self.elements if "id" in a}

    @property
    def plain(self):
        return " ".join(" ".join(self.text).split())


def check_page(html: str) -> Page:
    """Well-formed, self-contained (CSP, no external reference), every
    image an embedded PNG, every in-page link pointing at an element."""
    page = Page(html)
    assert html.startswith("<!DOCTYPE html>")
    assert not page.errors, page.errors
    assert page.all("meta", http_equiv="Content-Security-Policy")[0]["content"] == CSP
    assert not page.all("script") and not page.all("link") and not page.all("iframe")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:|//)", html), "external reference"
    assert "url(" not in html and "@import" not in html
    for img in page.all("img"):
        assert img["src"].startswith("data:image/png;base64,"), img["src"][:40]
        data = base64.b64decode(img["src"].split(",", 1)[1], validate=True)
        assert data.startswith(PNG) and len(data) > 1000
        assert img.get("alt")
    for link in page.all("a", href=True) + page.all("area", href=True):
        href = link["href"]
        assert href.startswith("#"), href
        assert href[1:] in page.ids, f"dangling link {href}"
    return page


# ------------------------------------------------------------------ class report

def test_class_report_counts_match_the_results(graded, report):
    _, results, _ = graded
    page = check_page(report)
    graded_records = [r for r in results["students"] if r["status"] == "graded"]
    stats = {a["data-stat"]: a for a in page.all(data_stat=True)}
    assert int(stats["total"]["data-count"]) == len(results["students"]) == len(CLASS) + 2
    assert int(stats["graded"]["data-count"]) == len(graded_records) == len(CLASS) + 1
    assert int(stats["errors"]["data-count"]) == 1
    scores = [r["score"] for r in graded_records]
    assert math.isclose(float(stats["mean"]["data-value"]), statistics.fmean(scores))
    assert math.isclose(float(stats["median"]["data-value"]), statistics.median(scores))

    expected = Counter(m for r in graded_records for m in {m for f in r["functions"].values() for m in f["mistakes"]})
    rows = {a["data-mistake"]: int(a["data-count"]) for a in page.all("tr", data_mistake=True)}
    assert rows == dict(expected)
    # every variant used is named (the diagnosis works) and shared ones count twice
    assert {k[0] for keys in CLASS.values() for k in keys} <= set(rows)
    assert rows["sum-not-mean"] >= 2
    # table rows are sorted, most frequent first, and link to their lesson passage
    counts = [int(a["data-count"]) for a in page.all("tr", data_mistake=True)]
    assert counts == sorted(counts, reverse=True)
    lesson = {a["data-lesson"]: int(a["data-count"]) for a in page.all("article", data_lesson=True)}
    assert set(lesson) == set(MISTAKES) and all(lesson[m] == expected.get(m, 0) for m in MISTAKES)
    areas = page.all("area")
    assert [a["href"] for a in areas] == [f"#lesson-{MISTAKES[a['data-mistake']].anchor}"
                                          for a in page.all("tr", data_mistake=True)]
    chart = page.all("img", usemap="#mistake-map")[0]["src"]
    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(chart.split(",", 1)[1])))
    for area in areas:       # each clickable rectangle holds its bar (the chart's blue)
        x0, y0, x1, y1 = map(int, area["coords"].split(","))
        row = pixels[(y0 + y1) // 2, x0:x1, :3]
        assert (np.abs(row - BAR_RGB).sum(axis=1) < 0.02).sum() > 10, area

    passed = Counter(t["name"] for r in graded_records for t in r["tests"] if t["passed"])
    for row in page.all("tr", data_check=True):
        assert int(row["data-count"]) == passed[row["data-check"]]
        assert math.isclose(float(row["data-pass-rate"]), passed[row["data-check"]] / len(graded_records), abs_tol=1e-6)
    assert len(page.all("tr", data_check=True)) == len(RUBRIC)
    full = {f: sum(r["functions"][f]["score"] == r["functions"][f]["max_score"] for r in graded_records) for f in FUNCTIONS}
    assert {a["data-function"]: int(a["data-count"]) for a in page.all("tr", data_function=True)} == full

    errors = page.all("tr", data_error=True)
    assert [e["data-error"] for e in errors] == ["zed"]
    assert "syntax error at line 12" in page.plain
    for label in ("Grader version", "Probe seed", "Parallel jobs", str(SEED), ISOLATION):
        assert label in page.plain
    assert len(page.all("img")) == 3      # histogram, mistake bars, heat map


def test_class_report_links_feedback_pages(graded):
    _, results, _ = graded
    html = render_class_report(ClassResults.from_json(results), feedback_links={"ben": "feedback/ben.html"})
    assert '<a href="feedback/ben.html">ben</a>' in html


def test_class_report_of_a_class_in_error_only():
    records = [error_record("a", "timed out while loading the submission (over 10 s)", "bubblewrap", ErrorKind.TIMEOUT),
               error_record("b", "no losses.py or notebook (.ipynb) found in b/", "bubblewrap", ErrorKind.NO_FILE)]
    html = render_class_report(ClassResults(ASSIGNMENT, MAX_SCORE, records, [], {}))
    page = check_page(html)
    assert {a["data-stat"]: a.get("data-count") for a in page.all(data_stat=True)}["graded"] == "0"
    assert not page.all("tr", data_mistake=True) and "not recorded" in page.plain


def test_terminal_summary(graded, tmp_path):
    _, results, _ = graded
    text = terminal_summary(ClassResults.from_json(results), tmp_path / "report.html")
    lines = text.splitlines()
    graded_records = [r for r in results["students"] if r["status"] == "graded"]
    assert lines[0].startswith(f"Graded {len(graded_records)} of {len(results['students'])} submissions, 1 in error")
    assert ISOLATION in lines[0]
    scores = [r["score"] for r in graded_records]
    assert f"mean {statistics.fmean(scores):.1f}, median {statistics.median(scores):.1f}" in text
    counts = Counter(m for r in graded_records for m in {m for f in r["functions"].values() for m in f["mistakes"]})
    listed = [(int(line.split()[0]), line.split()[1]) for line in lines[3:-1]]
    assert len(listed) == min(5, len(counts))
    assert all(counts[m] == n for n, m in listed) and [n for n, _ in listed] == sorted((n for n, _ in listed), reverse=True)
    assert listed[0][0] == max(counts.values())
    assert lines[-1] == f"Report: {(tmp_path / 'report.html').resolve()}"


# ------------------------------------------------------------------ feedback pages

def test_feedback_pages(graded, feedback):
    _, results, _ = graded
    for record in results["students"]:
        html, md = feedback[record["student"]]
        page = check_page(html)
        score = page.all("div", data_score=True)[0]
        assert float(score["data-score"]) == record["score"]
        assert f"**Score: {record['score']:g} / {record['max_score']:g} points**" in md
        if record["status"] != "graded":
            assert "syntax error at line 12" in page.plain and "python losses.py" in page.plain
            assert not page.all("img")
            continue
        for part in PARTS:
            assert part in page.plain and part in md
        shown = {a["data-function"]: float(a["data-score"]) for a in page.all("tr", data_function=True)}
        assert shown == {f: float(record["functions"][f]["score"]) for f in FUNCTIONS}
        named = {m for f in record["functions"].values() for m in f["mistakes"]}
        assert {a["data-mistake"] for a in page.all("article", data_mistake=True)} == named
        for m in named:
            assert MISTAKES[m].title in page.plain and MISTAKES[m].feedback in page.plain
            assert MISTAKES[m].lesson.split(" — ")[0] in page.plain and MISTAKES[m].feedback in md
        failed = [t for t in record["tests"] if not t["passed"]]
        assert bool(failed) == ("What to fix" in page.plain)


def test_feedback_shows_curves_for_failing_losses(graded, feedback):
    _, results, _ = graded
    figures = {s: {a["data-curve"]: a["data-agrees"] for a in check_page(feedback[s][0]).all("figure", data_curve=True)}
               for s in CLASS}
    assert figures["ada"] == {}
    assert figures["ben"]["binary_cross_entropy"] == "no"
    assert "bce" not in figures["ben"]          # its bce is right: only its helper is wrong (carried forward)
    assert figures["dee"]["mse_grad"] == "no" and figures["dee"]["softmax:large-logits"] == "no"
    assert figures["fay"]["binary_cross_entropy:negative"] == "no"
    # y = 1 does not show the mistake: that sweep agrees and is not drawn, only named
    assert "binary_cross_entropy" not in figures["fay"]
    fay = check_page(feedback["fay"][0])
    assert fay.all("p", data_agreeing="1") and sweeps.table()["binary_cross_entropy"].title.lower() in fay.plain
    # no page draws a curve that agrees with the right one
    assert all(v == "no" for f in figures.values() for v in f.values())
    assert figures["fay"]["softmax_cross_entropy"] == "no"
    assert figures["gus"]["epoch_mean"] == "no" and figures["gus"]["bce_grad"] == "no"
    # only functions that lost points are drawn
    for student in CLASS:
        record = record_of(results, student)
        for name in figures[student]:
            function = sweeps.table()[name].function
            assert record["functions"][function]["score"] < record["functions"][function]["max_score"]
    # the stub's unimplemented functions get one line, no empty plots
    stub = check_page(feedback["stubby"][0])
    assert not stub.all("img") and int(stub.all(data_not_run=True)[0]["data-not-run"]) == len(FUNCTIONS)


def floats_in(value) -> list[float]:
    """Every number inside call arguments or outcomes (arrays, tuples, lists, Values)."""
    if isinstance(value, Outcome):
        return floats_in(value.value) if value.ok else []
    if hasattr(value, "payload") and hasattr(value, "tag"):
        return floats_in(value.payload)
    if isinstance(value, (tuple, list)):
        return [x for v in value for x in floats_in(v)]
    if isinstance(value, np.ndarray):
        return [float(v) for v in value.ravel()] if value.dtype.kind in "biuf" else []
    if isinstance(value, (float, int, np.floating, np.integer)) and not isinstance(value, bool):
        return [float(value)]
    return []


def call_floats(call: dict) -> list[float]:
    return floats_in([decode_arg(a) for a in call["args"]] + [decode_arg(v) for v in call["kwargs"].values()])


def _hidden_strings(probes) -> set[str]:
    """Every float of the hidden probes' arguments and of the reference's
    outputs, written the ways a page could print it (6+ significant digits)."""
    numbers = [x for call in probes.encoded for x in call_floats(call)] + floats_in(probes.reference)
    strings = set()
    for x in numbers:
        if not math.isfinite(x):
            continue
        for text in {repr(x), str(np.float64(x)), *(f"{x:.{n}g}" for n in range(6, 18)), *(f"{x:.{n}f}" for n in range(6, 10))}:
            digits = re.sub(r"e.*$", "", text).replace("-", "").replace(".", "").strip("0")
            if len(digits) >= 6:
                strings.add(text)
    return strings


def test_feedback_never_shows_hidden_probes(graded, feedback):
    probes, results, _ = graded
    hidden = _hidden_strings(probes)
    assert len(hidden) > 1000
    for record in results["students"]:
        for text in feedback[record["student"]]:
            text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", text)
            tokens = set(re.findall(r"[-+]?[\d.]+(?:e[-+]?\d+)?", text))
            leaked = {t for t in tokens if t in hidden} | {h for h in hidden if len(h) >= 8 and h in text}
            assert not leaked, (record["student"], sorted(leaked)[:5])


def test_a_quoted_probe_value_is_hidden(graded):
    """A student's own error message can quote the probe it was given: the
    page hides long numbers in what it quotes."""
    probes, results, _ = graded
    value = next(float(v) for call in probes.encoded for a in call["args"] if a["t"] == "nd"
                 for v in np.ravel(decode_arg(a)) if abs(v) > 0.01 and len(repr(float(v))) > 12)
    record = json.loads(json.dumps(record_of(results, "ben")))
    test = next(t for t in record["tests"] if not t["passed"])
    title = next(c.title for c in RUBRIC if c.name == test["name"])
    test["detail"] = f"raised ValueError: bad p={value!r} at (3, 1)"
    test["feedback"] = f"Failed: {title}. What happened: {test['detail']}."
    typed = StudentRecord.from_json(record)
    for text in (render_feedback_html(typed, None), render_feedback_md(typed)):
        assert repr(value) not in text and "[value hidden]" in text and "(3, 1)" in text
    # a four-digit factor is a probe's right value in other digits (issue 15): hidden too
    assert scrub("a factor of 0.3854, shape (5, 3), 1e-08") == "a factor of [value hidden], shape (5, 3), 1e-08"
    assert scrub("exactly 1.5 times the right values, shape (5, 3), 1e-08, line 1234") == \
        "exactly 1.5 times the right values, shape (5, 3), 1e-08, line 1234"
    assert scrub("got -1.234567e-05 and 123.456789") == "got [value hidden] and [value hidden]"


# ------------------------------------------------------------------ sweeps

REQUIRED_SWEEPS = ["squared_error", "binary_cross_entropy", "categorical_cross_entropy", "mse", "bce", "cce",
                   "mse_grad", "bce_grad", "cce_grad", "sigmoid", "softmax", "bce_with_logits",
                   "bce_with_logits_grad", "softmax_cross_entropy", "softmax_cross_entropy_grad"]


def test_sweeps_cover_the_losses_and_gradients():
    assert set(REQUIRED_SWEEPS) <= set(sweeps.table())
    calls = sweeps.sweep_calls()
    assert len(calls) == sum(len(s.calls) for s in sweeps.table().values()) == len(sweeps.encoded_sweep_calls())
    assert [c.fn for c in calls] == [s.function for s in sweeps.table().values() for _ in s.calls]
    bce = sweeps.table()["binary_cross_entropy"]
    assert bce.vector and len(bce.calls) == 1 and len(bce.x) >= 100
    p = bce.calls[0].args[0]
    assert p[0] == 0.0 and p[-1] == 1.0 and np.all(np.diff(p) > 0)
    for name in ("mse", "bce", "cce", "mse_grad", "bce_grad", "cce_grad", "bce_with_logits", "softmax_cross_entropy"):
        sweep = sweeps.table()[name]
        assert not sweep.vector and len(sweep.calls) == len(sweep.x)
        first, second = (np.asarray(a) for a in (sweep.calls[0].args[0], sweep.calls[1].args[0]))
        moved = np.argwhere(first != second)
        assert len(moved) and (moved[:, 0] == 0).all(), name          # only sample 0 moves
    curves = sweeps.curves(sweeps.reference_outcomes())
    json.dumps({n: c.to_json() for n, c in curves.items()}, allow_nan=False)
    for name, curve in curves.items():
        assert curve.student == curve.reference and None not in curve.reference, name
        assert len(curve.x) == len(curve.reference) and not curve.problems
        assert sweeps.Curve.from_json(json.loads(json.dumps(curve.to_json()))) == curve


def test_sweep_grids_are_not_the_hidden_probes():
    """Apart from round integers (0, 1, labels, batch sizes, +-1000) no value
    of a sweep is a value a check probes with, for any seed."""
    swept = {v for call in sweeps.encoded_sweep_calls() for v in call_floats(call)}
    for seed in (0, 1, SEED):
        probed = {v for call in make_probes(seed).encoded for v in call_floats(call) if math.isfinite(v)}
        shared = {v for v in swept & probed if v != int(v)}
        assert not shared, sorted(shared)[:10]


def test_curves_read_what_the_student_returned():
    reference = sweeps.reference_outcomes()
    cut = sweeps.curves(reference[: sweeps.spans()["mse"].start + 3], reference)   # a run cut off after 3 mse calls
    assert cut["mse"].student[:3] == cut["mse"].reference[:3]
    assert set(cut["mse"].student[3:]) == {None} and cut["mse"].problems == ["no result came back"]
    outcomes = list(reference)
    outcomes[sweeps.spans()["binary_cross_entropy"].start] = Outcome("raised", error_type="ValueError", value_error=True)
    raised = sweeps.curves(outcomes, reference)["binary_cross_entropy"]
    assert set(raised.student) == {None} and raised.problems == ["raised ValueError"]
    shaped = sweeps.curves(InProcessHandle(namespace_of([("label-indexing", "categorical_cross_entropy")]))
                           .run(sweeps.encoded_sweep_calls()), reference)["categorical_cross_entropy"]
    assert set(shaped.student) == {None} and "shape" in shaped.problems[0]
    unclipped = sweeps.curves(InProcessHandle(namespace_of([("no-clipping", "binary_cross_entropy")]))
                              .run(sweeps.encoded_sweep_calls()), reference)["binary_cross_entropy"]
    assert unclipped.student[0] is None and unclipped.student[1] is not None
    assert unclipped.problems == ["returned inf or NaN"]


# ------------------------------------------------------------------ headless browser

LOAD_PROBLEMS = re.compile(r"Failed to load resource|Refused to|violates the following Content Security Policy|"
                           r"net::ERR_|Uncaught|:CONSOLE\(|:CONSOLE:", re.IGNORECASE)
BROWSER_OWN = re.compile(r"source: (?:chrome|chrome-untrusted|devtools|chrome-extension)://")


def load_problems(log: str) -> list[str]:
    """Console messages and failed or refused loads of the page (the
    browser's own internal pages log to the console too: not ours)."""
    return [line for line in log.splitlines() if LOAD_PROBLEMS.search(line) and not BROWSER_OWN.search(line)]


def _chromium() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"Debian chromium is not installed ({path} not found): the HTML reports cannot be checked in a "
                    "browser. Install it with `bash scripts/system-deps.sh` (as root) or `apt-get install -y chromium`.")
    return path


def _offline_prefix() -> list[str]:
    """Run the browser in a network namespace of its own when the system lets us."""
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if shutil.which(prefix[0]) and subprocess.run(prefix + ["true"], capture_output=True).returncode == 0:
            return prefix
    return []


def open_in_browser(page: Path, screenshot: Path, height: int = 2400) -> str:
    """Load a page from disk in headless chromium with the network off,
    save a screenshot, return the browser's log."""
    with tempfile.TemporaryDirectory() as profile:
        command = _offline_prefix() + [
            _chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr", "--v=0", f"--window-size=1280,{height}",
            f"--screenshot={screenshot}", page.resolve().as_uri()]
        run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    log = run.stdout + run.stderr
    assert run.returncode == 0, log[-2000:]
    assert screenshot.read_bytes().startswith(PNG), log[-2000:]
    return log


def test_pages_in_a_headless_browser(report, feedback, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {"report": (report, 3200), "feedback_gus": (feedback["gus"][0], 2600),
             "feedback_zed": (feedback["zed"][0], 900)}
    for name, (html, height) in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        shutil.copy(path, ARTIFACTS / path.name)
        log = open_in_browser(path, ARTIFACTS / f"{name}.png", height)
        assert not load_problems(log), (name, load_problems(log))
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 20_000       # something was drawn

    # the check is not blind: a page that loads from outside, or runs a script, is caught
    head = f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}"></head>'
    bad = tmp_path / "bad.html"
    bad.write_text(head + '<body><img src="http://example.invalid/x.png" alt="x">'
                   '<script>console.error("boom")</script></body></html>')
    log = open_in_browser(bad, tmp_path / "bad.png", 300)
    assert len(load_problems(log)) >= 2, log[-2000:]
