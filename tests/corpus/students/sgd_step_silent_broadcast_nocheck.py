# expect: sgd_step: silent-broadcast
# style: lr validated with an early raise, shapes never compared


def sgd_step(w, grad, lr):
    if not (lr > 0):
        raise ValueError("learning rate must be positive")
    w = np.asarray(w, dtype=np.float64)
    grad = np.asarray(grad, dtype=np.float64)
    return w - lr * grad
