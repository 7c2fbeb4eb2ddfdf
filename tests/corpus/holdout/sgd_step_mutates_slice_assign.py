# expect: sgd_step: mutates-input
# style: w[:] = w - lr * grad, then returns w (the caller's array, updated in place)

def sgd_step(w, grad, lr):
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not float(lr) > 0:
        raise ValueError("lr must be > 0")
    w[:] = w - lr * grad
    return w
