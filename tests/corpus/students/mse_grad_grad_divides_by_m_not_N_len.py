# expect: mse_grad: grad-divides-by-m-not-N
# style: own validation, len(y_hat) as the divisor, np.subtract/np.multiply


def mse_grad(y_hat, y):
    pred = np.array(y_hat, dtype=np.float64)
    target = np.array(y, dtype=np.float64)
    if pred.shape != target.shape:
        raise ValueError(f"y_hat {pred.shape} and y {target.shape} differ in shape")
    if pred.ndim not in (1, 2) or pred.size == 0:
        raise ValueError("empty or badly shaped batch")
    residual = np.subtract(pred, target)
    return np.multiply(residual, 2.0 / len(pred))
