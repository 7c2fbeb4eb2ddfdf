# expect: softmax_cross_entropy: naive-logits-loss
# style: -log(softmax(z)) picked at the labels, log(0) silenced


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    probs = softmax(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_probs = np.log(probs)
        per_sample = -(t * log_probs).sum(axis=1)
    return float(per_sample.mean())
