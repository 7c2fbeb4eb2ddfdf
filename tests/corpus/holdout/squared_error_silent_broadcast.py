# expect: squared_error: silent-broadcast
# style: only the empty check, relies on numpy to line the arrays up

def squared_error(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    if y_hat.size == 0 or y.size == 0:
        raise ValueError("empty batch")
    if y_hat.ndim not in (1, 2):
        raise ValueError("y_hat must be 1-D or 2-D")
    sq = (y_hat - y) ** 2
    return sq.mean(axis=1) if sq.ndim == 2 else sq
