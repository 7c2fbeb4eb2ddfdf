# expect: bce: wrong-log-base
# style: inline mean with np.log10, clipped


def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p outside [0, 1]: these are logits, use bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y outside [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    return float(-np.mean(y * np.log10(pc) + (1 - y) * np.log10(1 - pc)))
