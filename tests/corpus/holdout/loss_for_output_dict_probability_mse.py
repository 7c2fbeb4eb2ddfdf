# expect: loss_for_output: mse-for-classification
# style: dict lookup with .get and a sentinel; both probability outputs mapped to "mse" (mse on probabilities)

_LFO_TABLE = {
    "identity": "mse",
    "linear": "mse",
    "sigmoid": "mse",
    "softmax": "mse",
}


def loss_for_output(activation):
    key = activation.lower() if isinstance(activation, str) else None
    loss = _LFO_TABLE.get(key)
    if loss is None:
        raise ValueError(f"unsupported activation {activation!r}")
    return loss
