# expect: categorical_cross_entropy: mean-over-classes
# style: .mean(axis=1) where the sum over classes belongs

def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("rows of probs must be distributions: use softmax_cross_entropy for logits")
    t = class_targets(y, probs.shape)
    return (-t * np.log(np.clip(probs, eps, 1 - eps))).mean(axis=1)
