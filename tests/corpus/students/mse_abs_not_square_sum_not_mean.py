# expect: mse: abs-not-square, sum-not-mean
# style: two slips in one function, .item() return


def mse(y_hat, y):
    a = as_float_array(y_hat, "y_hat")
    b = as_float_array(y, "y")
    require_same_shape(a, b, "y_hat", "y")
    require_batch(a, "y_hat", ndims=(1, 2))
    err = np.abs(a - b)
    if err.ndim == 2:
        err = err.mean(axis=1)
    return np.sum(err).item()
