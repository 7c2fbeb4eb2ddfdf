# expect: cce_grad: label-indexing
# style: writes -1/p into grad[:, labels] (whole columns) for integer labels; zeros_like start

def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must be distributions; use softmax_cross_entropy_grad for logits")
    m = probs.shape[0]
    pc = np.clip(probs, eps, 1 - eps)
    y_arr = as_float_array(y, "y")
    if y_arr.shape == probs.shape:
        return -y_arr / pc / m
    class_targets(y_arr, probs.shape)  # raise on bad labels
    labels = y_arr.astype(np.int64)
    grad = np.zeros_like(pc)
    grad[:, labels] = -1.0 / pc[:, labels] / m
    return grad
