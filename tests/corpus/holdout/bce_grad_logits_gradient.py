# expect: bce_grad: logits-grad-for-probs
# style: remembers "(p - y)/m" from the sigmoid+BCE derivation, keeps clipping and checks

def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p outside [0, 1]: those are logits, use bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / p.shape[0]
