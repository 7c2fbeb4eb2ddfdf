"""What a failed check found, as data, and the one place it becomes words.

A check's judge (``checks.base``) reports a ``Finding``: what kind of
difference it saw (``FindingKind``), in which item of a returned tuple, the
factor the lesson names if any, and the failing call's inputs as data (a
public case's id, or each argument's kind and shape). ``say`` turns it into
the sentence a student reads, in the student's terms when it is told the
check it belongs to: a tuple's item by its name (``RETURN_ITEMS``), no factor
for a count, a share or an index (``NO_FACTOR``), and for a "refuses ..."
check the input that got through, read from the check's title and the
inputs' shapes. Nothing reads a sentence back.

Every string a ``Finding`` holds was written by the grader from what it can
vouch for (``compare``): a builtin exception's name, a shape made of the
right result's own dimensions, a known dtype, a factor the lesson names, the
sandbox's own words on a crash. None is a probe value, a right value or text
the student's code chose, and the inputs are kinds and shapes, never values.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol


class FindingKind(enum.Enum):
    """How a call's outcome differs from the right one, or what else a
    check's judge saw."""
    # the call produced nothing to compare
    MISSING = "missing"                      # the function is not defined
    NOT_IMPLEMENTED = "not-implemented"      # raises NotImplementedError
    STOPPED = "stopped"                      # timed out, crashed, unreadable result (``got``: the sandbox's words)
    # errors
    LET_THROUGH = "let-through"              # returned a result where the contract asks for a ValueError
    WRONG_ERROR = "wrong-error"              # raised ``got`` where the contract asks for a ValueError
    RAISED = "raised"                        # raised ``got`` on a valid input
    # the result's form
    WRONG_TYPE = "wrong-type"                # returned ``got``, the contract asks for ``want``
    WRONG_SHAPE = "wrong-shape"              # returned ``got`` (a shape), ``want`` expected
    SQUARE_SHAPE = "square-shape"            # WRONG_SHAPE with an (m, m) result: an (m, 1) column broadcast?
    WRONG_DTYPE = "wrong-dtype"              # returned ``got`` (a dtype), float64 expected
    # the result's numbers
    RETURNED_NAN = "nan"                     # NaN where the right result is a number
    RETURNED_INF = "inf"                     # inf where the right result is finite
    WRONG_SIGN = "wrong-sign"
    FACTOR = "factor"                        # ``factor`` times the right value(s), a factor the lesson names
    UNNAMED_FACTOR = "unnamed-factor"        # all off by one factor, not one the lesson's mistakes make
    WRONG_VALUE = "wrong-value"              # a number, not the right one
    DIFFERENT_VALUE = "different-value"      # an int, string, bool or None, not the right one
    # what a check's own judge sees beyond one call's result
    MUTATED_INPUT = "mutated-input"          # wrote into argument ``argument``
    READ_ONLY_FAILED = "read-only-failed"    # a read-only copy of the inputs made the call fail
    FP_WARNING = "fp-warning"                # numpy reported ``got`` (floating-point errors) on large inputs
    NOT_ORDERED = "not-ordered"              # costs not ordered as they should be
    DEPENDS_ON_BATCH_SIZE = "depends-on-batch-size"   # the batch stacked twice changed the mean loss
    NOT_HALVED = "not-halved"                # the batch doubled did not halve each sample's gradient


@dataclass(frozen=True)
class Arg:
    """One argument of a probe call by kind and shape, never its values (the
    shapes are the contract's; the values are the hidden part)."""
    kind: str                        # "array", "list", "tuple", "bool", "integer", "number", "string", "None", "object"
    shape: tuple[int, ...] = ()      # an array's shape; (n,) for a list or tuple of n items
    holds: str = ""                  # what a list or tuple holds: "integers", "numbers", "lists", "items", ...
    read_only: bool = False          # an array the function may not write into


@dataclass(frozen=True)
class Input:
    """The inputs of the call that failed: the public case it is (the
    student has its numbers), or its arguments' kinds and shapes."""
    public_case: str | None = None   # "mse: the lesson's example"
    args: tuple[Arg, ...] = ()
    keywords: tuple[str, ...] = ()   # the names of its keyword arguments, sorted


@dataclass(frozen=True)
class Finding:
    """What a failed check saw, as data (see the module docstring)."""
    kind: FindingKind
    item: int | None = None          # the item of the returned tuple that differs, counted from 0
    many: bool = False               # the result holds several numbers ("the values are ...")
    factor: str = ""                 # FACTOR: "exactly 2 times the right values"
    got: str = ""                    # what the function did, in words the grader vouches for
    want: str = ""                   # what the contract asks for instead
    argument: int | None = None      # MUTATED_INPUT: the position of the argument written into
    input: Input | None = None       # the failing call, when one call failed


# What each item of a function's tuple is (the reference's return statement;
# tests/test_pages.py holds the two equal).
RETURN_ITEMS = {"linear_regression_step": ("w_new", "b_new", "loss")}
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
# Functions whose result is a count, a share or an index: a ratio to the
# right value is a coincidence of two fractions, not a factor a formula made.
NO_FACTOR = frozenset({"accuracy", "best_epoch", "loss_for_output"})


class CheckLike(Protocol):
    """What ``say`` needs of the check a finding belongs to (a ``Check`` or
    a ``scoring.CheckResult``)."""
    @property
    def function(self) -> str: ...

    @property
    def title(self) -> str: ...


def say(finding: Finding, check: CheckLike | None = None) -> str:
    """The sentence a student reads of ``finding``. Told the ``check`` it
    belongs to, in the student's terms: a tuple's item by its name, no
    factor for a count or a share, the input a "refuses ..." check let
    through."""
    return joined(*say_parts(finding, check))


INPUT = "; input: "     # what a sentence puts between what the function did and the input it did it on


def joined(what: str, inputs: str) -> str:
    """``say``'s sentence from its two parts (``say_parts``)."""
    return f"{what}{INPUT}{inputs}" if inputs else what


def say_parts(finding: Finding, check: CheckLike | None = None) -> tuple[str, str]:
    """``say``'s sentence in its two parts: what the function did, and the
    input it did it on ("" when the finding has none)."""
    function = check.function if check is not None else ""
    what = _what(finding, function)
    if finding.item is not None:
        what = _item(finding.item, function) + what
    if finding.input is None:
        return what, ""
    inputs = say_input(finding.input)
    if finding.kind is FindingKind.LET_THROUGH and finding.item is None and check is not None:
        through = slipped_through(check.title, finding.input)
        if through:
            what = f"let {through} through without a ValueError (the contract refuses it)"
    return what, inputs


def _ordinal(index: int) -> str:
    """0 -> 'first': a tuple's items counted as a reader counts them."""
    return ORDINALS[index] if 0 <= index < len(ORDINALS) else f"number {index + 1}"


def _item(index: int, function: str) -> str:
    names = RETURN_ITEMS.get(function)
    if names and 0 <= index < len(names):
        return f"`{names[index]}`, the {_ordinal(index)} item returned: "
    return f"the {_ordinal(index)} item of the tuple: "


def _what(finding: Finding, function: str) -> str:
    kind, many = finding.kind, finding.many
    if kind is FindingKind.FACTOR and function in NO_FACTOR:
        kind = FindingKind.WRONG_VALUE
    if kind is FindingKind.FACTOR:
        return f"the {'values are' if many else 'value is'} {finding.factor}"
    if kind is FindingKind.WRONG_SIGN:
        return "the values have the wrong sign" if many else "the value has the wrong sign"
    if kind is FindingKind.WRONG_VALUE:
        return "the values differ from the right ones" if many else "the value is not the right one"
    if kind is FindingKind.WRONG_TYPE:
        return f"returned {finding.got}; the contract asks for {finding.want}"
    if kind is FindingKind.WRONG_SHAPE:
        return f"returned {finding.got}, expected {finding.want}"
    if kind is FindingKind.SQUARE_SHAPE:
        return (f"returned {finding.got}, expected {finding.want} "
                "(an (m, m) result: did an (m, 1) column broadcast against (m,)?)")
    if kind is FindingKind.WRONG_DTYPE:
        return f"returned {finding.got}; the contract asks for float64"
    if kind is FindingKind.STOPPED:
        return finding.got
    if kind is FindingKind.RAISED:
        return f"raised {finding.got}"
    if kind is FindingKind.WRONG_ERROR:
        return f"raised {finding.got} where the contract asks for a ValueError"
    if kind is FindingKind.MUTATED_INPUT:
        return f"wrote into {_argument(finding.argument)} (inputs must never change: compute into a new array)"
    if kind is FindingKind.FP_WARNING:
        return f"numpy reported {finding.got} during the computation: the formula is not numerically stable for large inputs"
    return _FIXED[kind]


_FIXED = {
    FindingKind.MISSING: "the function is not defined",
    FindingKind.NOT_IMPLEMENTED: "not implemented yet (raises NotImplementedError)",
    FindingKind.LET_THROUGH: "returned a result where the contract asks for a ValueError",
    FindingKind.RETURNED_NAN: "returned NaN where the right result is a number",
    FindingKind.RETURNED_INF: "returned inf where the right result is finite",
    FindingKind.UNNAMED_FACTOR: "the values are all off by the same factor (not one the lesson's mistakes make)",
    FindingKind.DIFFERENT_VALUE: "returned a different value",
    FindingKind.READ_ONLY_FAILED: "a read-only input made the call fail where a writable copy did not: "
                                  "the function writes into its argument",
    FindingKind.NOT_ORDERED: "the costs are not ordered as they should be",
    FindingKind.DEPENDS_ON_BATCH_SIZE: "stacking the batch twice changed the loss: it depends on the batch size",
    FindingKind.NOT_HALVED: "doubling the batch did not halve each sample's gradient: the 1/m of the mean is missing",
}


def _argument(position: int | None) -> str:
    return f"its {('first', 'second', 'third', 'fourth', 'fifth')[position]} argument" \
        if position is not None and 0 <= position < 5 else "an argument"


# ------------------------------------------------------------------ inputs

def run_public_case(case_id: str) -> str:
    """The command that runs one public case on its own."""
    return f'python -m pytest "exercises/test_losses.py::test_public_case[{case_id}]"'


def say_arg(arg: Arg) -> str:
    """'a (5, 3) array', 'a list of 5 integers', 'an empty tuple', 'None'."""
    if arg.kind == "array":
        words = f"a {arg.shape} array" if arg.shape else "a 0-d array"
        return words + (" (read-only)" if arg.read_only else "")
    if arg.kind in ("list", "tuple"):
        count = arg.shape[0] if arg.shape else 0
        return f"a {arg.kind} of {count} {arg.holds}" if count else f"an empty {arg.kind}"
    if arg.kind == "None":
        return "None"
    return f"{'an' if arg.kind[:1] in 'aeiou' else 'a'} {arg.kind}"


def say_input(given: Input) -> str:
    """The failing call's inputs in words: 'a (5, 3) array and a list of 5
    integers, with eps', or the public case it is and how to run it."""
    if given.public_case is not None:
        return f'the public case "{given.public_case}" ({run_public_case(given.public_case)} runs it)'
    parts = [say_arg(a) for a in given.args]
    text = (", ".join(parts[:-1]) + " and " + parts[-1]) if len(parts) > 1 else (parts[0] if parts else "no input")
    if given.keywords:
        text += ", with " + " and ".join(given.keywords)
    return text


def slipped_through(title: str, given: Input) -> str | None:
    """Which of the inputs a "refuses ..." check (``title``) lists got
    through, from the failing call's kinds and shapes, or None when they do
    not tell (logits and bad labels have the valid shapes; a public case is
    named as itself)."""
    if given.public_case is not None:
        return None
    shapes = [a.shape for a in given.args if a.kind == "array" and a.shape]
    empty = any(a.kind in ("list", "tuple") and not (a.shape and a.shape[0]) for a in given.args)
    if empty or any(0 in s for s in shapes):
        return "an empty batch" if "empty" in title or "no batches" in title else "an empty input"
    about_shapes = any(word in title for word in ("column", "mismatched", "shape", "length"))
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
