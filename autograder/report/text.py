"""Wording shared by the feedback pages and the class report, and the
Jinja2 environment both render with."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

if TYPE_CHECKING:
    from autograder.classrun.records import TestRecord

from autograder.grading.compare import hide_numbers
from autograder.grading.mistakes.catalogue import MISTAKES
from autograder.grading.rubric import RUBRIC

TEMPLATES = Path(__file__).resolve().parent / "templates"

# A page may be opened from disk anywhere: nothing outside it may load.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

CHECK_TITLES = {c.name: c.title for c in RUBRIC}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.globals.update(CSP=CSP, MISTAKES=MISTAKES)
    env.filters["points"] = points
    env.filters["sentence"] = sentence
    env.filters["percent"] = lambda share: "n/a" if share is None else f"{100 * share:.0f}%"
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


_WORD = re.compile(r"([a-z]+)(.?)")


def sentence(text: str) -> str:
    """The text as the start of a sentence: its first word capitalised, unless
    that word is code ("w - lr * grad", "sigmoid(z) - y", "y_hat"): a
    variable keeps its case. A first word counts as English when it is "a"
    or two letters or more and not followed by "(", "_", "[" or "."."""
    match = _WORD.match(text)
    if not match:
        return text
    word, after = match.groups()
    if (len(word) == 1 and word != "a") or after in ("(", "_", "[", ".") and not text[match.end():match.end() + 1].isspace():
        return text
    return text[:1].upper() + text[1:]


def points(value) -> str:
    """12.0 -> '12', 2.5 -> '2.5'."""
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def scrub(text: str) -> str:
    """Hide long numbers in a sentence that may quote a student's error
    message (``compare.hide_numbers``). The records are written clean; this
    also covers a record from an older run read back on resume."""
    return hide_numbers(text)


def what_happened(test: TestRecord) -> str:
    """What a failed check saw the student's function do: the record's
    ``detail``, worded in the student's terms when it was graded
    (``grading.findings.say``) and shown as it is stored (a record read back
    from an older results.json too); the mistakes are listed on their own."""
    return scrub(test.detail.rstrip("."))


def check_title(name: str) -> str:
    return CHECK_TITLES.get(name, name)
