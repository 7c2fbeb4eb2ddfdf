# expect: softmax: unstable-softmax
# style: textbook exp / sum(exp) over the last axis, no max subtraction

def softmax(z):
    z = as_float_array(z, "z")
    if z.ndim not in (1, 2):
        raise ValueError("softmax takes a 1-D sample or a 2-D batch of logits")
    if z.size == 0:
        raise ValueError("empty input")
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)
