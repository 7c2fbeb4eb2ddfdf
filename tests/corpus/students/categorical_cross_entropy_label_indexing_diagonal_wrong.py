# expect: categorical_cross_entropy: label-indexing
# style: picks rows by label and takes np.diagonal (rows and columns swapped)


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("each row must be a distribution; got logits? use softmax_cross_entropy")
    y = np.asarray(y, dtype=np.float64)
    if y.ndim == 2:
        targets = class_targets(y, probs.shape)
        return -np.sum(targets * np.log(np.clip(probs, eps, 1 - eps)), axis=1)
    class_targets(y, probs.shape)   # raises for bad labels
    labels = y.astype(int)
    # entry i of the diagonal should be the probability of sample i's label
    true_class_p = np.diagonal(probs[labels])
    return -np.log(np.clip(true_class_p, eps, 1 - eps))
