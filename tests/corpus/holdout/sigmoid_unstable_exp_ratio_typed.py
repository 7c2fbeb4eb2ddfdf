# expect: sigmoid: unstable-sigmoid
# style: exp(z) / (1 + exp(z)) for every element, with type hints and a docstring (overflows for large positive z)

def sigmoid(z: "np.ndarray | list | float") -> np.ndarray:
    """Logistic function, written as e^z / (1 + e^z)."""
    z_arr: np.ndarray = as_float_array(z, "z")
    ez: np.ndarray = np.exp(z_arr)
    return np.asarray(ez / (1.0 + ez))
