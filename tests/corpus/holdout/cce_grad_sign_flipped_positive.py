# expect: cce_grad: grad-sign-flipped
# style: t / p / m without the minus, try/except around the target conversion

def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if (probs < 0).any() or (np.abs(probs.sum(axis=1) - 1.0) > 1e-6).any():
        raise ValueError("rows of probs must sum to 1 - looks like logits: use softmax_cross_entropy_grad")
    try:
        targets = class_targets(y, probs.shape)
    except ValueError as err:
        raise ValueError(f"bad targets for cce_grad: {err}") from None
    m = probs.shape[0]
    return targets / np.clip(probs, eps, 1 - eps) / m
