# expect: epoch_mean: unweighted-epoch-mean
# style: validates the sizes, then a plain np.mean of the batch means


def epoch_mean(batch_means, batch_sizes):
    batch_means = as_float_array(batch_means, "batch_means")
    batch_sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(batch_means, batch_sizes, "batch_means", "batch_sizes")
    require_batch(batch_means, "batch_means")
    if not np.all(batch_sizes > 0):
        raise ValueError("batch sizes must be positive")
    # every mini-batch is one step, so every batch mean counts once
    return float(np.mean(batch_means))
