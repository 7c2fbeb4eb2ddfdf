# expect: cce_grad: logits-grad-for-probs
# style: (probs - t) / m as in softmax+CCE, one-hot via np.eye indexing

def cce_grad(probs, y, eps=1e-8):
    P = as_float_array(probs, "probs")
    require_batch(P, "probs", ndims=(2,))
    if np.any(P < 0) or not np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        raise ValueError("probs rows must be distributions; logits belong in softmax_cross_entropy_grad")
    m, K = P.shape
    Y = as_float_array(y, "y")
    if Y.shape == (m, K):
        T = Y
    else:
        T = class_targets(Y, (m, K))
    return (P - T) / m
