"""The contract's general rules and error cases, function by function.

Every bad input named in the contract raises ValueError (with the hint the
contract asks for where it asks for one); NaN never turns into a finite
number; inputs are never written to, read-only arrays, lists and tuples are
accepted; and results have the contract's types.
"""
import copy
import math

import numpy as np
import pytest
from contract import CONTRACT_FUNCTIONS

from autograder.reference import losses as L

M, K, D = 4, 3, 2
LABEL_FUNCTIONS = ["categorical_cross_entropy", "cce", "cce_grad",
                   "softmax_cross_entropy", "softmax_cross_entropy_grad"]
BCE_FUNCTIONS = ["binary_cross_entropy", "bce", "bce_grad"]
CCE_FUNCTIONS = ["categorical_cross_entropy", "cce", "cce_grad"]


def row_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def valid_cases(m=M):
    """(id, function name, args, kwargs, expected result kind) of valid calls with batch size m."""
    r = np.random.default_rng(7)
    y_hat, y = r.normal(size=m), r.normal(size=m)
    y_hat2, y2 = r.normal(size=(m, 3)), r.normal(size=(m, 3))
    p = r.uniform(0.05, 0.95, size=m)
    y01 = (np.arange(m) % 2).astype(np.float64)
    y_soft = r.uniform(0, 1, size=m)
    probs = row_softmax(r.normal(size=(m, K)))
    labels = np.arange(m, dtype=np.int64) % K
    soft = row_softmax(r.normal(size=(m, K)))
    logits = r.normal(scale=3, size=(m, K))
    z = r.normal(scale=3, size=m)
    one_sample = r.normal(scale=3, size=K)
    losses = r.uniform(0, 3, size=m)
    means, sizes = r.uniform(0, 2, size=m), np.arange(1, m + 1) * 8
    X, w = r.normal(size=(m, D)), r.normal(size=D)
    w3, g3 = r.normal(size=(3, 2)), r.normal(size=(3, 2))
    train, val = r.uniform(0, 1, size=m), r.uniform(0, 1, size=m)
    p_edges = p.copy()  # probabilities exactly 0 and 1: the clip must not write into them
    p_edges[: m // 2] = 0.0
    p_edges[m // 2:] = 1.0
    probs_one_hot = np.eye(K)[(np.arange(m) + 1) % K]
    f, i, s = "float", "int", "str"
    vec, mat = ("array", (m,)), ("array", (m, K))
    return [
        ("squared_error", "squared_error", [y_hat, y], {}, vec),
        ("squared_error-2d", "squared_error", [y_hat2, y2], {}, vec),
        ("binary_cross_entropy", "binary_cross_entropy", [p, y01], {}, vec),
        ("binary_cross_entropy-soft-eps", "binary_cross_entropy", [p, y_soft], {"eps": 1e-6}, vec),
        ("binary_cross_entropy-0-and-1", "binary_cross_entropy", [p_edges, y01], {}, vec),
        ("categorical_cross_entropy-one-hot-probs", "categorical_cross_entropy", [probs_one_hot, labels], {}, vec),
        ("categorical_cross_entropy-labels", "categorical_cross_entropy", [probs, labels], {}, vec),
        ("categorical_cross_entropy-soft-eps", "categorical_cross_entropy", [probs, soft], {"eps": 1e-6}, vec),
        ("batch_mean", "batch_mean", [losses], {}, f),
        ("mse", "mse", [y_hat, y], {}, f),
        ("mse-2d", "mse", [y_hat2, y2], {}, f),
        ("bce", "bce", [p, y01], {}, f),
        ("bce-soft-eps", "bce", [p, y_soft], {"eps": 1e-6}, f),
        ("bce-0-and-1", "bce", [p_edges, y_soft], {}, f),
        ("cce-labels", "cce", [probs, labels], {}, f),
        ("cce-one-hot-probs", "cce", [probs_one_hot, soft], {}, f),
        ("cce-soft-eps", "cce", [probs, soft], {"eps": 1e-6}, f),
        ("epoch_mean", "epoch_mean", [means, sizes], {}, f),
        ("mse_grad", "mse_grad", [y_hat, y], {}, vec),
        ("mse_grad-2d", "mse_grad", [y_hat2, y2], {}, ("array", (m, 3))),
        ("bce_grad", "bce_grad", [p, y01], {}, vec),
        ("bce_grad-soft-eps", "bce_grad", [p, y_soft], {"eps": 1e-6}, vec),
        ("bce_grad-0-and-1", "bce_grad", [p_edges, y01], {}, vec),
        ("cce_grad-labels", "cce_grad", [probs, labels], {}, mat),
        ("cce_grad-one-hot-probs", "cce_grad", [probs_one_hot, labels], {}, mat),
        ("cce_grad-soft-eps", "cce_grad", [probs, soft], {"eps": 1e-6}, mat),
        ("sigmoid", "sigmoid", [z], {}, vec),
        ("sigmoid-2d", "sigmoid", [logits], {}, mat),
        ("softmax", "softmax", [logits], {}, mat),
        ("softmax-1d", "softmax", [one_sample], {}, ("array", (K,))),
        ("bce_with_logits", "bce_with_logits", [z, y01], {}, f),
        ("bce_with_logits-soft", "bce_with_logits", [z, y_soft], {}, f),
        ("bce_with_logits_grad", "bce_with_logits_grad", [z, y01], {}, vec),
        ("softmax_cross_entropy-labels", "softmax_cross_entropy", [logits, labels], {}, f),
        ("softmax_cross_entropy-soft", "softmax_cross_entropy", [logits, soft], {}, f),
        ("softmax_cross_entropy_grad-labels", "softmax_cross_entropy_grad", [logits, labels], {}, mat),
        ("softmax_cross_entropy_grad-soft", "softmax_cross_entropy_grad", [logits, soft], {}, mat),
        ("sgd_step", "sgd_step", [w3, g3, 0.1], {}, ("array", (3, 2))),
        ("linear_regression_step", "linear_regression_step", [X, y, w, 0.3, 0.1], {},
         ("tuple", [("array", (D,)), f, f])),
        ("accuracy", "accuracy", [p, y01], {}, f),
        ("accuracy-threshold", "accuracy", [p, y01], {"threshold": 0.7}, f),
        ("loss_for_output", "loss_for_output", ["softmax"], {}, s),
        ("best_epoch", "best_epoch", [train, val], {}, i),
    ]


CASES = valid_cases()
CASE_IDS = [c[0] for c in CASES]


def call(name, args, kwargs=None):
    return getattr(L, name)(*args, **(kwargs or {}))


def check_kind(result, kind):
    if kind == "float":
        assert type(result) is float, f"expected a Python float, got {type(result)}"
    elif kind == "int":
        assert type(result) is int, f"expected a Python int, got {type(result)}"
    elif kind == "str":
        assert type(result) is str
    elif kind[0] == "array":
        assert type(result) is np.ndarray, f"expected an ndarray, got {type(result)}"
        assert result.dtype == np.float64
        assert result.shape == kind[1]
    else:
        assert kind[0] == "tuple"
        assert type(result) is tuple and len(result) == len(kind[1])
        for item, sub in zip(result, kind[1]):
            check_kind(item, sub)


def same(a, b):
    """Exactly the same result (type, shape, values; NaN equals NaN)."""
    if isinstance(a, tuple):
        return isinstance(b, tuple) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, np.ndarray):
        return (isinstance(b, np.ndarray) and a.dtype == b.dtype and a.shape == b.shape
                and np.array_equal(a, b, equal_nan=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    return type(a) is type(b) and a == b


def nested(x, container):
    if isinstance(x, np.ndarray):
        items = x.tolist()
        if container is tuple:
            def to_tuple(v):
                return tuple(to_tuple(e) for e in v) if isinstance(v, list) else v
            items = to_tuple(items)
        return items
    return x


def raises_value_error(name, args, kwargs=None):
    """Call and require a ValueError; a returned result fails, naming its shape."""
    try:
        result = call(name, args, kwargs)
    except ValueError as exc:
        return exc
    shape = getattr(result, "shape", None)
    pytest.fail(f"{name} returned {type(result).__name__} (shape {shape}) instead of raising ValueError")


def test_cases_cover_every_contract_function():
    assert sorted({c[1] for c in CASES}) == sorted(CONTRACT_FUNCTIONS)
    for name in CONTRACT_FUNCTIONS:
        assert callable(getattr(L, name))


# ---------------------------------------------------------------------------
# Result types, read-only inputs, no mutation, lists and tuples
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_result_types(case):
    _, name, args, kwargs, kind = copy.deepcopy(case)  # a function that writes into its input must not spoil later tests
    check_kind(call(name, args, kwargs), kind)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_read_only_inputs_work_and_give_the_same_result(case):
    _, name, args, kwargs, _ = copy.deepcopy(case)
    expected = call(name, [a.copy() if isinstance(a, np.ndarray) else a for a in args], kwargs)
    frozen = []
    for a in args:
        if isinstance(a, np.ndarray):
            a = a.copy()
            a.setflags(write=False)
        frozen.append(a)
    assert same(call(name, frozen, kwargs), expected)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_inputs_are_never_modified(case):
    _, name, args, kwargs, _ = copy.deepcopy(case)
    before = copy.deepcopy(args)
    result = call(name, args, kwargs)
    for a, b in zip(args, before):
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape
            assert np.array_equal(a, b, equal_nan=True), f"{name} wrote into an argument"
        else:
            assert a == b
    # a result is never the caller's array itself
    results = result if isinstance(result, tuple) else (result,)
    for r in results:
        for a in args:
            if isinstance(r, np.ndarray) and isinstance(a, np.ndarray):
                assert not np.shares_memory(r, a), f"{name} returned (a view of) its input"
    # list inputs are not changed either
    listed = [nested(a, list) for a in args]
    listed_before = copy.deepcopy(listed)
    call(name, listed, kwargs)
    assert listed == listed_before


@pytest.mark.parametrize("container", [list, tuple])
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_lists_and_tuples_give_the_same_result_as_arrays(case, container):
    _, name, args, kwargs, _ = copy.deepcopy(case)
    expected = call(name, args, kwargs)
    assert same(call(name, [nested(a, container) for a in args], kwargs), expected)


FLOAT_CASES = [c for c in CASES if any(isinstance(a, np.ndarray) and a.dtype == np.float64 for a in c[2])]


@pytest.mark.parametrize("case", FLOAT_CASES, ids=[c[0] for c in FLOAT_CASES])
def test_float32_inputs_are_computed_in_float64(case):
    _, name, args, kwargs, kind = copy.deepcopy(case)  # a function that writes into its input must not spoil later tests
    as32 = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a for a in args]
    as64 = [a.astype(np.float64) if isinstance(a, np.ndarray) else a for a in as32]
    got, expected = call(name, as32, kwargs), call(name, as64, kwargs)
    check_kind(got, kind)
    assert same(got, expected)


INT_CASES = [
    ("squared_error", [[1, 2, 3], [2, 2, 5]], ("array", (3,)), np.array([1.0, 0.0, 4.0])),
    ("mse", [[1, 2, 3], [2, 2, 5]], "float", 5.0 / 3),
    ("mse_grad", [np.array([1, 2, 3]), np.array([2, 2, 5])], ("array", (3,)), np.array([-2, 0, -4]) / 3),
    ("batch_mean", [np.array([1, 2])], "float", 1.5),
    ("epoch_mean", [[1, 2], [3, 1]], "float", 1.25),
    ("sigmoid", [np.array([0, 0])], ("array", (2,)), np.array([0.5, 0.5])),
    ("softmax", [np.array([[0, 0]])], ("array", (1, 2)), np.array([[0.5, 0.5]])),
    ("sgd_step", [np.array([1, 2]), np.array([1, 1]), 1], ("array", (2,)), np.array([0.0, 1.0])),
    ("bce", [[1, 0], [1, 0]], "float", -math.log(1 - 1e-8)),
    ("cce", [np.array([[0, 1], [1, 0]]), np.array([1, 0])], "float", -math.log(1 - 1e-8)),
    ("accuracy", [[1, 0], [1, 1]], "float", 0.5),
    ("best_epoch", [np.array([3, 2, 1]), np.array([5, 4, 4])], "int", 1),
]


@pytest.mark.parametrize("name,args,kind,want", INT_CASES, ids=[c[0] for c in INT_CASES])
def test_integer_inputs_give_float64_results(name, args, kind, want):
    got = call(name, args)
    check_kind(got, kind)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------
# NaN never becomes a finite number
# ---------------------------------------------------------------------------

def nan_variants():
    """(id, name, args, kwargs) with one NaN put into one argument of a valid case."""
    out = []
    for cid, name, args, kwargs, _ in CASES:
        for pos, a in enumerate(args):
            if isinstance(a, np.ndarray):
                positions = [(0,) * a.ndim, tuple(s - 1 for s in a.shape)]
                for where in positions:
                    bad = a.astype(np.float64)
                    bad[where] = np.nan
                    out.append((f"{cid}-arg{pos}{list(where)}", name,
                                args[:pos] + [bad] + args[pos + 1:], kwargs))
            else:  # a scalar (b, lr) or a string: NaN in its place
                out.append((f"{cid}-arg{pos}", name, args[:pos] + [float("nan")] + args[pos + 1:], kwargs))
        for key in kwargs:
            out.append((f"{cid}-{key}", name, args, dict(kwargs, **{key: float("nan")})))
    return out


NAN_CASES = nan_variants()


def contains_nan(result):
    if isinstance(result, tuple):
        return all(contains_nan(r) for r in result)
    if isinstance(result, np.ndarray):
        return bool(np.isnan(result).any())
    if isinstance(result, float):
        return math.isnan(result)
    return False  # an int or a str cannot carry NaN: it must raise


@pytest.mark.parametrize("case", NAN_CASES, ids=[c[0] for c in NAN_CASES])
def test_nan_gives_nan_or_value_error(case):
    _, name, args, kwargs = copy.deepcopy(case)
    try:
        result = call(name, args, kwargs)
    except ValueError:
        return
    assert contains_nan(result), f"{name} turned a NaN input into the finite result {result!r}"


def test_nan_cases_reach_every_function():
    assert sorted({c[1] for c in NAN_CASES}) == sorted(CONTRACT_FUNCTIONS)


# ---------------------------------------------------------------------------
# Shape mismatches: ValueError, never a broadcast result
# ---------------------------------------------------------------------------

def pair_args(name, a_shape, b_shape):
    """Arguments of a two-same-shape-array function with the given shapes."""
    r = np.random.default_rng(3)
    a = r.uniform(0.05, 0.95, size=a_shape)
    b = (r.uniform(size=b_shape) > 0.5).astype(np.float64)
    if name == "sgd_step":
        return [a, b, 0.1]
    if name == "epoch_mean":
        return [a, b + 1.0]
    return [a, b]


PAIR_FUNCTIONS = ["squared_error", "binary_cross_entropy", "mse", "bce", "mse_grad", "bce_grad",
                  "bce_with_logits", "bce_with_logits_grad", "accuracy", "epoch_mean",
                  "sgd_step", "best_epoch"]
PAIR_SHAPES = [((M, 1), (M,)), ((M,), (M, 1)), ((M,), (M + 1,)), ((M + 1,), (M,)),
               ((1,), (M,)), ((M,), (1,)), ((M,), ()), ((M, 1), (1, M)), ((M,), (2, M))]
MULTI_OUTPUT_SHAPES = [((3, 5), (5, 3)), ((M, 2), (M, 3)), ((M, 2), (M, 1)), ((M, 2), (M,)),
                       ((M, 2), (1, 2)), ((M, 1), (1, M))]


@pytest.mark.parametrize("shapes", PAIR_SHAPES, ids=str)
@pytest.mark.parametrize("name", PAIR_FUNCTIONS)
def test_mismatched_shapes_raise(name, shapes):
    raises_value_error(name, pair_args(name, *shapes))


@pytest.mark.parametrize("shapes", MULTI_OUTPUT_SHAPES, ids=str)
@pytest.mark.parametrize("name", ["squared_error", "mse", "mse_grad", "sgd_step"])
def test_mismatched_multi_output_shapes_raise(name, shapes):
    raises_value_error(name, pair_args(name, *shapes))


def categorical_targets_of_wrong_shape():
    labels = np.arange(M) % K
    soft = np.full((M, K), 1.0 / K)
    return {
        "labels-column": labels.reshape(M, 1),
        "labels-row": labels.reshape(1, M),
        "labels-too-many": np.arange(M + 1) % K,
        "labels-too-few": labels[:-1],
        "one-label": np.array([0]),
        "scalar-label": np.array(0),
        "soft-extra-class": np.full((M, K + 1), 1.0 / (K + 1)),
        "soft-one-row": soft[:1],
        "soft-transposed": np.full((K, M), 1.0 / M),
        "soft-too-many-rows": np.full((M + 1, K), 1.0 / K),
        "soft-3d": soft[:, :, None],
    }


@pytest.mark.parametrize("target", sorted(categorical_targets_of_wrong_shape()))
@pytest.mark.parametrize("name", LABEL_FUNCTIONS)
def test_categorical_targets_of_the_wrong_shape_raise(name, target):
    probs = row_softmax(np.random.default_rng(4).normal(size=(M, K)))
    raises_value_error(name, [probs, categorical_targets_of_wrong_shape()[target]])


@pytest.mark.parametrize("name", ["categorical_cross_entropy", "cce", "cce_grad", "softmax",
                                  "softmax_cross_entropy", "softmax_cross_entropy_grad"])
def test_predictions_of_the_wrong_rank_raise(name):
    three_d = np.full((M, K, 1), 1.0 / K)
    args = [three_d] if name == "softmax" else [three_d, np.arange(M) % K]
    raises_value_error(name, args)
    if name != "softmax":  # a 1-D probs / logits vector is not a batch of rows
        raises_value_error(name, [np.full(K, 1.0 / K), np.array([0])])


@pytest.mark.parametrize("what", ["y-column", "y-too-long", "y-one", "w-too-long", "w-column"])
def test_linear_regression_step_shape_mismatch_raises(what):
    r = np.random.default_rng(5)
    X, y, w = r.normal(size=(M, D)), r.normal(size=M), r.normal(size=D)
    if what == "y-column":
        y = y.reshape(M, 1)
    elif what == "y-too-long":
        y = np.append(y, 1.0)
    elif what == "y-one":
        y = y[:1]
    elif what == "w-too-long":
        w = np.append(w, 1.0)
    else:
        w = w.reshape(D, 1)
    raises_value_error("linear_regression_step", [X, y, w, 0.0, 0.1])


# ---------------------------------------------------------------------------
# Empty batches
# ---------------------------------------------------------------------------

NOT_BATCHED = {"sigmoid", "sgd_step", "loss_for_output"}
EMPTY_CASES = [c for c in valid_cases(m=0) if c[1] not in NOT_BATCHED and c[0] != "softmax-1d"]


@pytest.mark.parametrize("case", EMPTY_CASES, ids=[c[0] for c in EMPTY_CASES])
def test_empty_batch_raises(case):
    _, name, args, kwargs, _ = copy.deepcopy(case)
    assert any(isinstance(a, np.ndarray) and a.shape[:1] == (0,) for a in args)
    raises_value_error(name, args, kwargs)


@pytest.mark.parametrize("name", ["batch_mean", "epoch_mean", "best_epoch", "mse", "bce", "accuracy",
                                  "bce_with_logits", "squared_error", "binary_cross_entropy",
                                  "mse_grad", "bce_grad", "bce_with_logits_grad"])
def test_empty_lists_raise(name):
    args = [[]] if name == "batch_mean" else [[], []]
    raises_value_error(name, args)


def test_empty_batch_cases_cover_every_batched_function():
    assert sorted({c[1] for c in EMPTY_CASES}) == sorted(set(CONTRACT_FUNCTIONS) - NOT_BATCHED)


# ---------------------------------------------------------------------------
# Logits where probabilities belong: the message names the stable form
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("p", [[0.5, 1.5], [-0.1, 0.5], [2.5, -1.0], [1.0000001, 0.5], [-1e-12, 0.5]], ids=str)
@pytest.mark.parametrize("name", BCE_FUNCTIONS)
def test_bce_of_values_outside_0_1_names_bce_with_logits(name, p):
    exc = raises_value_error(name, [p, [1.0, 0.0]])
    assert "bce_with_logits" in str(exc)


NOT_DISTRIBUTIONS = {
    "logits": [[2.0, 1.0, -1.0], [0.1, 0.2, 0.7]],
    "sum-below-1": [[0.5, 0.2, 0.1], [0.1, 0.2, 0.7]],
    "sum-above-1": [[0.5, 0.5, 0.5], [0.1, 0.2, 0.7]],
    "sum-off-by-2e-6": [[0.5, 0.5 + 2e-6, 0.0], [0.1, 0.2, 0.7]],
    "negative-entry-sum-1": [[1.2, -0.2, 0.0], [0.1, 0.2, 0.7]],
    "tiny-negative-sum-1": [[0.501, 0.5, -0.001], [0.1, 0.2, 0.7]],
}


@pytest.mark.parametrize("probs", sorted(NOT_DISTRIBUTIONS))
@pytest.mark.parametrize("name", CCE_FUNCTIONS)
def test_cce_of_rows_that_are_not_distributions_names_softmax_cross_entropy(name, probs):
    exc = raises_value_error(name, [NOT_DISTRIBUTIONS[probs], [0, 2]])
    assert "softmax_cross_entropy" in str(exc)


@pytest.mark.parametrize("offset", [5e-7, -5e-7])
@pytest.mark.parametrize("name", CCE_FUNCTIONS)
def test_cce_accepts_rows_summing_to_1_within_1e_6(name, offset):
    probs = np.array([[0.5, 0.3 + offset, 0.2], [0.1, 0.2, 0.7]])
    result = call(name, [probs, [1, 2]])
    assert np.all(np.isfinite(result))


# ---------------------------------------------------------------------------
# Labels
# ---------------------------------------------------------------------------

def label_args(name, labels, m=2):
    r = np.random.default_rng(6)
    z = r.normal(size=(m, K))
    first = z if name.startswith("softmax") else row_softmax(z)
    return [first, labels]


@pytest.mark.parametrize("labels", [[0, 3], [-1, 0], [0, 7], [0, 1.5], [0.5, 1], [2.0000001, 0], [1e20, 0],
                                    [0, np.inf]], ids=str)
@pytest.mark.parametrize("name", LABEL_FUNCTIONS)
def test_bad_labels_raise(name, labels):
    raises_value_error(name, label_args(name, np.array(labels, dtype=np.float64)))
    raises_value_error(name, label_args(name, list(labels)))


@pytest.mark.parametrize("name", LABEL_FUNCTIONS)
def test_integral_float_labels_equal_integer_labels(name):
    ints = np.array([2, 0, 1, 2])
    args_int = label_args(name, ints, m=4)
    args_float = [args_int[0], ints.astype(np.float64)]
    args_list = [args_int[0], [2.0, 0.0, 1.0, 2.0]]
    args_one_hot = [args_int[0], np.eye(K)[ints]]
    expected = call(name, args_int)
    assert same(call(name, args_float), expected)
    assert same(call(name, args_list), expected)
    np.testing.assert_allclose(call(name, args_one_hot), expected, rtol=1e-12, atol=1e-15)


# ---------------------------------------------------------------------------
# Function-specific errors
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("means,sizes", [
    ([0.5, 0.7], [32]), ([0.5], [32, 8]), ([], []), ([0.5, 0.7], [32, 0]),
    ([0.5, 0.7], [32, -8]), ([0.5, 0.7], [-32, -8]), ([[0.5, 0.7]], [[32, 8]]),
], ids=str)
def test_epoch_mean_errors(means, sizes):
    raises_value_error("epoch_mean", [means, sizes])


@pytest.mark.parametrize("lr", [0, 0.0, -0.1, -1e-12, -np.inf])
def test_sgd_step_needs_a_positive_learning_rate(lr):
    raises_value_error("sgd_step", [np.array([1.0, 2.0]), np.array([0.5, 0.5]), lr])


@pytest.mark.parametrize("shapes", [((2,), (3,)), ((3, 1), (3,)), ((3,), (1, 3)), ((2, 2), (2,)), ((2,), ())],
                         ids=str)
def test_sgd_step_needs_matching_shapes(shapes):
    raises_value_error("sgd_step", [np.ones(shapes[0]), np.ones(shapes[1]), 0.1])


@pytest.mark.parametrize("activation", ["relu", "tanh", "", "mse", "logits", "soft max", "sigmoids", None, 3])
def test_loss_for_output_refuses_unknown_activations(activation):
    raises_value_error("loss_for_output", [activation])


@pytest.mark.parametrize("activation,loss", [
    ("identity", "mse"), ("linear", "mse"), ("IDENTITY", "mse"), ("Linear", "mse"),
    ("sigmoid", "bce"), ("Sigmoid", "bce"), ("softmax", "cce"), ("SoftMax", "cce"),
])
def test_loss_for_output_is_case_insensitive(activation, loss):
    assert L.loss_for_output(activation) == loss


@pytest.mark.parametrize("train,val", [([1.0, 0.5], [1.0]), ([1.0], [1.0, 0.5]), ([], []),
                                       ([0.3], []), ([], [0.3])], ids=str)
def test_best_epoch_errors(train, val):
    raises_value_error("best_epoch", [train, val])


def test_best_epoch_picks_validation_and_first_on_tie():
    result = L.best_epoch([0.9, 0.5, 0.2, 0.1], [1.0, 0.4, 0.4, 0.6])
    assert type(result) is int and result == 1
