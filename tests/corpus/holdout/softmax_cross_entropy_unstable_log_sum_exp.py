# expect: softmax_cross_entropy: unstable-softmax
# style: np.log(np.sum(np.exp(z))) per row without shifting, einsum for the target term

def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    t = class_targets(y, z.shape)
    lse = np.log(np.sum(np.exp(z), axis=1))
    return float(np.mean(lse - np.einsum("ik,ik->i", t, z)))
