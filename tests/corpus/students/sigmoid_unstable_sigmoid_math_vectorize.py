# expect: sigmoid: unstable-sigmoid
# style: scalar math.exp wrapped in np.vectorize, OverflowError caught and turned into NaN
import math


def _sigunst_scalar(v):
    try:
        return 1.0 / (1.0 + math.exp(-v))
    except OverflowError:
        return float("nan")


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    if z.size == 0:
        return z.copy()
    return np.vectorize(_sigunst_scalar, otypes=[np.float64])(z)
