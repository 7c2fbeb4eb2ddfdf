# expect: mse_grad: grad-of-mae
# style: np.sign of the residual divided by N

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    return np.sign(y_hat - y) / y_hat.size
