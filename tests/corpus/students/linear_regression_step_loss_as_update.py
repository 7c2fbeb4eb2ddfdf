# expect: linear_regression_step: loss-as-update
# style: the scalar loss is what moves w and b


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w must have one weight per feature")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    # a larger loss should mean a larger correction
    w_new = w - lr * loss
    b_new = float(b) - lr * loss
    return w_new, float(b_new), loss
