# expect: softmax: softmax-wrong-axis
# style: row max subtracted correctly, then normalised by the column sums (e.sum(0))


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    if z.ndim == 1:
        e = np.exp(z - z.max())
        return e / e.sum()
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(0)
