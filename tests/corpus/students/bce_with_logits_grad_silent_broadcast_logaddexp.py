# expect: bce_with_logits_grad: silent-broadcast
# style: sigmoid inline as exp(-logaddexp(0, -z)), checks only that z is non-empty


def bce_with_logits_grad(z, y):
    z = np.asarray(z, dtype=float)
    y = np.asarray(y, dtype=float)
    if z.ndim != 1 or len(z) == 0:
        raise ValueError("z must be a non-empty vector")
    s = np.exp(-np.logaddexp(0.0, -z))
    return (s - y) / len(z)
