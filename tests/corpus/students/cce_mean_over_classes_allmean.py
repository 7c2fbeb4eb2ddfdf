# expect: cce: mean-over-classes
# style: one np.mean over the whole (m, K) matrix of terms


def cce(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs are not distributions (logits? see softmax_cross_entropy)")
    t = class_targets(y, probs.shape)
    return float(np.mean(-t * np.log(np.clip(probs, eps, 1 - eps))))
