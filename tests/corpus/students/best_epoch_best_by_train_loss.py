# expect: best_epoch: best-by-train-loss
# style: np.argmin of the training curve


def best_epoch(train_losses, val_losses):
    train_losses = as_float_array(train_losses, "train_losses")
    val_losses = as_float_array(val_losses, "val_losses")
    require_same_shape(train_losses, val_losses, "train_losses", "val_losses")
    require_batch(train_losses, "train_losses")
    if np.isnan(train_losses).any() or np.isnan(val_losses).any():
        raise ValueError("NaN in the loss curves")
    return int(np.argmin(train_losses))
