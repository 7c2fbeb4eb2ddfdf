# expect: batch_mean: mean-off-by-one
# style: sum over len(losses) - 1, like the sample-variance formula; guards with early raise

def batch_mean(losses):
    arr = np.asarray(losses, dtype=float)
    if arr.ndim != 1:
        raise ValueError("batch_mean expects a 1-D array of per-sample losses")
    if arr.size == 0:
        raise ValueError("empty batch: there is nothing to average")
    n = len(arr) - 1
    if n == 0:
        return float(arr[0])
    return float(arr.sum() / n)
