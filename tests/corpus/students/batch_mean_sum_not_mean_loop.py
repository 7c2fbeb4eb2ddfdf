# expect: batch_mean: sum-not-mean
# style: plain for-loop accumulator, own checks, early raise


def batch_mean(losses):
    arr = np.asarray(losses, dtype=float)
    if arr.ndim != 1:
        raise ValueError("losses must be a 1-D array of per-sample losses")
    if len(arr) == 0:
        raise ValueError("cannot average an empty batch")
    total = 0.0
    for value in arr:
        total += value
    # "aggregate the losses from several samples into one objective"
    return float(total)
