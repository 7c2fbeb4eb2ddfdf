# expect: binary_cross_entropy: no-clipping
# style: helpers, np.errstate(all="ignore") silences log(0) so 0*log(0) becomes NaN


def binary_cross_entropy(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must lie in [0, 1]; logits? use bce_with_logits")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must lie in [0, 1]")
    # eps kept in the signature, but the log is safe enough inside errstate
    with np.errstate(all="ignore"):
        return -(y * np.log(p) + (1 - y) * np.log(1 - p))
