# expect: sigmoid: unstable-sigmoid
# style: the "other" form exp(z) / (1 + exp(z)) everywhere, inside np.errstate


def sigmoid(z):
    z = as_float_array(z, "z")
    with np.errstate(over="ignore", invalid="ignore"):
        ez = np.exp(z)
        out = ez / (1 + ez)
    return np.array(out, dtype=np.float64)
