"""Names pinned by ../shared/CONTRACT.md, written out here on purpose: the
tests check the implementation against the contract, not against itself."""

CONTRACT_FUNCTIONS = [
    "squared_error", "binary_cross_entropy", "categorical_cross_entropy",
    "batch_mean", "mse", "bce", "cce", "epoch_mean",
    "mse_grad", "bce_grad", "cce_grad",
    "sigmoid", "softmax", "bce_with_logits", "bce_with_logits_grad",
    "softmax_cross_entropy", "softmax_cross_entropy_grad",
    "sgd_step", "linear_regression_step",
    "accuracy", "loss_for_output", "best_epoch",
]

CONTRACT_MISTAKE_IDS = {
    "sum-not-mean", "mean-off-by-one", "unweighted-epoch-mean", "abs-not-square", "grad-missing-mean",
    "grad-divides-by-m-not-N", "grad-missing-2", "grad-sign-flipped", "grad-of-mae", "logits-grad-for-probs",
    "no-clipping", "missing-negative-class-term", "wrong-log-base", "mean-over-classes", "label-indexing",
    "softmax-wrong-axis", "unstable-softmax", "unstable-sigmoid", "naive-logits-loss", "silent-broadcast",
    "accepts-logits", "mutates-input", "accuracy-as-loss", "mse-for-classification", "best-by-train-loss",
    "loss-as-update", "gradient-ascent", "loss-after-update", "bias-grad-mean",
}
