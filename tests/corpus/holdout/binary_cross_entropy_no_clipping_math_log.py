# expect: binary_cross_entropy: no-clipping
# style: lesson's math.log version in a per-sample loop, but the min/max clip left out

import math as _bnm_math


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if not np.all((p >= 0) & (p <= 1) | np.isnan(p)):
        raise ValueError("p has values outside [0, 1]; for logits use bce_with_logits")
    if not np.all((y >= 0) & (y <= 1) | np.isnan(y)):
        raise ValueError("y must be in [0, 1]")
    out = np.empty(p.shape[0])
    for i in range(p.shape[0]):
        pi, yi = float(p[i]), float(y[i])
        if _bnm_math.isnan(pi) or _bnm_math.isnan(yi):
            out[i] = float("nan")
            continue
        out[i] = -(yi * _bnm_math.log(pi) + (1 - yi) * _bnm_math.log(1 - pi))
    return out
