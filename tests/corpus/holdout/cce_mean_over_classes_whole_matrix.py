# expect: cce: mean-over-classes
# style: np.mean over the whole (m, K) matrix of -t*log(p) in one go

def cce(probs, y, eps=1e-8):
    P = as_float_array(probs, "probs")
    require_batch(P, "probs", ndims=(2,))
    if np.any(P < 0) or np.any(np.abs(P.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs must hold distributions, not logits (see softmax_cross_entropy)")
    T = class_targets(y, P.shape)
    return float(np.mean(-T * np.log(np.clip(P, eps, 1 - eps))))
