# expect: sigmoid: unstable-sigmoid
# style: clips z to [-710, 710] "because exp overflows above 709", but exp(710) itself overflows

def sigmoid(z):
    z = as_float_array(z, "z")
    z_clipped = np.clip(z, -710, 710)
    return np.asarray(1.0 / (1.0 + np.exp(-z_clipped)), dtype=np.float64)
