# expect: bce_with_logits_grad: grad-sign-flipped
# style: (y - sigmoid(z)) / m, the "error = target - output" habit from perceptrons

def bce_with_logits_grad(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    m = z.shape[0]
    return (y - sigmoid(z)) / m
