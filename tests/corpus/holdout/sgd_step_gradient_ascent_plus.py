# expect: sgd_step: gradient-ascent
# style: np.add(w, lr * grad), everything else per the contract

def sgd_step(w, grad, lr):
    w = as_float_array(w, "w")
    grad = as_float_array(grad, "grad")
    require_same_shape(w, grad, "w", "grad")
    lr = float(lr)
    if lr <= 0 or np.isnan(lr):
        raise ValueError("lr must be a positive number")
    return np.add(w, lr * grad)
