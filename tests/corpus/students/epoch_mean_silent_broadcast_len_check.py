# expect: epoch_mean: silent-broadcast
# style: checks batch_means is 1-D and compares len() only, so a (B, 1) column of sizes broadcasts


def epoch_mean(batch_means, batch_sizes):
    means = np.asarray(batch_means, dtype=np.float64)
    sizes = np.asarray(batch_sizes, dtype=np.float64)
    if means.ndim != 1:
        raise ValueError("batch_means must be a 1-D array")
    if sizes.ndim == 0 or len(means) != len(sizes):
        raise ValueError("need one batch size per batch mean")
    if len(means) == 0:
        raise ValueError("an epoch needs at least one batch")
    if not (sizes > 0).all():
        raise ValueError("batch sizes must be positive")
    weighted_total = np.sum(means * sizes)
    return float(weighted_total / np.sum(sizes))
