# expect: sgd_step: silent-broadcast
# style: validates lr with an early raise, trusts w and grad to line up

def sgd_step(w, grad, lr):
    if not lr > 0:
        raise ValueError(f"learning rate must be positive, got {lr}")
    w = np.asarray(w, dtype=np.float64)
    grad = np.asarray(grad, dtype=np.float64)
    return w - lr * grad
