# expect: squared_error: abs-not-square
# style: np.abs of the residual, averaged over outputs with np.mean(axis=-1)

def squared_error(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    err = np.abs(y_hat - y)
    if err.ndim == 2:
        return err.mean(axis=-1)
    return err
