# expect: linear_regression_step: loss-as-update
# style: feeds the loss, spread to w's shape with np.full_like, into sgd_step; bias moved by the loss too

def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("one weight per feature expected")
    y_hat = X @ w + float(b)
    loss = mse(y_hat, y)
    w_new = sgd_step(w, np.full_like(w, loss), lr)
    b_new = float(b) - float(lr) * loss
    return w_new, b_new, loss
