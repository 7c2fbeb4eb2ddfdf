# expect: binary_cross_entropy: accepts-logits
# style: relies on np.clip to "fix" any p, so raw scores pass silently; checks y only

def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must contain targets in [0, 1]")
    p_clipped = np.clip(p, eps, 1.0 - eps)
    return -(y * np.log(p_clipped) + (1.0 - y) * np.log(1.0 - p_clipped))
