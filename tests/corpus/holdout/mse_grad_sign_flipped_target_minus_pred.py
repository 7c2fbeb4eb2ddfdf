# expect: mse_grad: grad-sign-flipped
# style: error defined as target minus prediction, np.subtract

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    error = np.subtract(y, y_hat)
    return 2.0 * error / error.size
