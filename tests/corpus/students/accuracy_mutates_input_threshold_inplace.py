# expect: accuracy: mutates-input
# style: thresholds p in place with boolean masks


def accuracy(p, y, threshold=0.5):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("cannot threshold NaN")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must be 0/1")
    above = p >= threshold
    p[above] = 1.0
    p[~above] = 0.0
    return float(np.mean(p == y))
