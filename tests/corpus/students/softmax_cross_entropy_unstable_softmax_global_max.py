# expect: softmax_cross_entropy: unstable-softmax
# style: logsumexp shifted by the global maximum of the batch, warnings filtered
import warnings


def softmax_cross_entropy(logits, y):
    z = as_float_array(logits, "logits")
    require_batch(z, "logits", ndims=(2,))
    targets = class_targets(y, z.shape)
    c = z.max()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lse = c + np.log(np.exp(z - c).sum(axis=1))
    return float(np.mean(lse - (targets * z).sum(axis=1)))
