# expect: mse_grad: grad-divides-by-m-not-N
# style: len() of the array (the first axis) as the batch size

def mse_grad(y_hat, y):
    y_hat = as_float_array(y_hat, "y_hat")
    y = as_float_array(y, "y")
    require_same_shape(y_hat, y, "y_hat", "y")
    require_batch(y_hat, "y_hat", ndims=(1, 2))
    batch_size = len(y_hat)
    return 2.0 * (y_hat - y) / batch_size
