# expect: bce_grad: no-clipping
# style: raw p in the denominator, divide-by-zero silenced with np.errstate


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1] (use bce_with_logits_grad for logits)")
    m = p.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return (p - y) / (p * (1 - p)) / m
