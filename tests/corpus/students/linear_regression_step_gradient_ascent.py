# expect: linear_regression_step: gradient-ascent
# style: right gradients, added instead of subtracted


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError(f"w has shape {w.shape}, expected ({X.shape[1]},)")
    lr = float(lr)
    if not lr > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = w + lr * (X.T @ g)
    b_new = float(b) + lr * float(g.sum())
    return w_new, b_new, loss
