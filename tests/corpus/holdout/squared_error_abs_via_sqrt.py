# expect: squared_error: abs-not-square
# style: sqrt of the square (RMSE habit) per element, np.mean over outputs via keepdims/squeeze

def squared_error(y_hat, y):
    a = as_float_array(y_hat, "y_hat")
    b = as_float_array(y, "y")
    require_same_shape(a, b, "y_hat", "y")
    require_batch(a, "y_hat", ndims=(1, 2))
    per_element = np.sqrt((a - b) ** 2)
    if per_element.ndim == 1:
        return per_element
    return np.squeeze(per_element.mean(axis=1, keepdims=True), axis=1)
