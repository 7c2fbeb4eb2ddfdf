# expect: mse_grad: grad-missing-2
# style: closure factory for "mean-scaled residual", 1/2-MSE convention from another course


def _msegrad2_scaled_residual(scale_of):
    def grad(y_hat, y):
        a = as_float_array(y_hat, "y_hat")
        b = as_float_array(y, "y")
        require_same_shape(a, b, "y_hat", "y")
        require_batch(a, "y_hat", ndims=(1, 2))
        return (a - b) * scale_of(a)
    return grad


# d/dy_hat of 1/2 * mean((y_hat - y)^2): the 1/2 cancels the 2
mse_grad = _msegrad2_scaled_residual(lambda a: 1.0 / a.size)
