# expect: softmax: unstable-softmax
# style: no max subtraction, overflow hidden by np.errstate


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(z)
        return e / e.sum(axis=-1, keepdims=True)
