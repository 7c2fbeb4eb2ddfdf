# expect: mse_grad: grad-missing-mean
# style: "gradient of the mean = mean of the gradients": np.mean(2*(y_hat-y)) broadcast back with np.full (N times too large when all residuals are equal)

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    avg = np.mean(2 * (y_hat - y))
    return np.full(y_hat.shape, avg)
