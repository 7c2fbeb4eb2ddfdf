# expect: bce_with_logits: naive-logits-loss
# style: own stable sigmoid helper, uses 1 - sigmoid(z) = sigmoid(-z), then np.log of both; no warning handling


def _bwlnaive_sig(v):
    out = np.empty_like(v)
    pos = v >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-v[pos]))
    e = np.exp(v[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def bce_with_logits(z, y):
    z = as_float_array(z, "z")
    y = as_float_array(y, "y")
    require_same_shape(z, y, "z", "y")
    require_batch(z, "z")
    log_p = np.log(_bwlnaive_sig(z))
    log_not_p = np.log(_bwlnaive_sig(-z))
    return float(-np.mean(y * log_p + (1 - y) * log_not_p))
