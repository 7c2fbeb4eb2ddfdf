# expect: loss_for_output: mse-for-classification
# style: if/elif chain; sigmoid output treated as a number in [0, 1] -> mse

def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    act = activation.strip().lower()
    if act in ("identity", "linear"):
        return "mse"
    elif act == "sigmoid":
        return "mse"
    elif act == "softmax":
        return "cce"
    raise ValueError(f"no loss known for activation {activation!r}")
