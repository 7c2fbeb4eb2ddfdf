# expect: linear_regression_step: loss-after-update
# style: explicit per-feature loops, residuals recomputed after the update for the report


def linear_regression_step(X, y, w, b, lr):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    w = np.asarray(w, dtype=float)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError("X must be a non-empty (m, d) matrix")
    m, d = X.shape
    if y.shape != (m,):
        raise ValueError(f"y must have shape ({m},)")
    if w.shape != (d,):
        raise ValueError(f"w must have shape ({d},)")
    if not lr > 0:
        raise ValueError("lr must be positive")
    b = float(b)
    residual = X @ w + b - y
    g = 2.0 * residual / m
    new_w = w.copy()
    for j in range(d):
        new_w[j] = w[j] - lr * float(np.dot(X[:, j], g))
    new_b = b - lr * float(np.sum(g))
    after = X @ new_w + new_b - y
    loss = float(np.mean(after ** 2))
    return new_w, float(new_b), loss
