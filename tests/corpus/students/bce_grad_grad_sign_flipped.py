# expect: bce_grad: grad-sign-flipped
# style: (y - p) on top, like the residual in the lesson's picture


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities, not logits (see bce_with_logits_grad)")
    pc = np.clip(p, eps, 1 - eps)
    m = p.shape[0]
    return (y - pc) / (pc * (1 - pc)) / m
