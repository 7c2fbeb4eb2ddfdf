# expect: bce_with_logits: silent-broadcast
# style: the stable formula, np.log1p(np.exp(-np.abs(z))), but no shape check


def bce_with_logits(z, y):
    z = np.asarray(z, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if z.ndim != 1 or z.shape[0] == 0:
        raise ValueError("z must be a non-empty 1-D array of logits")
    per_sample = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    return float(per_sample.mean())
