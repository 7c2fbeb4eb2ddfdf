# expect: bce_grad: silent-broadcast
# style: only p is validated; y is never compared with it


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    require_batch(p, "p")
    y = np.asarray(y, dtype=np.float64)
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must be in [0, 1]; logits belong in bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return (pc - y) / (pc * (1 - pc)) / p.shape[0]
