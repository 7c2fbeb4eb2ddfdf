# expect: categorical_cross_entropy: mean-over-classes
# style: helpers, .mean(axis=1) over the K classes instead of a sum


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows are not distributions (logits? use softmax_cross_entropy)")
    targets = class_targets(y, probs.shape)
    terms = -targets * np.log(np.clip(probs, eps, 1 - eps))
    return terms.mean(axis=1)
