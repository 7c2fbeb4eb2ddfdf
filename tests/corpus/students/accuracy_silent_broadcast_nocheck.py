# expect: accuracy: silent-broadcast
# style: mean of an elementwise comparison, no shape check


def accuracy(p, y, threshold=0.5):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    if p.size == 0:
        raise ValueError("no predictions")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("labels must be 0 or 1")
    predictions = (p >= threshold).astype(float)
    return float((predictions == y).mean())
