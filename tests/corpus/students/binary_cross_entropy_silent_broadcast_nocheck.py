# expect: binary_cross_entropy: silent-broadcast
# style: range checks written by hand, but the shapes are never compared


def binary_cross_entropy(p, y, eps=1e-8):
    p = np.array(p, dtype=np.float64)
    y = np.array(y, dtype=np.float64)
    if p.size == 0:
        raise ValueError("empty batch")
    if p.ndim != 1:
        raise ValueError("p must be a vector of probabilities")
    if (p < 0).any() or (p > 1).any():
        raise ValueError("p is not a probability: pass logits to bce_with_logits instead")
    if (y < 0).any() or (y > 1).any():
        raise ValueError("labels must be in [0, 1]")
    pc = np.clip(p, eps, 1.0 - eps)
    return -(y * np.log(pc) + (1.0 - y) * np.log(1.0 - pc))
