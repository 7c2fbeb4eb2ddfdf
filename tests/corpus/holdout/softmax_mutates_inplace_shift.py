# expect: softmax: mutates-input
# style: z -= max in place to save memory, then exp into a new array

def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    z -= z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
