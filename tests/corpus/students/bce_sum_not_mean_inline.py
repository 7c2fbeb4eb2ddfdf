# expect: bce: sum-not-mean
# style: reuses binary_cross_entropy, adds the losses up


def bce(p, y, eps=1e-8):
    losses = binary_cross_entropy(p, y, eps)
    return float(losses.sum())
