# expect: epoch_mean: unweighted-epoch-mean
# style: validates sizes with a comprehension, then averages the batch means plainly

def epoch_mean(batch_means, batch_sizes):
    means = as_float_array(batch_means, "batch_means")
    sizes = as_float_array(batch_sizes, "batch_sizes")
    if means.ndim != 1 or sizes.ndim != 1:
        raise ValueError("batch_means and batch_sizes must be 1-D")
    if len(means) != len(sizes):
        raise ValueError(f"{len(means)} batch means but {len(sizes)} batch sizes")
    if len(means) == 0:
        raise ValueError("an epoch needs at least one batch")
    if not all([s > 0 for s in sizes]):
        raise ValueError("batch sizes must be positive")
    # every batch went through the same loss, so the epoch loss is their average
    return sum([float(m) for m in means]) / len(means)
