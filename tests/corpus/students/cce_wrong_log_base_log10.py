# expect: cce: wrong-log-base
# style: gathers the true-class probability with take_along_axis, np.log10, own validation


def cce(probs, y, eps=1e-8):
    P = np.asarray(probs, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] == 0:
        raise ValueError("probs must be a non-empty (m, K) matrix")
    m, K = P.shape
    if (P < 0).any() or not np.allclose(P.sum(axis=1), 1.0, rtol=0, atol=1e-6):
        raise ValueError("rows of probs must be distributions; logits need softmax_cross_entropy")
    Y = np.asarray(y, dtype=np.float64)
    if Y.shape == (m, K):
        return float(-np.mean(np.sum(Y * np.log10(np.clip(P, eps, 1 - eps)), axis=1)))
    if Y.shape != (m,):
        raise ValueError("y must be (m,) labels or (m, K) targets")
    if np.isnan(Y).any() or (Y != np.round(Y)).any() or (Y < 0).any() or (Y >= K).any():
        raise ValueError("labels must be whole numbers in [0, K)")
    idx = Y.astype(np.intp)[:, None]
    p_true = np.take_along_axis(P, idx, axis=1)[:, 0]
    return float(np.mean(-np.log10(np.clip(p_true, eps, 1 - eps))))
