"""Checks of mlp_loss_and_grads(X, y, W1, b1, W2, b2, mask=None, p=0.0): a two-layer network
on a batch, forward and backward by hand.

z1 = X W1 + b1, h = relu(z1) (times mask / (1 - p) with a mask), scores = h W2 + b2, and the
loss is the batch mean of the softmax cross-entropy; the result is (loss as a Python float,
{"W1", "b1", "W2", "b2"} gradients). Known mistakes are modelled by one function with a
switch per mistake, so that each model is the reference's computation with one step wrong.
"""
import numbers

import numpy as np
import pytest

from autograder.checking.cases import floats, ints, rng
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.references.backprop import _check_arguments

SECTION_FORWARD = "The network and its forward pass"
SECTION_STABLE = "A stable softmax cross-entropy"
SECTION_SCORES = "Backward: the gradient of the scores"
SECTION_BATCH = "Backward: weights and biases on a batch"
SECTION_RELU = "Backward: through dropout and relu"
SECTION_EXERCISE = "Exercise: `mlp_loss_and_grads`"

BIASES = ("b1", "b2")


def _computed(X, y, W1, b1, W2, b2, mask=None, p=0.0, *, checked=True, bias_sum="sum",
              wrong_biases=BIASES, loss_sum=False, grads_per_n=True, onehot=True,
              softmax_axis=1, forward_mask=True, forward_scale=True, backward_mask=True,
              backward_scale=True, relu_at_zero=0.0, dW2_from="h", transposed=()):
    """The reference's computation, with each keyword switching one step to a known mistake."""
    if checked:
        _check_arguments(X, y, W1, b1, W2, b2, mask)
    N = X.shape[0]
    rows = np.arange(N)
    z1 = X @ W1 + b1
    h_relu = np.maximum(z1, 0)
    forward = 1.0 if mask is None or not forward_mask else \
        mask / (1 - p) if forward_scale else mask * 1.0
    backward = 1.0 if mask is None else \
        (mask if backward_mask else 1.0) / ((1 - p) if backward_scale else 1.0)
    h = h_relu * forward
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=softmax_axis, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=softmax_axis, keepdims=True))
    losses = -log_probs[rows, y]
    loss = losses.sum() if loss_sum else losses.mean()
    dscores = np.exp(log_probs)
    if onehot:
        dscores[rows, y] -= 1
    if grads_per_n:
        dscores /= N
    dh = dscores @ W2.T * backward
    dz1 = dh * np.where(z1 == 0, relu_at_zero, z1 > 0)
    factor = {"h": h, "X": X, "z1": z1, "h_relu": h_relu}[dW2_from]
    grads = {"W1": dz1.T @ X if "W1" in transposed else X.T @ dz1,
             "b1": dz1,
             "W2": dscores.T @ factor if "W2" in transposed else factor.T @ dscores,
             "b2": dscores}
    for key in BIASES:
        wrong = key in wrong_biases
        grads[key] = {"sum": grads[key].sum(axis=0), "none": grads[key],
                      "axis1": grads[key].sum(axis=1),
                      "mean": grads[key].mean(axis=0)}[bias_sum if wrong else "sum"]
    return float(loss), grads


def _model(*, needs_mask=False, **wrong):
    def model(X, y, W1, b1, W2, b2, mask=None, p=0.0):
        if needs_mask and mask is None:
            raise DoesNotApply("no mask")
        return _computed(X, y, W1, b1, W2, b2, mask, p, **wrong)
    return model


def _unchecked(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    """The right computation with no argument check, on the invalid inputs only."""
    try:
        _check_arguments(X, y, W1, b1, W2, b2, mask)
    except ValueError:
        return _computed(X, y, W1, b1, W2, b2, mask, p, checked=False)
    raise DoesNotApply("valid inputs")


def _per_bias(name, hint, section, **wrong):
    """The mistake made on both biases, on b1 only or on b2 only: one name, three models."""
    return [Mistake(name, _model(wrong_biases=which, **wrong), hint, section)
            for which in (BIASES, ("b1",), ("b2",))]


BIAS_HINT_TAIL = "shaped like the bias, as unbroadcast does."
UNSTABLE = Mistake(
    "an unstable softmax (no max subtraction): exp overflows for large scores, giving NaN or inf",
    None, "Subtract each row's largest score before np.exp: the softmax does not change, and "
          "exp never overflows.", SECTION_STABLE)
LOG_OF_ZERO = Mistake(
    "the log of a softmax probability that underflowed to 0 (the loss is inf for large scores)",
    None, "Compute the log-probabilities directly, log p = shifted - log(sum(exp(shifted))) with "
          "shifted = scores - max (log-sum-exp), never np.log of the softmax.", SECTION_STABLE)
LOSS_TYPE = Mistake(
    "the loss returned as an array or a tensor, not a Python float", None,
    "Convert the loss with float(...) (or .item() for a tensor) before returning it.",
    SECTION_EXERCISE)
MISTAKES = [
    Mistake("no argument checks (invalid inputs give a result instead of ValueError)",
            _unchecked,
            "Check the shapes, the range of the labels and the mask's shape first and raise "
            "ValueError: broadcasting and negative indices turn such inputs into wrong "
            "answers without any error.", SECTION_EXERCISE),
    *_per_bias("the bias gradients not summed over the batch",
               "A bias is broadcast over the N rows of the batch, so its gradient is the sum of "
               f"the rows' gradients: .sum(axis=0), {BIAS_HINT_TAIL}", SECTION_BATCH,
               bias_sum="none"),
    *_per_bias("the bias gradients summed over the wrong axis (axis=1)",
               "Sum over the batch, axis 0 (the axis broadcasting added), not over the units: "
               f".sum(axis=0), {BIAS_HINT_TAIL}", SECTION_BATCH, bias_sum="axis1"),
    *_per_bias("the bias gradients averaged over the batch (divided by N twice)",
               "dscores already carries the 1/N of the mean: sum the rows for the bias, "
               "do not average them again.", SECTION_BATCH, bias_sum="mean"),
    Mistake("the loss and gradients summed over the batch instead of averaged",
            _model(loss_sum=True, grads_per_n=False),
            "The loss is the MEAN of the examples' losses: divide by N, and so "
            "dscores = (softmax - onehot) / N.", SECTION_SCORES),
    Mistake("the gradients not divided by N (the loss is the mean over the batch)",
            _model(grads_per_n=False),
            "The mean's 1/N reaches every gradient: dscores = (softmax - onehot) / N.",
            SECTION_SCORES),
    Mistake("the one-hot of y not subtracted (dscores = softmax / N)", _model(onehot=False),
            "The gradient of -log softmax(s)[y] is softmax(s) - onehot(y): subtract 1 at each "
            "example's label.", SECTION_SCORES),
    Mistake("the softmax taken over the batch (axis 0) instead of the classes",
            _model(softmax_axis=0),
            "Each example has its own distribution over the C classes: max, exp-sum and "
            "normalisation go along axis 1 (keepdims=True).", SECTION_STABLE),
    Mistake("the mask ignored (no dropout applied)", _model(needs_mask=True, forward_mask=False,
                                                            backward_mask=False,
                                                            backward_scale=False),
            "With a mask, h becomes h * mask / (1 - p) before the second layer.",
            SECTION_FORWARD),
    Mistake("the 1/(1 - p) scaling forgotten (h * mask only)",
            _model(needs_mask=True, forward_scale=False, backward_scale=False),
            "Inverted dropout divides the kept units by 1 - p: h * mask / (1 - p), and the "
            "backward pass multiplies by the same mask / (1 - p).", SECTION_FORWARD),
    Mistake("the mask forgotten in the backward pass",
            _model(needs_mask=True, backward_mask=False, backward_scale=False),
            "The dropped units did not reach the scores, so no gradient flows back to them: "
            "multiply dh by mask / (1 - p), as in the forward pass.", SECTION_RELU),
    Mistake("the mask forgotten in the backward pass",
            _model(needs_mask=True, backward_mask=False),
            "The dropped units did not reach the scores, so no gradient flows back to them: "
            "multiply dh by mask / (1 - p), as in the forward pass.", SECTION_RELU),
    Mistake("the 1/(1 - p) scaling missing from the backward pass",
            _model(needs_mask=True, backward_scale=False),
            "The forward pass multiplied by mask / (1 - p), so the backward pass multiplies dh "
            "by the same mask / (1 - p).", SECTION_RELU),
    Mistake("relu'(0) = 1 (z1 >= 0 instead of z1 > 0)", _model(relu_at_zero=1.0),
            "relu'(0) is 0 in this course, as in PyTorch: dz1 = dh * (z1 > 0).", SECTION_RELU),
    Mistake("dW2 computed from X instead of h", _model(dW2_from="X"),
            "The second layer's input is h (after relu and dropout): dW2 = h.T @ dscores.",
            SECTION_BATCH),
    Mistake("dW2 computed from z1, before the relu", _model(dW2_from="z1"),
            "The second layer multiplies h = relu(z1), not z1: dW2 = h.T @ dscores.",
            SECTION_BATCH),
    Mistake("dW2 computed from h before dropout (the mask left out)",
            _model(needs_mask=True, dW2_from="h_relu"),
            "The second layer saw the dropped-out h * mask / (1 - p): use that h in "
            "dW2 = h.T @ dscores.", SECTION_BATCH),
    *[Mistake("a weight gradient transposed (shaped (out, in) instead of like W)",
              _model(transposed=(key,)),
              "Each gradient has its parameter's shape: dW2 = h.T @ dscores is (H, C) and "
              "dW1 = X.T @ dz1 is (D, H).", SECTION_BATCH) for key in ("W1", "W2")],
    UNSTABLE, LOG_OF_ZERO, LOSS_TYPE,
]

LARGE = 700.0   # past about 709, np.exp overflows in float64


def _scores(case):
    X, _, W1, b1, W2, b2 = case.args[:6]
    return np.maximum(X @ W1 + b1, 0) @ W2 + b2   # the scores without dropout: near enough


def _explain(case, got, mismatch):
    """Name what no model reproduces: the loss's type, and NaN or inf from exp or log."""
    if not (isinstance(got, tuple) and len(got) == 2):
        return None
    loss, grads = got
    if mismatch.kind == "type" and mismatch.message.startswith("result[0] "):
        return LOSS_TYPE
    if np.max(np.abs(_scores(case))) < LARGE or not isinstance(grads, dict):
        return None
    arrays = [g for g in grads.values() if isinstance(g, np.ndarray) and g.dtype.kind == "f"]
    if any(not np.all(np.isfinite(g)) for g in arrays):
        return UNSTABLE
    if isinstance(loss, numbers.Real) and not np.isfinite(loss):
        return LOG_OF_ZERO
    return None


def network(name, N, D, H, C, seed, *, scale=1.0, p=None, labels=np.int64):
    """A case: X (N, D), y (N,), W1, b1, W2 (times `scale`), b2 and, with p, a keep-mask."""
    X, W1, b1 = floats((N, D), seed), floats((D, H), seed + 1), floats((H,), seed + 2)
    W2, b2 = floats((H, C), seed + 3, scale=scale), floats((C,), seed + 4)
    y = ints((N,), seed + 5, low=0, high=C, dtype=labels)
    kwargs = {} if p is None else {"mask": rng(seed + 6).random((N, H)) >= p, "p": p}
    return Case(name, (X, y, W1, b1, W2, b2), kwargs)


def relu_zeros(name, seed, *, p=None):
    """Integer-valued X, W1 and b1 (exact in floating point), with z1 = X W1 + b1 exactly 0
    for the whole first example and wherever else the integers cancel."""
    N, D, H, C = 5, 3, 4, 3
    X = ints((N, D), seed, low=-2, high=3).astype(float)
    W1 = ints((D, H), seed + 1, low=-2, high=3).astype(float)
    b1 = -(X @ W1)[0]
    case = network(name, N, D, H, C, seed, p=p)
    return Case(name, (X, case.args[1], W1, b1, *case.args[4:]), case.kwargs)


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "float64", "int64", "int32", "mask=bool", "p=float"}
PUBLIC = [
    network("N = 5, D = 3, H = 4, C = 3 without a mask (y an int64 array)", 5, 3, 4, 3, 1),
    network("a dropout mask with p = 0.5", 6, 3, 5, 4, 10, p=0.5),
    network("large scores (|scores| up to about 4000): no overflow", 6, 3, 4, 3, 20, scale=3000.0),
    relu_zeros("z1 = X W1 + b1 exactly 0 in some entries, where relu'(0) = 0", 30),
    network("D = H = C = 4, where a wrong factor or a transpose keeps the shapes", 5, 4, 4, 4,
            40),
    network("labels an int32 array", 7, 3, 4, 3, 100, labels=np.int32),
]
HIDDEN = [
    network("a single example, N = 1", 1, 3, 4, 3, 50),
    network("two classes, H = 16 (as in the training run)", 8, 2, 16, 2, 60),
    network("a mask with p = 0.8", 6, 4, 5, 3, 70, p=0.8),
    network("a mask with p = 0.2 and large scores", 5, 3, 6, 4, 80, p=0.2, scale=3000.0),
    network("large negative scores", 4, 2, 3, 5, 90, scale=-5000.0),
    relu_zeros("z1 exactly 0 in some entries, with a mask p = 0.5", 110, p=0.5),
    network("N = 12, D = 5, H = 7, C = 6", 12, 5, 7, 6, 120),
]


@points(2.5, hidden=1.5)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (loss, gradients) as the reference: a Python float, then a dict with keys W1, b1,
    W2, b2 shaped like the parameters; inputs unchanged."""
    expect_same(student, reference, case, mistake_of=_explain)


def _changed(name, position, value, *, base=PUBLIC[0]):
    args = list(base.args)
    args[position] = value
    return Case(name, tuple(args), base.kwargs)


_X, _Y = PUBLIC[0].args[0], PUBLIC[0].args[1]
SHAPES = [
    (_changed("ValueError for b1 of shape (1,), which + would broadcast over H = 4", 3,
              np.array([0.5])), "b1 must have shape (H,) = (4,)"),
    (_changed("ValueError for y of length N + 1 = 6", 1, np.array([0, 1, 2, 0, 1, 2])),
     "y must have shape (N,) = (5,)"),
    (_changed("ValueError for W1 with D + 1 = 4 rows", 2, floats((4, 4), 200)),
     "W1 must have shape (D, H) with D = 3"),
]
HIDDEN_SHAPES = [
    (_changed("ValueError for b2 of shape (1, C), which + would broadcast", 5,
              floats((1, 3), 201)), "b2 must have shape (C,) = (3,)"),
    (_changed("ValueError for y of shape (N, 1)", 1, _Y.reshape(-1, 1)),
     "y must have shape (N,) = (5,)"),
    (_changed("ValueError for X of shape (D,): one example without its batch axis", 0, _X[0]),
     "X must be 2-d, (N, D)"),
    (_changed("ValueError for W2 with H - 1 = 3 rows", 4, floats((3, 3), 202)),
     "W2 must have shape (H, C) with H = 4"),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(SHAPES, HIDDEN_SHAPES))
def test_rejects_shapes_that_do_not_fit(student, case, why):
    """Parameters whose shapes do not fit X and each other raise ValueError, even where
    broadcasting would hide it."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])


LABELS = [
    (_changed("ValueError for a label -1 (a negative index would pick the last class)", 1,
              np.array([0, 2, -1, 1, 0])), "labels must lie in [0, C) = [0, 3)"),
    (_changed("ValueError for a label C = 3", 1, np.array([0, 3, 1, 1, 2])),
     "labels must lie in [0, C) = [0, 3)"),
]
HIDDEN_LABELS = [
    (_changed("ValueError for a label C + 5 = 8", 1, np.array([8, 0, 1, 1, 2])),
     "labels must lie in [0, C) = [0, 3)"),
    (_changed("ValueError for a label -C = -3", 1, np.array([0, 1, 1, 2, -3])),
     "labels must lie in [0, C) = [0, 3)"),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(LABELS, HIDDEN_LABELS))
def test_rejects_labels_out_of_range(student, case, why):
    """A label outside [0, C), negative or too large, raises ValueError."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])


def _mask(name, shape, seed):
    base = PUBLIC[1]
    return Case(name, base.args, {"mask": rng(seed).random(shape) >= 0.5, "p": 0.5})


MASKS = [
    (_mask("ValueError for a mask of shape (H,) = (5,), which would broadcast over the batch",
           (5,), 300), "the mask must have shape (N, H) = (6, 5)"),
    (_mask("ValueError for a mask of shape (1, H) = (1, 5)", (1, 5), 301),
     "the mask must have shape (N, H) = (6, 5)"),
]
HIDDEN_MASKS = [
    (_mask("ValueError for a mask of shape (N, 1) = (6, 1)", (6, 1), 302),
     "the mask must have shape (N, H) = (6, 5)"),
    (_mask("ValueError for a mask of shape (H, N) = (5, 6)", (5, 6), 303),
     "the mask must have shape (N, H) = (6, 5)"),
]


@points(0.25, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(MASKS, HIDDEN_MASKS))
def test_rejects_a_mask_of_another_shape(student, case, why):
    """A mask whose shape is not (N, H) raises ValueError, even where it would broadcast."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[1])
