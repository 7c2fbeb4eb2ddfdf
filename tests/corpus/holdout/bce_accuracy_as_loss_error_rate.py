# expect: bce: accuracy-as-loss
# style: "loss" is the error rate of thresholded predictions; all validation kept

def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must be probabilities; for logits use bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y must be in [0, 1]")
    if np.isnan(p).any() or np.isnan(y).any():
        return float("nan")
    predicted = (p >= 0.5).astype(float)
    return float(np.mean(predicted != y))
