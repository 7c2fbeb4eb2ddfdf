# expect: linear_regression_step: loss-after-update
# style: steps first, then reports mse of the new prediction ("the loss of the updated model")

def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w does not match the number of features")
    y_hat = X @ w + float(b)
    g = mse_grad(y_hat, y)
    w_new = sgd_step(w, X.T @ g, lr)
    b_new = float(b) - float(lr) * float(np.sum(g))
    loss = mse(X @ w_new + b_new, y)
    return w_new, b_new, loss
