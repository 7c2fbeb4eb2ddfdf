# expect: bce_grad: no-clipping
# style: derivative written as two terms -y/p + (1-y)/(1-p), scaled by 1/m, no clip

def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be in [0, 1]; raw scores are logits: use bce_with_logits_grad")
    m = len(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (-y / p + (1 - y) / (1 - p)) / m
