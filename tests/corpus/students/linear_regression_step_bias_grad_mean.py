# expect: linear_regression_step: bias-grad-mean
# style: "the bias gradient is the average error": g.mean()


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w must have shape (d,)")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    b_new = float(b) - float(lr) * float(g.mean())
    return w_new, b_new, loss
