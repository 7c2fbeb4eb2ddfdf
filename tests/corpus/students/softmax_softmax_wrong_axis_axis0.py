# expect: softmax: softmax-wrong-axis
# style: stable shift, but max and sum both taken over axis 0 (the batch)


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    shifted = z - np.max(z, axis=0, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=0, keepdims=True)
