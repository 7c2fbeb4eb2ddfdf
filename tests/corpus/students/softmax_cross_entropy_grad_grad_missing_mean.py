# expect: softmax_cross_entropy_grad: grad-missing-mean
# style: softmax(z) - t, the per-sample gradient


def softmax_cross_entropy_grad(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    return softmax(z) - class_targets(y, z.shape)
