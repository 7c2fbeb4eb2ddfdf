# expect: mse: abs-not-square
# style: own checks via helpers, np.abs then np.mean over all elements


def mse(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    return float(np.mean(np.abs(y_hat - y)))
