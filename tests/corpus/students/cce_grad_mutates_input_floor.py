# expect: cce_grad: mutates-input
# style: floors and caps tiny probabilities in place with boolean masks before dividing


def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("each row must be a distribution; logits need softmax_cross_entropy_grad")
    targets = class_targets(y, probs.shape)
    probs[probs < eps] = eps
    probs[probs > 1 - eps] = 1 - eps
    return -targets / probs / probs.shape[0]
