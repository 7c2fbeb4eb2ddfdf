# expect: bce: no-clipping, sum-not-mean
# style: two slips in one function: raw log and a summed total, warnings filtered
import warnings


def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("probabilities only (logits go to bce_with_logits)")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be in [0, 1]")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        total = -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p))
    return float(total)
