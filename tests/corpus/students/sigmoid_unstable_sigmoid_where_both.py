# expect: sigmoid: unstable-sigmoid
# style: np.where picks the stable branch, but numpy evaluates both first


def sigmoid(z):
    z = as_float_array(z, "z")
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
