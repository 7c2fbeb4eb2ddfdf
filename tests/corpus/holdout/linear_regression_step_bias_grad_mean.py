# expect: linear_regression_step: bias-grad-mean
# style: divides the bias gradient by m again with g.mean(); unpacks X.shape

def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    m, d = X.shape
    if w.shape != (d,):
        raise ValueError(f"expected w of shape ({d},), got {w.shape}")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    g = mse_grad(y_hat, y)
    grad_w = X.T @ g
    grad_b = g.mean()
    w_new = sgd_step(w, grad_w, lr)
    b_new = float(b) - float(lr) * float(grad_b)
    return w_new, b_new, loss
