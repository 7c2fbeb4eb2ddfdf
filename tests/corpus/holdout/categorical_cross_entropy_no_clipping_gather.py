# expect: categorical_cross_entropy: no-clipping
# style: gathers the true-class probability with np.take_along_axis for labels, no clip

def _ccn_targets_or_labels(y, shape):
    return class_targets(y, shape)


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    row_sums = probs.sum(axis=1)
    if (probs < 0).any() or (np.abs(row_sums - 1) > 1e-6).any():
        raise ValueError("rows must sum to 1 and be non-negative: for logits use softmax_cross_entropy")
    t = _ccn_targets_or_labels(y, probs.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(t > 0, np.log(probs), 0.0)
    return -(t * logs).sum(axis=1)
