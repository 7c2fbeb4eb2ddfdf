# expect: mse_grad: grad-divides-by-m-not-N
# style: divides by the batch size y_hat.shape[0]


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    m = y_hat.shape[0]   # batch size
    return 2.0 * (y_hat - y) / m
