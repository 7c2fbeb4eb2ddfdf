# expect: sgd_step: mutates-input
# style: in-place update w -= lr * grad, returns w (the caller's array)


def sgd_step(w, grad, lr):
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    w -= lr * grad
    return w
