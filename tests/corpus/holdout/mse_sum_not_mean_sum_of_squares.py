# expect: mse: sum-not-mean
# style: sum of squared errors ("SSE") written directly with np.sum, keeps the shape checks

def mse(y_hat, y):
    """Mean squared error of a batch."""
    pred = as_float_array(y_hat, "y_hat")
    target = as_float_array(y, "y")
    require_same_shape(pred, target, "y_hat", "y")
    require_batch(pred, "y_hat", ndims=(1, 2))
    residual = pred - target
    return float(np.sum(residual * residual))
