# expect: mse_grad: grad-missing-mean
# style: the lesson's per-sample formula 2*(y_hat - y), no 1/N


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    return 2 * (y_hat - y)
