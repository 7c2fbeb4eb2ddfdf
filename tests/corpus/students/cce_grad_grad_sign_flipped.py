# expect: cce_grad: grad-sign-flipped
# style: t / p / m: "more probability on the right class = bigger signal"


def cce_grad(probs, y, eps=1e-8):
    P = as_float_array(probs, "probs")
    require_batch(P, "probs", ndims=(2,))
    if (P < 0).any() or (np.abs(P.sum(axis=1) - 1) > 1e-6).any():
        raise ValueError("probs rows are not distributions: for logits use softmax_cross_entropy_grad")
    T = class_targets(y, P.shape)
    return T / np.clip(P, eps, 1 - eps) / P.shape[0]
