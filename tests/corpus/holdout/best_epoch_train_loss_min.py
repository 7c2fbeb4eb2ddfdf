# expect: best_epoch: best-by-train-loss
# style: min() with key over enumerate, picks the lowest training loss

def best_epoch(train_losses, val_losses):
    tr = as_float_array(train_losses, "train_losses")
    va = as_float_array(val_losses, "val_losses")
    if tr.shape != va.shape or tr.ndim != 1:
        raise ValueError("train and validation curves must be 1-D and the same length")
    if tr.size == 0:
        raise ValueError("no epochs")
    if np.isnan(tr).any() or np.isnan(va).any():
        raise ValueError("NaN in a loss curve")
    best_index, _ = min(enumerate(tr.tolist()), key=lambda pair: pair[1])
    return best_index
