# expect: categorical_cross_entropy: no-clipping
# style: one-hot times log(probs) with warnings silenced: 0 * log(0) = NaN


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("rows of probs must sum to 1 (logits? use softmax_cross_entropy)")
    t = class_targets(y, probs.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(probs)
        return -np.sum(t * log_p, axis=1)
