# expect: mse_grad: grad-missing-2
# style: derivative of the mean residual, forgets the chain-rule 2


def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    n = y_hat.size
    return (y_hat - y) / n
