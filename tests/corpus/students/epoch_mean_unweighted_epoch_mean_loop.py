# expect: epoch_mean: unweighted-epoch-mean
# style: zip loop over (mean, size) pairs, sizes only validated
from typing import Iterable


def epoch_mean(batch_means: Iterable[float], batch_sizes: Iterable[float]) -> float:
    means = [float(v) for v in np.asarray(batch_means, dtype=float).reshape(-1)]
    sizes = [float(v) for v in np.asarray(batch_sizes, dtype=float).reshape(-1)]
    if np.ndim(batch_means) != 1 or np.ndim(batch_sizes) != 1:
        raise ValueError("batch_means and batch_sizes must be 1-D")
    if len(means) != len(sizes):
        raise ValueError("one size per batch mean, please")
    if not means:
        raise ValueError("no batches")
    total = 0.0
    for mean, size in zip(means, sizes):
        if not size > 0:
            raise ValueError(f"batch size {size} is not positive")
        total += mean
    return total / len(means)
