# expect: bce_with_logits: naive-logits-loss
# style: sigmoid first, then the unclipped BCE formula (errstate hides log(0))


def bce_with_logits(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    p = sigmoid(z)
    with np.errstate(divide="ignore", invalid="ignore"):
        losses = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(np.mean(losses))
