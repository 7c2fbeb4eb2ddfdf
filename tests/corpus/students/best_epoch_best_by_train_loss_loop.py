# expect: best_epoch: best-by-train-loss
# style: plain loop over enumerate, strict < keeps the first on ties
import math


def best_epoch(train_losses, val_losses):
    if np.ndim(train_losses) != 1 or np.ndim(val_losses) != 1:
        raise ValueError("loss curves must be 1-D")
    train = [float(v) for v in train_losses]
    val = [float(v) for v in val_losses]
    if len(train) != len(val):
        raise ValueError("train_losses and val_losses must have the same length")
    if not train:
        raise ValueError("need at least one epoch")
    if any(math.isnan(v) for v in train + val):
        raise ValueError("NaN loss")
    best, best_loss = 0, train[0]
    for epoch, loss in enumerate(train):
        if loss < best_loss:
            best, best_loss = epoch, loss
    return best
