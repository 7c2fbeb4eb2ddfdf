# expect: categorical_cross_entropy: label-indexing
# style: class_targets only for one-hot input, integer path sums probs[:, y] along axis 1


def categorical_cross_entropy(probs, y, eps=1e-8):
    P = as_float_array(probs, "probs")
    require_batch(P, "probs", ndims=(2,))
    if (P < 0).any() or (np.abs(P.sum(axis=1) - 1.0) > 1e-6).any():
        raise ValueError("not a probability distribution per row: logits belong in softmax_cross_entropy")
    y_arr = np.asarray(y)
    if y_arr.ndim == 2:
        T = class_targets(y_arr, P.shape)
        return -(T * np.log(np.clip(P, eps, 1 - eps))).sum(axis=1)
    class_targets(y_arr, P.shape)              # validates the labels
    idx = y_arr.astype(np.int64)
    log_true = np.log(np.clip(P[:, idx], eps, 1 - eps))
    return -log_true.sum(axis=1)
