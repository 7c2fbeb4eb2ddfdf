# expect: bce_grad: grad-missing-mean
# style: per-sample derivative only, written as two fractions


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p outside [0, 1] (logits?): use bce_with_logits_grad")
    pc = np.clip(p, eps, 1 - eps)
    return -y / pc + (1 - y) / (1 - pc)
