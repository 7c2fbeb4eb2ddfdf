# expect: sigmoid: unstable-sigmoid
# style: clips z to +-709 "to be safe" and masks by sign, but the negative branch uses the unclipped z

def sigmoid(z):
    z = as_float_array(z, "z")
    z_safe = np.clip(z, -709.0, 709.0)
    out = np.zeros(z.shape, dtype=np.float64)
    pos = z_safe >= 0
    neg = ~pos
    out[pos] = 1.0 / (1.0 + np.exp(-z_safe[pos]))
    out[neg] = 1.0 / (1.0 + np.exp(-z[neg]))
    return out
