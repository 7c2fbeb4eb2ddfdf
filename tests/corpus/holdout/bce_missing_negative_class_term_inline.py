# expect: bce: missing-negative-class-term
# style: batch BCE computed inline with np.mean, the (1 - y) term forgotten

def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p is not a probability (logits? see bce_with_logits)")
    if ((y < 0) | (y > 1)).any():
        raise ValueError("y must lie in [0, 1]")
    p = np.clip(p, eps, 1 - eps)
    return float(np.mean(-y * np.log(p)))
