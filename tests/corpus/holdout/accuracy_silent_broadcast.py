# expect: accuracy: silent-broadcast
# style: checks labels, NaN and emptiness, but not that p and y have the same shape

def accuracy(p, y, threshold=0.5):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    if p.size == 0:
        raise ValueError("accuracy of an empty batch is undefined")
    if np.isnan(p).any() or np.isnan(threshold):
        raise ValueError("NaN prediction or threshold")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must be 0/1 labels")
    predicted = (p >= threshold).astype(float)
    return float((predicted == y).mean())
