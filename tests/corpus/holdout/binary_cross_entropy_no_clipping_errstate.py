# expect: binary_cross_entropy: no-clipping
# style: silences numpy's divide warning with np.errstate instead of clipping; eps accepted but unused

def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities in [0, 1] - got logits? use bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("targets y must be in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))
