# expect: mse_grad: grad-of-mae
# style: np.where(diff > 0, 1, -1) / N, the subgradient of |error|

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    diff = y_hat - y
    direction = np.where(diff > 0, 1.0, np.where(diff < 0, -1.0, 0.0))
    direction[np.isnan(diff)] = np.nan
    return direction / diff.size
