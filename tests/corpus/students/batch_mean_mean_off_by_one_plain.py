# expect: batch_mean: mean-off-by-one
# style: numpy, divides by m - 1 like a sample variance


def batch_mean(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    m = losses.shape[0]
    return float(losses.sum() / (m - 1))
