# expect: squared_error: silent-broadcast
# style: no shape check, only an emptiness check


def squared_error(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    if y_hat.ndim not in (1, 2) or y_hat.size == 0:
        raise ValueError("y_hat must be a non-empty (m,) or (m, k) array")
    diff = y_hat - y
    sq = diff ** 2
    if sq.ndim == 2:
        return sq.mean(axis=1)
    return sq
