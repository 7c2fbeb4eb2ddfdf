# expect: linear_regression_step: loss-after-update
# style: a tiny "train" helper that steps and then evaluates; the step reports the evaluated loss

def _lra_forward(X, w, b):
    return X @ w + b


def linear_regression_step(X, y, w, b, lr):
    X = as_float_array(X, "X")
    w = as_float_array(w, "w")
    require_batch(X, "X", ndims=(2,))
    if w.shape != (X.shape[1],):
        raise ValueError("w has the wrong length")
    b = float(b)
    g = mse_grad(_lra_forward(X, w, b), y)
    w = sgd_step(w, X.T @ g, lr)
    b = b - float(lr) * float(g.sum())
    loss = mse(_lra_forward(X, w, b), y)
    return w, b, loss
