# expect: mse_grad: mutates-input
# style: in-place arithmetic on y_hat to avoid a temporary array


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    n = y_hat.size
    y_hat -= y
    y_hat *= 2.0 / n
    return y_hat
