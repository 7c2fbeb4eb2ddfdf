# expect: bce_with_logits_grad: silent-broadcast
# style: len(z) for m, reshape-free, no shape comparison

def bce_with_logits_grad(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    if len(z) == 0:
        raise ValueError("empty batch")
    if z.ndim != 1:
        raise ValueError("z must be 1-D")
    return (sigmoid(z) - y) / len(z)
