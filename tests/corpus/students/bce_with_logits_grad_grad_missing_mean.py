# expect: bce_with_logits_grad: grad-missing-mean
# style: sigmoid(z) - y, no division by m


def bce_with_logits_grad(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    return sigmoid(z) - y
