# expect: linear_regression_step: bias-grad-mean
# style: hand-written gradients (no mse_grad), np.mean for db, tuple unpacking


def linear_regression_step(X, y, w, b, lr):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = np.asarray(w, dtype=np.float64)
    if X.ndim != 2 or len(X) == 0:
        raise ValueError("X must be (m, d) with m >= 1")
    m, d = X.shape
    if w.shape != (d,) or y.shape != (m,):
        raise ValueError("shapes: X (m, d), y (m,), w (d,)")
    if not lr > 0:
        raise ValueError("lr must be positive")
    pred = X @ w + b
    err = pred - y
    loss = float(np.mean(err ** 2))
    dpred = 2 * err / m
    dw, db = X.T @ dpred, np.mean(dpred)
    return w - lr * dw, float(b - lr * db), loss
