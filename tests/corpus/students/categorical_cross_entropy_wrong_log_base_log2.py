# expect: categorical_cross_entropy: wrong-log-base
# style: information theory: cross-entropy in bits with np.log2, einsum for the row dot


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs must hold distributions; use softmax_cross_entropy for logits")
    t = class_targets(y, probs.shape)
    return -np.einsum("ik,ik->i", t, np.log2(np.clip(probs, eps, 1 - eps)))
