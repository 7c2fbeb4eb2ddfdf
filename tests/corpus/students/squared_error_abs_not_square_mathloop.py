# expect: squared_error: abs-not-square
# style: plain python loops with math.fabs, own validation
import math


def squared_error(y_hat, y):
    yh = np.asarray(y_hat, dtype=np.float64)
    yt = np.asarray(y, dtype=np.float64)
    if yh.shape != yt.shape:
        raise ValueError(f"shape mismatch: y_hat {yh.shape} vs y {yt.shape}")
    if yh.ndim not in (1, 2) or yh.shape[0] == 0 or yh.size == 0:
        raise ValueError("need a non-empty batch of shape (m,) or (m, k)")
    rows_hat = yh.reshape(yh.shape[0], -1)
    rows_y = yt.reshape(yt.shape[0], -1)
    out = []
    for row_hat, row_y in zip(rows_hat, rows_y):
        errs = [math.fabs(a - b) for a, b in zip(row_hat, row_y)]
        out.append(sum(errs) / len(errs))
    return np.array(out, dtype=np.float64)
