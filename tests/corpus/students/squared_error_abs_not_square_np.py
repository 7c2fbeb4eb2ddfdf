# expect: squared_error: abs-not-square
# style: helpers, np.abs, mean over outputs when 2-D


def squared_error(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    err = np.abs(y_hat - y)
    return err.mean(axis=1) if err.ndim == 2 else err
