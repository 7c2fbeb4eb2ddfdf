# expect: linear_regression_step: gradient-ascent
# style: writes the update by hand instead of calling sgd_step, with += on fresh arrays

def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError(f"w should have shape ({X.shape[1]},)")
    lr = float(lr)
    if not lr > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + b
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = w.copy()
    w_new += lr * (X.T @ g)
    b_new = float(b) + lr * float(g.sum())
    return w_new, b_new, loss
