# expect: sigmoid: unstable-sigmoid
# style: np.where picking between the two forms (both evaluated on every element)

def sigmoid(z):
    z = np.array(z, dtype=np.float64)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))
