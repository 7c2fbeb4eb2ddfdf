# expect: cce: no-clipping
# style: fancy indexing probs[np.arange(m), y] and a raw -log; divide warning silenced


def cce(probs, y, eps=1e-8):
    probs = as_float_array(probs, "probs")
    require_batch(probs, "probs", ndims=(2,))
    if np.any(probs < 0) or not np.allclose(probs.sum(axis=1), 1, rtol=0, atol=1e-6):
        raise ValueError("each row must sum to 1 (got logits? use softmax_cross_entropy)")
    m = probs.shape[0]
    y_arr = as_float_array(y, "y")
    with np.errstate(divide="ignore", invalid="ignore"):
        if y_arr.ndim == 2:
            t = class_targets(y_arr, probs.shape)
            return float(np.mean(-np.sum(t * np.log(probs), axis=1)))
        class_targets(y_arr, probs.shape)
        p_true = probs[np.arange(m), y_arr.astype(int)]
        return float(np.mean(-np.log(p_true)))
