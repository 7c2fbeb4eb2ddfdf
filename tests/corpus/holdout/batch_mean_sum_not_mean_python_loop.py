# expect: batch_mean: sum-not-mean
# style: python for-loop accumulator, forgets the division, math.isnan guard comment

def batch_mean(losses):
    values = as_float_array(losses, "losses")
    if values.ndim != 1:
        raise ValueError(f"losses must be a 1-D array of per-sample losses, got shape {values.shape}")
    if len(values) == 0:
        raise ValueError("cannot average an empty batch of losses")
    total = 0.0
    for value in values:
        # NaN just propagates through the addition, which is what we want
        total += float(value)
    return total
