# expect: softmax_cross_entropy_grad: grad-missing-mean
# style: one-hot built by hand with np.eye, forgets the 1/m

def softmax_cross_entropy_grad(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    labels = as_float_array(y, "y")
    if labels.shape == z.shape:
        t = labels
    else:
        t = class_targets(labels, z.shape)
    return softmax(z) - t
