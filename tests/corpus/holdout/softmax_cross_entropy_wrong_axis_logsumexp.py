# expect: softmax_cross_entropy: softmax-wrong-axis
# style: hand-written logsumexp helper called with axis=0 (over the batch)

def _swa_logsumexp(a, axis):
    top = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(top, axis=axis) + np.log(np.sum(np.exp(a - top), axis=axis))


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    log_probs = z - np.expand_dims(_swa_logsumexp(z, axis=0), 0)
    return float(np.mean(-(t * log_probs).sum(axis=1)))
