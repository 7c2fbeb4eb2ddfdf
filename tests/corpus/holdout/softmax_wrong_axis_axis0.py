# expect: softmax: softmax-wrong-axis
# style: max subtraction and normalisation both along axis=0 (the batch), keepdims

def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    shifted = z - np.max(z, axis=0, keepdims=True)
    exps = np.exp(shifted)
    return exps / np.sum(exps, axis=0, keepdims=True)
