# expect: bce: no-clipping
# style: likelihood written as p**y * (1-p)**(1-y), -log of it; divide warnings silenced


def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]: use bce_with_logits for logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    likelihood = p ** y * (1 - p) ** (1 - y)
    with np.errstate(divide="ignore"):
        losses = -np.log(likelihood)
    return float(np.mean(losses))
