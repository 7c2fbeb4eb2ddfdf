"""Public checks for losses.py. Run them with:

    python -m pytest exercises

Each case feeds fixed inputs to one of your functions and compares the result
with the expected value stored in public_cases.json. A failed case prints one
short paragraph: what the case shows, the input, what was expected and what
came back, and, when the numbers can only mean one mistake from the lesson,
a hint that names it (its id is in square brackets, as in docs/contract.md).
"""
import json
from pathlib import Path

import numpy as np
import pytest

CASES = json.loads((Path(__file__).with_name("public_cases.json")).read_text())["cases"]
RTOL, ATOL = 1e-7, 1e-10
# The stable forms must not overflow: in their cases numpy's floating-point
# warnings become errors (underflow to 0 is fine).
QUIET = dict(over="raise", divide="raise", invalid="raise")


def as_argument(arg):
    """A case's argument: a numpy array where the case says so, else the plain value."""
    if isinstance(arg, dict) and "array" in arg:
        a = np.array(arg["array"], dtype=arg.get("dtype", "float64"))
        if "shape" in arg:
            a = a.reshape(arg["shape"])
        if arg.get("readonly"):
            a.setflags(write=False)
        return a
    return arg


def short(value, width=60):
    """A value in a few words: its numbers (cut to ``width``) and, for an
    array, its shape, its dtype unless float64, and whether it is read-only."""
    if isinstance(value, np.ndarray):
        numbers = np.array2string(value, precision=6, separator=", ", threshold=12).replace("\n", "")
        text = " ".join(numbers.split())
        if len(text) > width:
            text = text[: width - 3] + "..."
        notes = [f"array {value.shape}"] + ([str(value.dtype)] if value.dtype != np.float64 else [])
        notes += [] if value.flags.writeable else ["read-only"]
        return f"{text} ({', '.join(notes)})"
    if isinstance(value, tuple):
        return "(" + ", ".join(short(v, 30) for v in value) + ")"
    text = repr(value)
    text = text if len(text) <= width else text[: width - 3] + "..."
    return text if isinstance(value, (list, str)) else f"{type(value).__name__} {text}"


def expected_text(expected):
    kind, want = next(iter(expected.items()))
    if kind == "raises":
        return "a ValueError (this input must be refused)"
    if kind == "tuple":
        return "a tuple (" + ", ".join(expected_text(e) for e in want) + ")"
    if kind == "array":
        return short(np.array(want, dtype=np.float64).reshape(expected["shape"]), 70)
    if kind == "float":
        return f"a Python float {want!r}"
    if kind == "int":
        return f"a Python int {want!r}"
    return f"the str {want!r}"


def wrong_result(got, expected):
    """Why ``got`` does not match ``expected``, in a few words, or '' when it does."""
    kind, want = next(iter(expected.items()))
    if kind == "tuple":
        if not isinstance(got, tuple) or len(got) != len(want):
            return f"expected a tuple of {len(want)} items"
        for position, (item, sub) in enumerate(zip(got, want)):
            problem = wrong_result(item, sub)
            if problem:
                return f"item {position + 1} of the tuple: {problem}"
        return ""
    if kind == "array":
        shape = tuple(expected["shape"])
        if not isinstance(got, np.ndarray):
            return f"expected a numpy array of shape {shape}"
        if got.shape != shape:
            return f"expected shape {shape}, got shape {got.shape}"
        if got.dtype != np.float64:
            return f"expected dtype float64, got {got.dtype}"
        if not np.allclose(got, np.array(want).reshape(shape), rtol=RTOL, atol=ATOL):
            return "wrong values"
        return ""
    if kind == "float":
        if not isinstance(got, float):
            return "expected a Python float (use float(...))"
        return "" if np.isclose(got, want, rtol=RTOL, atol=ATOL) else "wrong value"
    if kind == "int":
        if not isinstance(got, (int, np.integer)) or isinstance(got, bool):
            return "expected an int"
        return "" if got == want else "wrong value"
    return "" if got == want else "wrong value"


# ------------------------------------------------------------ hints

def _close(a, b):
    try:
        a = np.asarray(a, dtype=np.float64)
        b = np.asarray(b, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return a.shape == b.shape and bool(np.all(np.isfinite(a))) and bool(np.allclose(a, b, rtol=1e-6, atol=1e-9))


def _numbers(value):
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None


def _sizes(function, args):
    """The case's own m (samples), k (outputs per sample), N (elements) and K (classes)."""
    first = _numbers(args[0]) if args and not isinstance(args[0], str) else None
    if first is None or first.ndim == 0:
        return 1, 1, 1, 1
    m = first.shape[0]
    n = first.size
    k = n // m if first.ndim == 2 and m else 1
    return m, k, n, (first.shape[1] if first.ndim == 2 else 1)


BATCH_LOSSES = ("batch_mean", "mse", "bce", "cce")
GRADIENTS = ("mse_grad", "bce_grad", "cce_grad", "bce_with_logits_grad", "softmax_cross_entropy_grad")
CLIPPED = ("binary_cross_entropy", "bce", "categorical_cross_entropy", "cce", "bce_grad", "cce_grad")
SAME_SHAPE_PAIRS = ("squared_error", "binary_cross_entropy", "mse", "bce", "mse_grad", "bce_grad",
                    "bce_with_logits", "bce_with_logits_grad", "epoch_mean", "sgd_step",
                    "accuracy", "best_epoch")
# Which lesson mistake a number that will not stay finite (or a numpy
# floating-point error) shows, per function: one id, or several that fit
# equally (then the hint names none of them).
NOT_FINITE = {**{name: ("no-clipping",) for name in CLIPPED},
              "sigmoid": ("unstable-sigmoid",), "bce_with_logits_grad": ("unstable-sigmoid",),
              "softmax": ("unstable-softmax",), "softmax_cross_entropy_grad": ("unstable-softmax",),
              "bce_with_logits": ("naive-logits-loss",),
              "softmax_cross_entropy": ("naive-logits-loss", "unstable-softmax")}
NOT_FINITE_TEXT = {
    "no-clipping": "log(0) or a division by 0 where p is exactly 0 or 1: clip p to [eps, 1 - eps] first",
    "unstable-sigmoid": "exp overflows for large |z|: compute each sign of z with its own stable formula "
                        "(boolean masks, or exp(-|z|)), not np.where over both formulas",
    "unstable-softmax": "exp of large logits overflows: subtract each row's maximum first",
    "naive-logits-loss": "log(sigmoid(z)) or log(softmax(z)) reaches log(0) for large logits: "
                         "use the logits form given in the docstring",
}


def explanations(function, args, want, m, k, n, K):
    """The candidate explanations of a wrong result, in order: (mistake id or
    None, what it means, test of the result). An id of None is a cause that
    lies in another function this one calls: it is never named by an id, but
    it makes a tie."""
    def ratio(factor):
        return lambda got: _close(got, np.asarray(want, dtype=np.float64) * factor)

    out = []
    if function in BATCH_LOSSES and m > 1:
        out.append(("sum-not-mean", f"exactly m = {m} times too large: the losses were summed, "
                                    "not averaged over the batch", ratio(m)))
        if function == "batch_mean":
            out.append(("mean-off-by-one", f"{m}/{m - 1} times too large: divided by m - 1 instead of m",
                        ratio(m / (m - 1))))
        else:   # batch_mean dividing by m - 1 shows through here too
            out.append((None, "batch_mean divides by m - 1 instead of m", ratio(m / (m - 1))))
    if function == "batch_mean" and m == 1:
        out.append(("mean-off-by-one", "inf for a single sample: divided by m - 1 = 0 instead of m",
                    lambda got: isinstance(got, float) and np.isinf(got)))
    if function in ("squared_error", "mse"):
        out.append(("abs-not-square", "the absolute error instead of the squared error",
                    lambda got: _close(got, np.sqrt(np.asarray(want, dtype=np.float64)))))
    if function in ("binary_cross_entropy", "bce", "categorical_cross_entropy", "cce"):
        out.append(("wrong-log-base", "the log is base 10: use the natural log np.log", ratio(1 / np.log(10))))
        out.append(("wrong-log-base", "the log is base 2: use the natural log np.log", ratio(1 / np.log(2))))
    if function in ("categorical_cross_entropy", "cce") and K > 1:
        out.append(("mean-over-classes", f"exactly K = {K} times too small: averaged over the classes "
                                         "as well as the samples", ratio(1 / K)))
    if function in ("binary_cross_entropy", "bce"):
        p, y = _numbers(args[0]), _numbers(args[1])
        wrong = ((p >= 0.5) != (y >= 0.5)).astype(np.float64)
        counts = wrong if function == "binary_cross_entropy" else float(wrong.mean())
        out.append(("accuracy-as-loss", "counts wrong thresholded answers instead of the cross-entropy",
                    lambda got: _close(got, counts)))
        if function == "binary_cross_entropy" and np.all((y == 0) | (y == 1)):
            positive_only = np.where(y == 1, np.asarray(want, dtype=np.float64), 0.0)
            out.append(("missing-negative-class-term", "the (1 - y) log(1 - p) term is missing: "
                        "negative examples cost nothing", lambda got: _close(got, positive_only)))
    if function in GRADIENTS:
        scale = n if function == "mse_grad" else m
        if scale > 1:
            out.append(("grad-missing-mean", f"exactly {'N' if function == 'mse_grad' else 'm'} = {scale} "
                                             "times too large: the 1/m of the mean is missing", ratio(scale)))
        out.append(("grad-sign-flipped", "the sign is flipped: this gradient points uphill", ratio(-1)))
    if function == "mse_grad":
        if k > 1:
            out.append(("grad-divides-by-m-not-N", f"exactly k = {k} times too large: divided by m instead "
                                                   f"of N = m * k = {n}", ratio(k)))
        out.append(("grad-missing-2", "exactly half: the factor 2 of d/dx x**2 = 2x is missing", ratio(0.5)))
        out.append(("grad-of-mae", "only the sign of the error, over N: the gradient of the absolute error",
                    lambda got: _close(got, np.sign(np.asarray(want, dtype=np.float64)) / n)))
    if function == "bce_grad":
        pc = np.clip(_numbers(args[0]), 1e-8, 1 - 1e-8)
        out.append(("logits-grad-for-probs", "(p - y) / m is the gradient with respect to the logits, "
                    "not the probabilities", ratio(pc * (1 - pc))))
    if function == "cce_grad":
        probs = _numbers(args[0])
        if probs is not None and probs.ndim == 2:
            logit_grad = probs / m + np.asarray(want, dtype=np.float64) * np.clip(probs, 1e-8, 1 - 1e-8)
            out.append(("logits-grad-for-probs", "(probs - t) / m is the gradient with respect to the logits, "
                        "not the probabilities", lambda got: _close(got, logit_grad)))
    if function == "categorical_cross_entropy" and np.ndim(args[1]) == 1 and m > 1:
        out.append(("label-indexing", f"an ({m}, {m}) result: probs[:, y] picks a block, "
                    "probs[np.arange(m), y] one entry per row",
                    lambda got: isinstance(got, np.ndarray) and got.shape == (m, m)))
    if function == "softmax" and m > 1 and np.ndim(args[0]) == 2:
        def columns_sum_to_one(got):
            got = _numbers(got)
            return (got is not None and got.shape == np.shape(args[0]) and _close(got.sum(axis=0), np.ones(k))
                    and not _close(got.sum(axis=1), np.ones(m)))
        out.append(("softmax-wrong-axis", "the columns sum to 1, not the rows: normalise over the classes "
                    "(axis=-1), not over the batch", columns_sum_to_one))
    if function == "epoch_mean":
        plain = float(np.mean(_numbers(args[0])))
        out.append(("unweighted-epoch-mean", "the plain mean of the batch means: weight each by its batch size",
                    lambda got: _close(got, plain)))
    if function == "sgd_step":
        w = _numbers(args[0])
        out.append(("gradient-ascent", "the step went uphill: w - lr * grad, not w + lr * grad",
                    lambda got: _close(got, 2 * w - want)))
        out.append(("loss-as-update", "every weight moved by the same amount: the update must use the "
                    "gradient, one entry per weight",
                    lambda got: _numbers(got) is not None and np.shape(got) == w.shape and w.size > 1
                    and np.ptp(_numbers(got) - w) < 1e-12 and np.ptp(want - w) > 1e-9))
    if function == "linear_regression_step":
        w, b = _numbers(args[2]), float(args[3])
        w_want, b_want, loss_want = want

        def items(got, test):
            return isinstance(got, tuple) and len(got) == 3 and test(*got)
        def uphill(got):
            return items(got, lambda w_, b_, _: _close(w_, 2 * w - w_want) and _close(b_, 2 * b - b_want))
        out.append(("gradient-ascent", "the step went uphill: subtract lr times the gradient", uphill))
        out.append((None, "mse_grad has its sign flipped", uphill))
        out.append(("bias-grad-mean", f"the bias moved m = {m} times too little: g already carries the 1/m, "
                    "so the bias gradient is g.sum()",
                    lambda got: items(got, lambda w_, b_, _: _close(w_, w_want)
                                      and _close(b - _numbers(b_), (b - b_want) / m))))
        X, y = _numbers(args[0]), _numbers(args[1])
        after = float(np.mean((X @ w_want + b_want - y) ** 2))
        out.append(("loss-after-update", "this is the loss of the new weights: report the loss before the step",
                    lambda got: items(got, lambda w_, b_, loss: _close(w_, w_want) and _close(b_, b_want)
                                      and _close(loss, after))))
    if function == "best_epoch":
        by_train = int(np.argmin(_numbers(args[0])))
        out.append(("best-by-train-loss", "the epoch with the lowest training loss: "
                    "the validation loss decides", lambda got: got == by_train and by_train != want))
    if function == "loss_for_output" and str(args[0]).lower() in ("sigmoid", "softmax"):
        out.append(("mse-for-classification", "MSE for a probability output: sigmoid pairs with BCE, "
                    "softmax with CCE", lambda got: got == "mse"))
    return out


def hint_for(ids, texts):
    """One hint for the explanations that fit. A single mistake is named by
    its id; when several fit equally, the hint says each and names none."""
    if not ids:
        return ""
    if len(set(ids)) == 1 and ids[0] is not None:
        return f"hint: {texts[0]} [{ids[0]}]"
    return "hint: either " + ", or ".join(dict.fromkeys(texts))


def known_mistake(function, args, got, want):
    """The hint for a wrong result ``got`` (the right one is ``want``), or ''."""
    try:
        m, k, n, K = _sizes(function, args)
        candidates = explanations(function, args, want, m, k, n, K)
    except Exception:
        return ""
    numbers = _numbers(got)
    if numbers is not None and numbers.size and not np.any(numbers):
        return ""   # all zeros: too little to tell one mistake from another
    if numbers is not None and numbers.dtype.kind == "f" and not np.all(np.isfinite(numbers)) \
            and function != "batch_mean":
        found = NOT_FINITE.get(function, ())
        if function in CLIPPED:   # a log of 0 needs a p of exactly 0 or 1
            first = _numbers(args[0])
            found = found if first is not None and np.any((first == 0) | (first == 1)) else ()
        return hint_for(list(found), [NOT_FINITE_TEXT[i] for i in found])
    fitting = []
    for mistake, text, test in candidates:
        try:
            fits = test(got)
        except Exception:
            fits = False
        if fits:
            fitting.append((mistake, text))
    return hint_for([i for i, _ in fitting], [t for _, t in fitting])


def refusal_hint(function, args):
    """The hint when an input that must be refused was accepted, or ''."""
    arrays = [_numbers(a) for a in args[:2]]
    if function in SAME_SHAPE_PAIRS and len(arrays) == 2 and all(a is not None for a in arrays):
        shapes = sorted((a.shape for a in arrays), key=len)
        if len(shapes[0]) == 1 and shapes[1] == (shapes[0][0], 1) and shapes[0][0] > 0:
            return ("hint: an (m, 1) column met an (m,) vector and numpy broadcast them: compare the shapes "
                    "first [silent-broadcast]")
    first = arrays[0]
    if function == "binary_cross_entropy" and first is not None and first.size and \
            np.any((first < 0) | (first > 1)):
        return "hint: p outside [0, 1] are logits: refuse them with a ValueError [accepts-logits]"
    if function == "categorical_cross_entropy" and first is not None and first.ndim == 2 and first.size and \
            (np.any(first < 0) or not np.allclose(first.sum(axis=1), 1)):
        return "hint: rows that are not distributions are logits: refuse them with a ValueError [accepts-logits]"
    return ""


# ------------------------------------------------------------ one case

def describe_input(case, args, kwargs):
    names = case.get("params") or [f"argument {i + 1}" for i in range(len(args))]
    parts = [f"{name} = {short(value)}" for name, value in zip(names, args)]
    parts += [f"{key} = {value!r}" for key, value in kwargs.items()]
    return "; ".join(parts)


def _changed(before, after):
    if isinstance(before, np.ndarray):
        return before.shape != after.shape or not np.array_equal(before, after, equal_nan=True)
    return False


def run_case(function, case):
    """Run one public case: None when every call passes, else the paragraph
    that says what went wrong in the first call that failed."""
    for call in case["calls"]:
        problem = run_call(function, case, call)
        if problem:
            return problem
    return None


def run_call(function, case, call):
    args = [as_argument(a) for a in call["args"]]
    kwargs = dict(call["kwargs"])
    expected = call["expected"]
    copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    what = f" ({call['what']})" if call.get("what") else ""
    lines = [f"{case['function']}: {case['note']}", f"  input{what}: {describe_input(case, copies, kwargs)}"]
    want_text = f"  expected: {expected_text(expected)}"
    try:
        with np.errstate(**(QUIET if case.get("quiet") else {})):
            got = function(*args, **kwargs)
    except NotImplementedError:
        return f"{case['function']}: {case['note']}\n  not implemented yet (the function raises NotImplementedError)"
    except FloatingPointError as exc:
        found = NOT_FINITE.get(case["function"], ())
        hint = hint_for(list(found), [NOT_FINITE_TEXT[i] for i in found]) if found else ""
        lines += [want_text, f"  got:      numpy reported {exc}: no overflow is allowed here, "
                             "the formula is not numerically stable"]
        return "\n".join(lines + (["  " + hint] if hint else []))
    except Exception as exc:
        if not ("raises" in expected and isinstance(exc, ValueError)):
            message = (str(exc).splitlines() or [""])[0][:100]
            lines += [want_text, f"  got:      {type(exc).__name__}: {message}"]
            if isinstance(exc, ValueError) and "read-only" in message:
                lines.append("  hint: the function writes into its input: compute into a new array [mutates-input]")
            return "\n".join(lines)
        got = None
    else:
        if "raises" in expected:
            lines += [want_text, f"  got:      {short(got)}, and no error"]
            hint = refusal_hint(case["function"], args)
            return "\n".join(lines + (["  " + hint] if hint else []))
    names = case.get("params") or []
    for position, (before, after) in enumerate(zip(copies, args)):
        if _changed(before, after):
            name = names[position] if position < len(names) else f"argument {position + 1}"
            lines.append(f"  got:      the call changed its input {name} (now {short(after, 40)})")
            lines.append("  hint: inputs must never change: compute into a new array [mutates-input]")
            return "\n".join(lines)
    if "raises" in expected:
        return None
    problem = wrong_result(got, expected)
    if not problem:
        return None
    lines += [want_text, f"  got:      {short(got, 70)}: {problem}"]
    hint = known_mistake(case["function"], args, got, decoded_expected(expected))
    return "\n".join(lines + (["  " + hint] if hint else []))


def decoded_expected(expected):
    kind, want = next(iter(expected.items()))
    if kind == "tuple":
        return tuple(decoded_expected(e) for e in want)
    if kind == "array":
        return np.array(want, dtype=np.float64).reshape(expected["shape"])
    return want


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_public_case(losses, case):
    problem = run_case(getattr(losses, case["function"]), case)
    if problem:
        pytest.fail(problem, pytrace=False)
