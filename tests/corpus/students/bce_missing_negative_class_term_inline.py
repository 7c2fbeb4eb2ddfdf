# expect: bce: missing-negative-class-term
# style: only scores the positive class, mean via np.average
import math


def bce(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be a probability, not a logit (see bce_with_logits)")
    if np.any((y < 0) | (y > 1)):
        raise ValueError("y must be a 0/1 label")
    per_sample = [-t * math.log(min(max(q, eps), 1 - eps)) if not math.isnan(q) else math.nan
                  for q, t in zip(p.tolist(), y.tolist())]
    return float(np.average(per_sample))
