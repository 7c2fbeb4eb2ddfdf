# expect: mse_grad: silent-broadcast
# style: no shape comparison, N taken from the difference


def mse_grad(y_hat, y):
    y_hat = np.asarray(y_hat, dtype=float)
    y = np.asarray(y, dtype=float)
    if y_hat.size == 0 or y_hat.ndim not in (1, 2):
        raise ValueError("y_hat must be a non-empty (m,) or (m, k) batch")
    diff = y_hat - y
    return 2 * diff / diff.size
