# expect: epoch_mean: mutates-input
# style: weights the means in place (*=) before summing


def epoch_mean(batch_means, batch_sizes):
    means = as_float_array(batch_means, "batch_means")
    sizes = as_float_array(batch_sizes, "batch_sizes")
    require_same_shape(means, sizes, "batch_means", "batch_sizes")
    require_batch(means, "batch_means")
    if np.any(~(sizes > 0)):
        raise ValueError("every batch size must be > 0")
    means *= sizes                      # now each entry is the batch's total loss
    return float(means.sum() / sizes.sum())
