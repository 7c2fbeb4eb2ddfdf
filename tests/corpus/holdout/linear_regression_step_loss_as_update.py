# expect: linear_regression_step: loss-as-update
# style: subtracts lr * loss from every weight and the bias; the gradient is computed but unused

def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must have shape ({X.shape[1]},)")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)  # noqa: F841 (kept for later)
    w_new = w - lr * loss
    b_new = float(b) - float(lr) * loss
    return w_new, b_new, loss
