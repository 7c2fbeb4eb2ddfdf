# expect: linear_regression_step: mutates-input
# style: updates w in place (w -= ...) and returns a copy


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w must have shape (d,)")
    if not float(lr) > 0:
        raise ValueError("lr must be positive")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    w -= lr * (X.T @ g)
    b = float(b) - lr * float(np.sum(g))
    return w.copy(), float(b), loss
