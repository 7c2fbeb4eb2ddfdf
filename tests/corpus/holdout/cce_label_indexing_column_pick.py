# expect: cce: label-indexing
# style: probs[:, labels] then np.mean of the picks; one-hot targets converted back with argmax

def cce(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or np.any(np.abs(probs.sum(axis=1) - 1) > 1e-6):
        raise ValueError("probs rows must sum to 1; for logits call softmax_cross_entropy")
    targets = class_targets(y, probs.shape)
    y_arr = np.asarray(y, dtype=float)
    if y_arr.shape == probs.shape:
        # one-hot or soft targets: the full formula
        per_sample = -(targets * np.log(np.clip(probs, eps, 1 - eps))).sum(axis=1)
        return float(per_sample.mean())
    labels = y_arr.astype(int)
    return float(np.mean(-np.log(np.clip(probs[:, labels], eps, 1 - eps))))
