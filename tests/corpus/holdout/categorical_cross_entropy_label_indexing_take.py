# expect: categorical_cross_entropy: label-indexing
# style: np.take(probs, labels, axis=1) for integer labels, one-hot path correct

def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("rows must be distributions (got logits? use softmax_cross_entropy)")
    y_arr = as_float_array(y, "y")
    if y_arr.shape == probs.shape:
        return -(y_arr * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
    class_targets(y_arr, probs.shape)  # validates the labels, result unused
    labels = y_arr.astype(int)
    picked = np.take(probs, labels, axis=1)
    return -np.log(np.clip(picked, eps, 1 - eps))
