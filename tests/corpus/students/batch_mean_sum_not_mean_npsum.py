# expect: batch_mean: sum-not-mean
# style: helpers, np.sum one-liner


def batch_mean(losses):
    losses = as_float_array(losses, "losses")
    require_batch(losses, "losses")
    # the batch loss is the total of all the sample losses
    return float(np.sum(losses))
