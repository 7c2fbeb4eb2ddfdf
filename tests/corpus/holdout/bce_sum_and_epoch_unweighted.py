# expect: bce: sum-not-mean
# expect: epoch_mean: unweighted-epoch-mean
# style: two small slips in the averaging part: np.sum for the batch BCE, statistics.mean of the batch means

import statistics as _bse_stats


def bce(p, y, eps=1e-8):
    return float(np.sum(binary_cross_entropy(p, y, eps)))


def epoch_mean(batch_means, batch_sizes):
    means = as_float_array(batch_means, "batch_means")
    sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(means, sizes, "batch_means", "batch_sizes")
    require_batch(means, "batch_means")
    if np.any(~(sizes > 0)):
        raise ValueError("all batch sizes must be positive")
    return float(_bse_stats.mean(means.tolist()))
