# expect: mse: sum-not-mean
# style: calls squared_error, sums inline with .sum()


def mse(y_hat, y):
    per_sample = squared_error(y_hat, y)
    return float(per_sample.sum())
