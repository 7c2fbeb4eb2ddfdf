# expect: bce: accuracy-as-loss
# style: "loss" = error rate of the thresholded predictions


def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities; use bce_with_logits for logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    if np.isnan(p).any():
        return float("nan")
    wrong = (p >= 0.5) != (y >= 0.5)
    return float(np.mean(wrong))
