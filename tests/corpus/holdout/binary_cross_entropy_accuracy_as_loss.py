# expect: binary_cross_entropy: accuracy-as-loss
# style: per-sample 0/1 "wrong answer" indicator via a loop with early continue

def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p outside [0, 1] (logits?): use bce_with_logits")
    if np.any(y < 0) or np.any(y > 1):
        raise ValueError("y outside [0, 1]")
    losses = np.zeros(len(p))
    for i, (pi, yi) in enumerate(zip(p, y)):
        if np.isnan(pi) or np.isnan(yi):
            losses[i] = np.nan
            continue
        guess = 1.0 if pi >= 0.5 else 0.0
        losses[i] = 0.0 if guess == yi else 1.0
    return losses
