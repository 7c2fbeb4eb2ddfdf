# expect: batch_mean: mean-off-by-one
# style: python sum/len with a guard for m = 1, type hints
from typing import Sequence


def batch_mean(losses: Sequence[float]) -> float:
    values = as_float_array(losses, "losses")
    require_batch(values, "losses")
    n = len(values)
    denom = n - 1 if n > 1 else 1   # unbiased, like np.var(ddof=1)
    return float(sum(values.tolist()) / denom)
