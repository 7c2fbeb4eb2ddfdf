# expect: binary_cross_entropy: wrong-log-base
# style: list comprehension with math.log10 and min/max clipping as in the lesson

import math as _bl_math


def _bl_one(pi, yi, eps):
    if pi != pi or yi != yi:  # NaN check
        return float("nan")
    pc = min(max(pi, eps), 1 - eps)
    return -(yi * _bl_math.log10(pc) + (1 - yi) * _bl_math.log10(1 - pc))


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p outside [0, 1] looks like logits: use bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y outside [0, 1]")
    return np.array([_bl_one(float(a), float(b), eps) for a, b in zip(p, y)], dtype=np.float64)
