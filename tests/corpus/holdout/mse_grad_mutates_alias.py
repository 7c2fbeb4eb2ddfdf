# expect: mse_grad: mutates-input
# style: "diff = y_hat" alias then diff -= y, so the caller's y_hat is overwritten; math otherwise right

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    n = y_hat.size
    diff = y_hat
    diff -= y
    return 2.0 * diff / n
