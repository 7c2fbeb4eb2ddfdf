# expect: loss_for_output: mse-for-classification
# style: dict lookup; a sigmoid output is a number in [0, 1], so MSE


def loss_for_output(activation):
    table = {
        "identity": "mse",
        "linear": "mse",
        "sigmoid": "mse",
        "softmax": "cce",
    }
    if not isinstance(activation, str):
        raise ValueError("activation must be a string")
    key = activation.lower()
    if key not in table:
        raise ValueError(f"unknown activation {activation!r}")
    return table[key]
