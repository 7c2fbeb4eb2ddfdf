# expect: bce_grad: logits-grad-for-probs
# style: "sigmoid + BCE collapses to p - y", used for the probability gradient


def bce_grad(p, y, eps=1e-8):
    p = as_float_array(p, "p")
    y = as_float_array(y, "y")
    require_same_shape(p, y, "p", "y")
    require_batch(p, "p")
    if np.any((p < 0) | (p > 1)):
        raise ValueError("p must be probabilities in [0, 1]; logits go to bce_with_logits_grad")
    return (p - y) / len(p)
