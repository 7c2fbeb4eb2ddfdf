# expect: cce_grad: logits-grad-for-probs
# style: softmax-style (probs - t) / m used as the gradient w.r.t. probabilities


def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs must be distributions; use softmax_cross_entropy_grad for logits")
    t = class_targets(y, probs.shape)
    return (probs - t) / probs.shape[0]
