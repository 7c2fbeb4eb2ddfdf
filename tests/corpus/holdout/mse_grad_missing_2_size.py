# expect: mse_grad: grad-missing-2
# style: divides by y_hat.size correctly but drops the factor 2 (the 1/2 convention)

def mse_grad(y_hat, y):
    pred = as_float_array(y_hat, "y_hat")
    true = as_float_array(y, "y")
    require_same_shape(pred, true, "y_hat", "y")
    require_batch(pred, "y_hat", ndims=(1, 2))
    diff = pred - true
    return diff / diff.size
