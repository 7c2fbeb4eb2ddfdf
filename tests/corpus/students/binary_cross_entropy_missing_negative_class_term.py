# expect: binary_cross_entropy: missing-negative-class-term
# style: helpers, keeps only the y*log(p) term


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p outside [0, 1] looks like logits: use bce_with_logits")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("targets must be in [0, 1]")
    p_clipped = np.clip(p, eps, 1 - eps)
    return -y * np.log(p_clipped)
