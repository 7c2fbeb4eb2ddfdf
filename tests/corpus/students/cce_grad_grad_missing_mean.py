# expect: cce_grad: grad-missing-mean
# style: -t / p per sample, no 1/m


def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("rows must be distributions (logits? softmax_cross_entropy_grad)")
    t = class_targets(y, probs.shape)
    return -t / np.clip(probs, eps, 1 - eps)
