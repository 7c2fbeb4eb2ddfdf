# expect: bce_grad: grad-missing-mean
# style: private helper for validation, per-sample derivative without the 1/m

def _bgm_checked(p, y):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if ((p < 0) | (p > 1)).any():
        raise ValueError("p must lie in [0, 1]; these look like logits, use bce_with_logits_grad")
    return p, y


def bce_grad(p, y, eps=1e-8):
    p, y = _bgm_checked(p, y)
    pc = np.clip(p, eps, 1 - eps)
    return -y / pc + (1 - y) / (1 - pc)
