# expect: cce_grad: label-indexing
# style: zeros then fills grad[:, y] = -1 / p[:, y] / m (an m x m block)


def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs must be distributions; logits go to softmax_cross_entropy_grad")
    m = probs.shape[0]
    pc = np.clip(probs, eps, 1 - eps)
    y = as_float_array(y, "y")
    if y.ndim == 2:
        t = class_targets(y, probs.shape)
        return -t / pc / m
    class_targets(y, probs.shape)   # label checks
    labels = y.astype(int)
    grad = np.zeros_like(pc)
    grad[:, labels] = -1.0 / pc[:, labels] / m
    grad[np.isnan(probs).any(axis=1)] = np.nan
    return grad
