# expect: binary_cross_entropy: mutates-input
# style: np.clip(..., out=p) on the array returned by as_float_array (the caller's own array)

def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be in [0, 1]: logits should go to bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be in [0, 1]")
    np.clip(p, eps, 1 - eps, out=p)
    return -(y * np.log(p) + (1 - y) * np.log(1 - p))
