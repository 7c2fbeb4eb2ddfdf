# expect: mse: abs-not-square
# style: math.fabs in a loop over flattened elements, divided by N

import math as _ma_math


def mse(y_hat, y):
    a = as_float_array(y_hat, "y_hat")
    b = as_float_array(y, "y")
    require_same_shape(a, b, "y_hat", "y")
    require_batch(a, "y_hat", ndims=(1, 2))
    total = 0.0
    count = 0
    for pred, target in zip(a.ravel(), b.ravel()):
        total += _ma_math.fabs(pred - target)
        count += 1
    return total / count
