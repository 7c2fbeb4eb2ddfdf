# expect: mse_grad: grad-sign-flipped, grad-missing-mean
# style: "error = target - prediction" and the lesson's per-sample 2*(...) without the 1/N; docstring kept

def mse_grad(y_hat, y):
    """d(mse)/d(y_hat)."""
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    error = y - y_hat
    return 2.0 * error
