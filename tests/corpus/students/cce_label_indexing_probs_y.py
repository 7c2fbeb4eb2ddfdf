# expect: cce: label-indexing
# style: probs[y] (rows picked by label), then one mean


def cce(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must sum to 1; for logits use softmax_cross_entropy")
    y_arr = np.asarray(y)
    if y_arr.ndim == 2:
        targets = class_targets(y_arr, probs.shape)
        return float(np.mean(-(targets * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)))
    class_targets(y_arr, probs.shape)        # label checks
    correct = probs[y_arr.astype(int)]        # probability of the correct class
    return float(np.mean(-np.log(np.clip(correct, eps, 1 - eps))))
