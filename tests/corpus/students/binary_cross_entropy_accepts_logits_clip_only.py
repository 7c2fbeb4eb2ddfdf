# expect: binary_cross_entropy: accepts-logits
# style: trusts the clip to keep p in range, no range check on p


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be 0/1 targets (or soft targets in [0, 1])")
    p = np.clip(p, eps, 1 - eps)   # clipping makes any p safe for the log
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
