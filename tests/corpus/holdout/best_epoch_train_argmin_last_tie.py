# expect: best_epoch: best-by-train-loss
# style: sorted() over (loss, index) pairs of the training curve; validation curve only validated

def best_epoch(train_losses, val_losses):
    train = as_float_array(train_losses, "train_losses")
    val = as_float_array(val_losses, "val_losses")
    require_same_shape(train, val, "train_losses", "val_losses")
    require_batch(train, "train_losses")
    if np.isnan(train).any() or np.isnan(val).any():
        raise ValueError("a loss curve contains NaN")
    ranked = sorted((loss, i) for i, loss in enumerate(train.tolist()))
    return ranked[0][1]
