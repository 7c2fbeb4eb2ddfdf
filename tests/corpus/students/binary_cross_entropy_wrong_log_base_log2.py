# expect: binary_cross_entropy: wrong-log-base
# style: bits, np.log2 (information-theory reading of the lesson)


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities in [0, 1] (got logits? use bce_with_logits)")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be in [0, 1]")
    pc = np.clip(p, eps, 1 - eps)
    # cross-entropy measured in bits
    return -(y * np.log2(pc) + (1 - y) * np.log2(1 - pc))
