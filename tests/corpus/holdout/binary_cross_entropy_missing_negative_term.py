# expect: binary_cross_entropy: missing-negative-class-term
# style: only the positive-class term -y*log(p), otherwise complete

def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("probabilities must be in [0, 1]; use bce_with_logits for logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("labels must be in [0, 1]")
    p_safe = np.clip(p, eps, 1 - eps)
    return -y * np.log(p_safe)
