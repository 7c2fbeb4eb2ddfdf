# expect: softmax: unstable-softmax
# style: separate 1-D branch; 2-D branch shifts by the global max, no warning handling


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    if z.ndim == 1:
        exps = np.exp(z - np.max(z))
        return exps / np.sum(exps)
    exps = np.exp(z - np.max(z))
    sums = np.sum(exps, axis=1).reshape(-1, 1)
    return exps / sums
