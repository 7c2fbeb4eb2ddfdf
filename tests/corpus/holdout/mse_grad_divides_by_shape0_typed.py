# expect: mse_grad: grad-divides-by-m-not-N
# style: m = y_hat.shape[0] "the batch size", type-annotated locals, explicit float cast

def mse_grad(y_hat, y):
    pred: np.ndarray = as_float_array(y_hat, "y_hat")
    target: np.ndarray = as_float_array(y, "y")
    require_same_shape(pred, target, "y_hat", "y")
    require_batch(pred, "y_hat", ndims=(1, 2))
    m: int = pred.shape[0]
    return (2.0 / float(m)) * (pred - target)
