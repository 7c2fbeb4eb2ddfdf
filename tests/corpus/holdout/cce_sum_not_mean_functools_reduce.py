# expect: cce: sum-not-mean
# style: functools.reduce with operator.add over the per-sample losses

import functools as _cr_functools
import operator as _cr_operator


def cce(probs, y, eps=1e-8):
    per_sample = categorical_cross_entropy(probs, y, eps)
    total = _cr_functools.reduce(_cr_operator.add, per_sample.tolist(), 0.0)
    return float(total)
