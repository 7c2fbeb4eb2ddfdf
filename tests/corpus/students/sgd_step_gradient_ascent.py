# expect: sgd_step: gradient-ascent
# style: "move along the gradient": w + lr * grad


def sgd_step(w, grad, lr):
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    if not float(lr) > 0:
        raise ValueError("the learning rate must be positive")
    return w + float(lr) * grad
