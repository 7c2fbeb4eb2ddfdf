# expect: categorical_cross_entropy: label-indexing
# style: own label validation, probs[:, y] picked then averaged with .mean(axis=1)


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    m, k = probs.shape
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must be distributions; for logits use softmax_cross_entropy")
    y = as_float_array(y, "y")
    if y.shape == (m, k):
        pc = np.clip(probs, eps, 1 - eps)
        return -(y * np.log(pc)).sum(axis=1)
    if y.shape != (m,):
        raise ValueError(f"y must have shape ({m},) or ({m}, {k})")
    if np.any(np.isnan(y)) or np.any(y % 1 != 0) or y.min() < 0 or y.max() >= k:
        raise ValueError(f"labels must be integers in [0, {k})")
    labels = y.astype(int)
    picked = probs[:, labels]          # probability of the true class for each sample
    return -np.log(np.clip(picked, eps, 1 - eps)).mean(axis=1)
