"""Every common mistake the graders recognise by name.

Ids are stable (gradebooks, reports and tests use them) and are exactly the
ids of the contract's table. Each entry says where in the lesson the idea
comes from and what to tell a student whose numbers show it: what the numbers
show, why it is wrong in the lesson's terms, and what to do instead.
"""
from __future__ import annotations

from dataclasses import dataclass

MODULE = "Module 01: Loss Functions & Training Signal"
DAY116 = "Day 116: Loss Functions and Error Signals"


@dataclass(frozen=True)
class Mistake:
    id: str
    title: str
    lesson: str          # the lesson text and the passage the idea comes from
    feedback: str        # what the numbers show / why it is wrong / what to do
    anchor: str = ""     # a short slug for linking to the passage

    @property
    def source(self) -> str:
        return self.lesson.split(" — ")[0]


def _m(id, title, lesson, feedback):
    return Mistake(id, title, lesson, feedback, anchor=id)


MISTAKES: dict[str, Mistake] = {m.id: m for m in [
    _m("sum-not-mean", "Summing the batch instead of averaging it",
       f"{MODULE} — Common Mistakes: forgetting mini-batch averaging",
       "Your batch loss grows with the number of samples: it is m times the right value. "
       "Training optimises the average loss over a mini-batch, so the objective and its gradient "
       "stay on the same scale whatever the batch size. Divide the sum by m (np.mean does it)."),
    _m("mean-off-by-one", "Dividing by m - 1",
       f"{MODULE} — Formulas: the mini-batch loss averages over m samples",
       "Your mean is m/(m-1) times too large: you divided by m - 1, the correction used for a "
       "sample variance. A mini-batch loss is a plain average: divide by the m samples."),
    _m("unweighted-epoch-mean", "Averaging batch means without their sizes",
       f"{MODULE} — Mini-batch view: each batch's loss is an average over its own samples",
       "Your epoch loss treats a small last batch like a full one. Each batch mean averages a "
       "different number of samples, so weight each mean by its batch size and divide by the "
       "total number of samples."),
    _m("abs-not-square", "Absolute error instead of squared error",
       f"{DAY116} — Concept 2: for regression, squared error makes large misses count more",
       "Your values match |y_hat - y| rather than (y_hat - y)**2. That is the mean absolute error, "
       "which treats a large miss only proportionally worse; MSE squares the error so large misses "
       "dominate. Square the difference."),
    _m("grad-missing-mean", "Gradient without the 1/m of the mean",
       f"{MODULE} — Mini-batch view: the batch loss is an average, so is its gradient",
       "Your gradient is m (or N) times too large: it is the gradient of the summed loss. Because "
       "the batch loss is a mean, every sample's share of the gradient carries a factor 1/m. "
       "Divide by the batch size (by N = y_hat.size for MSE)."),
    _m("grad-divides-by-m-not-N", "MSE gradient divided by m instead of N",
       f"{MODULE} — Formulas: mean squared error averages over every element",
       "With several outputs per sample your MSE gradient is k times too large: you divided by the "
       "m samples, but mse averages over all N = m * k elements. Divide by y_hat.size."),
    _m("grad-missing-2", "MSE gradient without the factor 2",
       f"{MODULE} — Training signal: dL/dy_hat = 2 (y_hat - y)",
       "Your MSE gradient is exactly half the right one: the derivative of (y_hat - y)**2 is "
       "2 (y_hat - y). Keep the 2."),
    _m("grad-sign-flipped", "Gradient with the wrong sign",
       f"{MODULE} — Quick example: a negative gradient means the prediction is too low",
       "Your gradient points the wrong way: the sign is flipped. In the lesson's example the "
       "prediction 1.2 is below the target 2.4 and the gradient is negative; an optimiser steps "
       "against the gradient, so a flipped sign makes training climb the loss. Compute "
       "prediction minus target, not target minus prediction."),
    _m("grad-of-mae", "The gradient of absolute error",
       f"{MODULE} — Training signal: the MSE gradient is proportional to the error",
       "Your gradient only carries the sign of each error: that is the gradient of absolute "
       "error. The MSE signal grows with the size of the miss, 2 (y_hat - y) / N, which is what "
       "lets large errors pull harder."),
    _m("logits-grad-for-probs", "The logits' gradient returned for probabilities",
       f"{DAY116} — Concept 3: the output layer and the loss speak the same language",
       "Your values are (p - y) / m: that is the gradient with respect to the logits, the "
       "simplification you only get when the sigmoid or softmax is folded into the loss. This "
       "function differentiates with respect to the probabilities themselves: for BCE "
       "(p - y) / (p (1 - p)) / m, for CCE -t / p / m."),
    _m("no-clipping", "No clipping before the log",
       f"{DAY116} — Concept 2: clipping is a practical numerical safeguard",
       "A prediction of exactly 0 or 1 gave inf or NaN: log(0) is minus infinity. Clip the "
       "probabilities to [eps, 1 - eps] with np.clip (into a new array) before taking the log; "
       "the loss stays very large but finite."),
    _m("missing-negative-class-term", "BCE without the negative-class term",
       f"{DAY116} — Concept 2: binary cross-entropy grades both outcomes",
       "Negative examples (y = 0) cost nothing in your BCE: the (1 - y) log(1 - p) term is "
       "missing, so a model that predicts 0.99 for a negative is never corrected. Add the term."),
    _m("wrong-log-base", "Logarithm in the wrong base",
       f"{DAY116} — Advanced connections: cross-entropy comes from information theory",
       "Your cross-entropy is a constant factor off (1/ln 10 or 1/ln 2): the log is base 10 or 2. "
       "The losses and their gradients use the natural log, np.log."),
    _m("mean-over-classes", "Averaging over the classes too",
       f"{MODULE} — Formulas: categorical cross-entropy sums over the classes",
       "Your categorical cross-entropy is 1/K of the right value: you averaged over the K classes. "
       "Within a sample the cross-entropy is a sum over classes (only the true class contributes "
       "for a one-hot target); the mean is taken over samples only."),
    _m("label-indexing", "Labels indexed as probs[:, y]",
       f"{MODULE} — Formulas: each sample is graded on the probability of its own class",
       "Your result mixes samples: probs[:, y] picks, for every row, the columns of every label, an "
       "m x m block. Pick one entry per row with probs[np.arange(m), y] (or build one-hot targets)."),
    _m("softmax-wrong-axis", "Softmax over the batch axis",
       f"{DAY116} — Concept 3: a softmax output is a distribution across classes",
       "Your rows do not sum to 1: you normalised over the samples (axis 0). Each sample's "
       "probabilities are a distribution over its classes: normalise along the last axis with "
       "keepdims=True."),
    _m("unstable-softmax", "Softmax without subtracting the max",
       f"{DAY116} — Concept 3: the stable pairing of output and loss",
       "Large logits overflowed: exp(1000) is inf, and inf/inf is NaN. Subtract each row's maximum "
       "before exp; the result is mathematically the same and never overflows."),
    _m("unstable-sigmoid", "Sigmoid that overflows for large negative inputs",
       f"{DAY116} — Concept 3: sigmoid output pairs with binary cross-entropy",
       "exp(-z) overflowed for large negative z. Use 1 / (1 + exp(-z)) only where z >= 0 and "
       "exp(z) / (1 + exp(z)) where z < 0 (or 0.5 * (1 + tanh(z / 2)))."),
    _m("naive-logits-loss", "log(sigmoid(z)) or log(softmax(z)) for logits",
       f"{DAY116} — Concept 3: output layer and loss chosen together",
       "For large logits your loss became inf or NaN: the sigmoid or softmax rounded to exactly 0 "
       "and its log to minus infinity. Compute the loss from the logits directly: "
       "max(z, 0) - z y + log1p(exp(-|z|)) for BCE, logsumexp(z) - z_true for CCE."),
    _m("silent-broadcast", "No shape check: numpy broadcast (m, 1) against (m,)",
       f"{MODULE} — Formulas: the loss compares each prediction with its own target",
       "An (m, 1) column against (m,) targets gave a result instead of an error: numpy broadcast "
       "them to an m x m grid that compares every prediction with every target. Check that the "
       "shapes are equal and raise ValueError when they are not."),
    _m("accepts-logits", "Probability loss that accepts logits",
       f"{DAY116} — Concept 3: the loss must grade answers of the kind the output gives",
       "Your probability loss silently accepted values outside [0, 1] (or rows that are not "
       "distributions). Those are logits; clipping them hides the bug. Raise ValueError and point "
       "to bce_with_logits / softmax_cross_entropy."),
    _m("mutates-input", "Writing into an argument",
       f"{MODULE} — Training signal: the same prediction feeds the loss and the gradient",
       "Your function changed an array the caller passed in (for example clipping p in place). "
       "The caller still needs the original values, e.g. for the gradient. Work on new arrays: "
       "np.clip(p, eps, 1 - eps) without out=, w - lr * grad instead of w -= ..."),
    _m("accuracy-as-loss", "Counting wrong answers instead of measuring the loss",
       f"{DAY116} — Today's Aha: 0.51 and 0.001 for a positive are not wrong in the same way",
       "Your loss only counts thresholded mistakes, so a hesitant miss and a confident miss cost "
       "the same. That is accuracy, a metric. Cross-entropy measures how far the probability is "
       "from the target, which is what gives training a useful signal."),
    _m("mse-for-classification", "MSE for a classification output",
       f"{DAY116} — Concept 3: sigmoid <-> binary CE, softmax <-> categorical CE",
       "You paired a sigmoid or softmax output with MSE. Those outputs are probabilities; grade them "
       "with cross-entropy (bce for sigmoid, cce for softmax). MSE is for real-valued outputs."),
    _m("best-by-train-loss", "Choosing the epoch by training loss",
       f"{MODULE} — Common Mistakes: lower training loss does not always mean a better model",
       "You picked the epoch with the lowest training loss. Training loss keeps falling while a "
       "model memorises its data; the validation loss shows when it stops generalising. Pick the "
       "argmin of the validation curve."),
    _m("loss-as-update", "Updating weights with the loss value",
       f"{MODULE} — Common Mistakes: thinking the loss updates weights directly",
       "Your update moves the weights by a single scalar (the loss, or a summary of the signal) "
       "instead of each weight's own gradient. The loss is only the objective; backpropagation turns "
       "it into one gradient per weight, and the step is w - lr * grad."),
    _m("gradient-ascent", "Adding the gradient",
       f"{MODULE} — Takeaway: gradients tell the optimizer how to update the model",
       "Your step adds the gradient, which climbs the loss. The gradient points uphill; gradient "
       "descent subtracts it: w - lr * grad."),
    _m("loss-after-update", "Reporting the loss after the step",
       f"{MODULE} — Background: the loss of the current prediction drives the update",
       "The loss you return belongs to the updated weights. The step is computed from the loss of "
       "the weights that came in; report that one (compute it before you update)."),
    _m("bias-grad-mean", "Bias gradient averaged twice",
       f"{MODULE} — Mini-batch view: the gradient of a mean already carries 1/m",
       "Your bias moved m times too little: g = mse_grad(...) already includes the 1/m, so the bias "
       "gradient is g.sum(), not g.mean()."),
]}

# Pairs that no input can tell apart for the function named (none at present:
# every variant differs from every other on the probes). The mutation test
# reads this to allow both names.
INDISTINGUISHABLE: dict[tuple[str, str], set[str]] = {}
