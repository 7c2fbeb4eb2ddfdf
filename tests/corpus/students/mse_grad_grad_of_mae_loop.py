# expect: mse_grad: grad-of-mae
# style: explicit per-element loop with if/elif, +-1/N ("direction only")


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    N = y_hat.size
    out = np.empty(y_hat.shape, dtype=np.float64)
    for idx in np.ndindex(y_hat.shape):
        d = y_hat[idx] - y[idx]
        if d > 0:
            out[idx] = 1.0 / N
        elif d < 0:
            out[idx] = -1.0 / N
        elif d == 0:
            out[idx] = 0.0
        else:
            out[idx] = np.nan
    return out
