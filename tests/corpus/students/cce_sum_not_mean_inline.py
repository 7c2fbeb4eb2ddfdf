# expect: cce: sum-not-mean
# style: reuses categorical_cross_entropy, np.sum with float()


def cce(probs, y, eps=1e-8):
    return float(np.sum(categorical_cross_entropy(probs, y, eps=eps)))
