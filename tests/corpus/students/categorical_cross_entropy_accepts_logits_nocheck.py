# expect: categorical_cross_entropy: accepts-logits
# style: no distribution check, the clip is trusted to make any input safe


def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    targets = class_targets(y, probs.shape)
    safe = np.clip(probs, eps, 1 - eps)
    return -(targets * np.log(safe)).sum(axis=1)
