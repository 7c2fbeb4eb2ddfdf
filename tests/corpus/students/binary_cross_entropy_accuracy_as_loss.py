# expect: binary_cross_entropy: accuracy-as-loss
# style: counts a thresholded miss as loss 1, a hit as 0


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities (logits belong in bce_with_logits)")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    predicted = (p >= 0.5).astype(np.float64)
    wrong = (predicted != y).astype(np.float64)
    wrong[np.isnan(p)] = np.nan
    return wrong
