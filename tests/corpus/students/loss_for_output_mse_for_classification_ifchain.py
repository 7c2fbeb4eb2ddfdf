# expect: loss_for_output: mse-for-classification
# style: if/elif chain; "MSE works for every output", only the names are checked


def loss_for_output(activation):
    if not isinstance(activation, str):
        raise ValueError("activation must be a string such as 'sigmoid'")
    a = activation.lower()
    if a in ("identity", "linear"):
        return "mse"
    elif a == "sigmoid":
        return "mse"
    elif a == "softmax":
        return "mse"
    raise ValueError(f"no loss known for activation {activation!r}")
