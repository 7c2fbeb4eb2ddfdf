# expect: categorical_cross_entropy: accepts-logits
# style: no row-sum or sign check, so softmax outputs and raw scores alike go straight into the log

def categorical_cross_entropy(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    targets = class_targets(y, probs.shape)
    logp = np.log(np.clip(probs, eps, 1 - eps))
    return -(targets * logp).sum(axis=1)
