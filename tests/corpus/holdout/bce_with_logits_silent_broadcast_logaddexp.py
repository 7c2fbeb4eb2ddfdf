# expect: bce_with_logits: silent-broadcast
# style: np.logaddexp(0, z) - z*y, only an emptiness guard, no shape comparison

def bce_with_logits(z, y):
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if z.size == 0 or z.ndim != 1:
        raise ValueError("z must be a non-empty 1-D array of logits")
    with np.errstate(invalid="ignore"):
        per_sample = np.logaddexp(0.0, z) - z * y
    return float(np.mean(per_sample))
