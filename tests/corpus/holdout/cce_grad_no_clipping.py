# expect: cce_grad: no-clipping
# style: divides by the raw probabilities inside np.errstate(all="ignore")

def cce_grad(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows are not distributions (logits?): use softmax_cross_entropy_grad")
    t = class_targets(y, probs.shape)
    with np.errstate(all="ignore"):
        g = -t / probs
    return g / probs.shape[0]
