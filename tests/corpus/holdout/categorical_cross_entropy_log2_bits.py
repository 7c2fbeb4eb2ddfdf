# expect: categorical_cross_entropy: wrong-log-base
# style: measures cross-entropy in bits with np.log2 (information-theory habit)

def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(np.sum(probs, axis=1) - 1.0) > 1e-6):
        raise ValueError("each row of probs must be a distribution; logits go to softmax_cross_entropy")
    targets = class_targets(y, probs.shape)
    return -np.sum(targets * np.log2(np.clip(probs, eps, 1 - eps)), axis=1)
