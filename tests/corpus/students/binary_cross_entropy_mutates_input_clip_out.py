# expect: binary_cross_entropy: mutates-input
# style: clips p in place with out=p to save memory


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]; for logits call bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    np.clip(p, eps, 1 - eps, out=p)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
