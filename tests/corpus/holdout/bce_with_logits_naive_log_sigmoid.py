# expect: bce_with_logits: naive-logits-loss
# style: applies the file's stable sigmoid and then the plain BCE formula without clipping

def bce_with_logits(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    s = sigmoid(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    return float(losses.mean())
