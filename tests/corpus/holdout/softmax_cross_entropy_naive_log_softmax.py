# expect: softmax_cross_entropy: naive-logits-loss
# style: -log(softmax(z)) picked per row with arange indexing / one-hot sum

def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    targets = class_targets(y, z.shape)
    probs = softmax(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_row = -np.sum(targets * np.log(probs), axis=1)
    return float(np.mean(per_row))
