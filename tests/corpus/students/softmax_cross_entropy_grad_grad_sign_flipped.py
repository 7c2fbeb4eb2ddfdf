# expect: softmax_cross_entropy_grad: grad-sign-flipped
# style: (t - p) / m, own softmax inline


def softmax_cross_entropy_grad(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    m = z.shape[0]
    return (t - p) / m
