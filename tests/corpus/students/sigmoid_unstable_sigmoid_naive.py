# expect: sigmoid: unstable-sigmoid
# style: textbook 1 / (1 + exp(-z)) one-liner


def sigmoid(z):
    z = np.asarray(z, dtype=np.float64)
    s = 1.0 / (1.0 + np.exp(-z))
    return np.asarray(s)   # keep an array even for a scalar z
