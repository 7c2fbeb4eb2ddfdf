"""Wording shared by the feedback pages and the class report, and the
Jinja2 environment both render with."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2

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


def what_happened(test: dict) -> str:
    """What a failed check saw the student's function do (the record's
    ``detail``; the mistakes are listed on their own)."""
    return scrub(plain_words(test, str(test.get("detail", "")).rstrip(".")))


# What each item of a function's tuple is (the reference's return statement;
# tests/test_pages.py holds the two equal).
RETURN_ITEMS = {"linear_regression_step": ("w_new", "b_new", "loss")}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
# Functions whose result is a count, a share or an index: a ratio to the
# right value is a coincidence of two fractions, not a factor a formula made.
NO_FACTOR = frozenset({"accuracy", "best_epoch", "loss_for_output"})

_ITEM = re.compile(r"\b(?:item (\d+)|the (first|second|third|fourth|fifth|sixth) item) of the tuple: ")
_FACTOR = re.compile(r"the value is (?:exactly )?[^;]*?the right value(?:, with the wrong sign)?(?: \([^)]*\))?")
_LET_THROUGH = re.compile(r"^returned a result where the contract asks for a ValueError; input: (.*)$")
_ARRAY = re.compile(r"a \(([\d, ]*)\) array")


def plain_words(test: dict, text: str) -> str:
    """A failed check's "what happened", said in the student's terms: a
    tuple's item by its name, no factor for a count or a share, and for a
    "refuses ..." check the input that got through."""
    function = test.get("function", "")
    names = RETURN_ITEMS.get(function)

    def item(match: re.Match) -> str:
        index = int(match.group(1)) if match.group(1) else ORDINALS.index(match.group(2))
        ordinal = ORDINALS[index] if index < len(ORDINALS) else f"item {index + 1}"
        if names and index < len(names):
            return f"`{names[index]}`, the {ordinal} item returned: "
        return f"the {ordinal} item of the tuple: "
    text = _ITEM.sub(item, text)
    if function in NO_FACTOR:
        text = _FACTOR.sub("the value is not the right one", text)
    through = _LET_THROUGH.match(text)
    if through:
        what = slipped_through(check_title(test), through.group(1))
        if what:
            text = f"let {what} through without a ValueError (the contract refuses it); input: {through.group(1)}"
    return text


def slipped_through(title: str, inputs: str) -> str | None:
    """Which of the inputs a "refuses ..." check lists got through, read from
    the failing call's kinds and shapes (``grading.describe_call``), or None
    when they do not tell (logits and bad labels have the valid shapes)."""
    if inputs.startswith("the public case"):
        return None
    shapes = [tuple(int(n) for n in re.findall(r"\d+", s)) for s in _ARRAY.findall(inputs)]
    if "an empty " in inputs or any(0 in s for s in shapes):
        return "an empty batch" if "empty" in title or "no batches" in title else "an empty input"
    about_shapes = re.search(r"column|mismatched|shape|length", title)
    if about_shapes and len(shapes) >= 2 and shapes[0] != shapes[1]:
        a, b = shapes[0], shapes[1]
        if len(a) == 2 and a[1] == 1 and b == a[:1]:
            return "an (m, 1) column against (m,) targets"
        if len(b) == 2 and b[1] == 1 and a == b[:1]:
            return "(m,) values against an (m, 1) column of targets"
        if len(a) == len(b) or a[:1] != b[:1]:        # (m, K) probabilities and (m,) labels are a valid pair
            return "inputs of different lengths" if "length" in title else "inputs of mismatched shapes"
    if "learning rate" in title and len(shapes) >= 2:
        return "a learning rate that is not positive"
    return None


def check_title(test: dict) -> str:
    return CHECK_TITLES.get(test["name"], test["name"])
