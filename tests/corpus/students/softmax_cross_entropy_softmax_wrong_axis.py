# expect: softmax_cross_entropy: softmax-wrong-axis
# style: stable logsumexp, but over axis 0 (the batch) with keepdims


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    zmax = z.max(axis=0, keepdims=True)
    log_probs = z - zmax - np.log(np.exp(z - zmax).sum(axis=0, keepdims=True))
    return float(-(t * log_probs).sum(axis=1).mean())
