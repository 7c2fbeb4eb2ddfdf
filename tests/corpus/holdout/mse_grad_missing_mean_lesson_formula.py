# expect: mse_grad: grad-missing-mean
# style: copies the lesson's per-sample formula 2*(y_hat - y), type hints

def mse_grad(y_hat, y) -> np.ndarray:
    y_hat_arr: np.ndarray = as_float_array(y_hat, "y_hat")
    y_arr: np.ndarray = as_float_array(y, "y")
    require_same_shape(y_hat_arr, y_arr, "y_hat", "y")
    require_batch(y_hat_arr, "y_hat", ndims=(1, 2))
    # dL/dy_hat = 2 (y_hat - y)
    return 2 * (y_hat_arr - y_arr)
