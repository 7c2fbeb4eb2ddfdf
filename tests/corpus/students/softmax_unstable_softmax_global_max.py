# expect: softmax: unstable-softmax
# style: subtracts the GLOBAL max z.max(), warnings filtered out
import warnings


def softmax(z):
    z = as_float_array(z, "z")
    require_batch(z, "z", ndims=(1, 2))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore")
        e = np.exp(z - z.max())
        return e / e.sum(axis=-1, keepdims=True)
