"""Checks of dropout_forward(x, p, rng, train=True): inverted dropout, mask drawn from rng.

Dropout is random, and a correct answer may draw its mask from `rng` in many ways
(rng.random(shape) >= p, rng.random(shape) < 1 - p, rng.binomial(1, 1 - p, shape), ...),
so no check ever compares the student's mask with the reference's. As in CS231n's dropout
notebook, the checks test what every correct answer shares, on fixed seeds: the mask is a
boolean array of x's shape, out = x * mask / (1 - p) for the mask returned, the kept
fraction is near 1 - p on a large input, the mask depends on rng and nothing else, and
train=False changes nothing.
"""
import math

import numpy as np
import pytest

from autograder.checking import compare as comparing
from autograder.checking.cases import floats, rng
from autograder.checking.expect import Case, cases, expect_raises, expect_unchanged, points
from autograder.checking.mistakes import Mistake
from autograder.protocol.codec import type_name

SECTION_MASK = "Dropout as a random Hadamard mask"
SECTION_SCALE = "Inverted dropout: scaling by 1/(1 - p)"
SECTION_EVAL = "Training and evaluation mode"

# No models: a random mask cannot be reproduced, so the checks below name these themselves.
NO_SCALING = Mistake(
    "dropout without the 1/(1 - p) scaling", None,
    "Divide the kept values by 1 - p (inverted dropout), so that the expected output "
    "equals x and nothing needs rescaling at evaluation time.", SECTION_SCALE)
TIMES_KEEP = Mistake(
    "multiplying by (1 - p) instead of dividing by it", None,
    "Inverted dropout scales the kept values up: out = x * mask / (1 - p).", SECTION_SCALE)
KEEP_SCALE = Mistake(
    "p used as the keep probability (the kept values were divided by p)", None,
    "Here p is the DROP probability (PyTorch's convention): keep each element with "
    "probability 1 - p and divide by 1 - p.", SECTION_MASK)
KEEP_FRACTION = Mistake(
    "p used as the keep probability (kept fraction ≈ p)", None,
    "Here p is the DROP probability (PyTorch's convention): keep each element with "
    "probability 1 - p, e.g. mask = rng.random(x.shape) >= p.", SECTION_MASK)
KEEP_PROBABILITY_MASK = Mistake(
    "p used as the keep probability, with the scaling folded into a float mask "
    "((r < p) / p, as in some course notes)", None,
    "Here p is the DROP probability (PyTorch's convention): keep each element with "
    "probability 1 - p, return the boolean keep-mask (rng.random(x.shape) >= p) and scale "
    "out by 1 / (1 - p).", SECTION_MASK)
DROP_MASK = Mistake(
    "the drop mask returned instead of the keep mask", None,
    "mask must be True where x is kept, and out = x * mask / (1 - p) for that same mask.",
    SECTION_MASK)
MASK_NOT_APPLIED = Mistake(
    "the mask not applied to x (out = x / (1 - p))", None,
    "Multiply x element-wise by the mask: out = x * mask / (1 - p).", SECTION_MASK)
NOT_FROM_RNG = Mistake(
    "a mask not drawn from rng", None,
    "Draw every random number from the rng argument (e.g. rng.random(x.shape) >= p), never "
    "from np.random or a generator of your own: the same rng state must give the same mask.",
    SECTION_MASK)
RNG_NOT_ADVANCED = Mistake(
    "a mask not drawn from rng itself (rng was not advanced)", None,
    "Draw from the rng you were given, not from np.random, a new generator or a copy of rng: "
    "the next call with the same rng must get a fresh mask.", SECTION_MASK)
EVAL_DROP = Mistake(
    "dropping at eval time (train=False)", None,
    "With train=False, dropout is the identity: return x unchanged and an all-True mask.",
    SECTION_EVAL)
EVAL_SCALE = Mistake(
    "scaling at eval time (train=False)", None,
    "Inverted dropout already scaled during training, so with train=False out equals x "
    "(multiplying by 1 - p at test time is the old, non-inverted dropout).", SECTION_EVAL)
EVAL_RNG = Mistake(
    "drawing from rng at eval time (train=False)", None,
    "With train=False, return before drawing anything: evaluation must not change rng.",
    SECTION_EVAL)
MISTAKES = [NO_SCALING, TIMES_KEEP, KEEP_SCALE, KEEP_FRACTION, KEEP_PROBABILITY_MASK, DROP_MASK,
            MASK_NOT_APPLIED, NOT_FROM_RNG, RNG_NOT_ADVANCED, EVAL_DROP, EVAL_SCALE, EVAL_RNG]

STANDARD_ERRORS = 6  # a correct draw lands this far from 1 - p with probability ~2e-9


def _fail(student, case, message, mistake=None, hint=None):
    raise student.fail(case, message, mistake=mistake, hint=None if mistake else hint)


def _out_and_mask(student, case):
    """Call the student's function; insist on a tuple (out, mask) of the right kinds."""
    call = student.returns(case)
    x, result = case.args[0], call.result
    if type(result) is not tuple or len(result) != 2:
        size = f" of length {len(result)}" if isinstance(result, (tuple, list)) else ""
        _fail(student, case, f"the result should be a tuple (out, mask), but it is "
                             f"{comparing.with_article(type_name(result))}{size}",
              hint="Return both arrays: `return out, mask`.")
    out, mask = result
    if type(mask) is not np.ndarray:
        _fail(student, case, f"result[1] (the mask) should be a NumPy array, but it is "
                             f"{comparing.with_article(type_name(mask))}",
              hint="Return the boolean keep-mask as a NumPy array.")
    if mask.shape != x.shape:
        _fail(student, case, f"the mask has shape {comparing.shape_text(mask.shape)}, "
                             f"expected x's shape {comparing.shape_text(x.shape)}",
              hint="Draw one keep/drop decision per element of x: rng.random(x.shape).")
    if mask.dtype != np.bool_:
        kept = mask[mask != 0] if mask.dtype.kind in "biuf" else np.array([])
        if kept.size and np.allclose(kept, 1 / case.args[1]):
            _fail(student, case, f"the mask has dtype {mask.dtype}, expected bool, and its "
                                 f"kept entries are 1/p", KEEP_PROBABILITY_MASK)
        _fail(student, case, f"the mask has dtype {mask.dtype}, expected bool",
              hint="The mask is boolean, True where x is kept: rng.random(x.shape) >= p "
                   "gives one directly (convert a 0/1 array with .astype(bool)).")
    if type(out) is not np.ndarray:
        mismatch = comparing.compare(out, x, path="result[0]")
        _fail(student, case, mismatch.message if mismatch else "result[0] is not an array",
              hint="out is a NumPy array like x.")
    expect_unchanged(student, case, call)
    return call, out, mask


def _expect_inverted(student, case, out, mask):
    """out == x * mask / (1 - p) for the student's own mask, dtype of x kept."""
    x, p = case.args[0], case.args[1]
    expected = x * mask / (1 - p)
    mismatch = comparing.compare(out, expected, path="result[0]", check_dtype=False)
    if mismatch is not None:
        message = f"out is not x * mask / (1 - p) for the mask returned: {mismatch.message}"
        with np.errstate(all="ignore"):
            models = [(NO_SCALING, x * mask), (TIMES_KEEP, x * mask * (1 - p)),
                      (KEEP_SCALE, x * mask / p if p else None),
                      (DROP_MASK, x * ~mask / (1 - p)), (MASK_NOT_APPLIED, x / (1 - p))]
        for mistake, model in models:
            if model is not None and comparing.compare(out, model, check_dtype=False) is None:
                _fail(student, case, message, mistake)
        _fail(student, case, message, hint="Use the mask you return: out = x * mask / (1 - p).")
    mismatch = comparing.compare(out, expected, path="result[0]")
    if mismatch is not None:
        _fail(student, case, mismatch.message,
              hint="Keep x's dtype: x * mask / (1 - p) does, while mask.astype(float) or "
                   "a float64 array of scales would turn float32 into float64.")


def _state(generator):
    return generator.bit_generator.state


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "float32", "float"}
BASIC = [
    Case("4x5 floats, p = 0.5", (floats((4, 5), 1), 0.5, rng(101))),
    Case("1-d (10,), p = 0.25", (floats((10,), 2), 0.25, rng(102))),
    Case("3-d (2, 3, 4), p = 0.3", (floats((2, 3, 4), 3), 0.3, rng(103))),
    Case("float32 x keeps its dtype, p = 0.5",
         (floats((3, 4), 4, dtype=np.float32), 0.5, rng(104))),
]
BASIC_HIDDEN = [
    Case("p = 0.9, most entries dropped", (floats((5, 6), 5), 0.9, rng(105))),
]


@points(0.5, hidden=0.75)
@pytest.mark.parametrize("case", cases(BASIC, BASIC_HIDDEN))
def test_out_and_mask(student, case):
    """Returns (out, mask) with a boolean mask of x's shape and out = x * mask / (1 - p)."""
    _, out, mask = _out_and_mask(student, case)
    _expect_inverted(student, case, out, mask)


def _large(p, seed):
    return Case(f"kept fraction near 1 - p on a (100, 200) input, p = {p}",
                (floats((100, 200), seed), p, rng(seed + 100)))


@points(0.5, hidden=1)
@pytest.mark.parametrize("case", cases([_large(0.1, 11)], [_large(0.5, 12), _large(0.8, 13)]))
def test_keep_fraction(student, case):
    """On a large input, the fraction of kept entries is within a few standard errors of 1 - p."""
    _, out, mask = _out_and_mask(student, case)
    p = case.args[1]
    kept = float(np.mean(mask))
    margin = STANDARD_ERRORS * math.sqrt(p * (1 - p) / mask.size)
    if abs(kept - (1 - p)) > margin:
        message = (f"the mask keeps a fraction {kept:.4f} of the entries, expected about "
                   f"{1 - p:g} (1 - p, within ±{margin:.4f})")
        if abs(kept - p) <= margin:
            _fail(student, case, message, KEEP_FRACTION)
        _fail(student, case, message,
              hint="Keep each element independently with probability 1 - p: "
                   "mask = rng.random(x.shape) >= p.")
    _expect_inverted(student, case, out, mask)


SEEDED_X = floats((20, 30), 20)


@points(0.5)
@pytest.mark.parametrize("case", [Case("same seed, same mask; another seed, another mask",
                                       (SEEDED_X, 0.5, rng(7)))], ids=str)
def test_mask_comes_from_rng(student, case):
    """The mask depends on rng alone: the same seed gives the same mask, another seed another."""
    _, _, first = _out_and_mask(student, case)
    _, _, again = _out_and_mask(student, case)
    if not np.array_equal(first, again):
        _fail(student, case, "two calls with the same rng state (default_rng(7)) gave "
                             "different masks", NOT_FROM_RNG)
    other = Case(case.name, (SEEDED_X, 0.5, rng(8)))
    _, _, different = _out_and_mask(student, other)
    if np.array_equal(first, different):
        _fail(student, other, "default_rng(7) and default_rng(8) gave the same mask",
              NOT_FROM_RNG)


@points(0.25)
@pytest.mark.parametrize("case", [Case("rng is advanced by the draw",
                                       (floats((6, 7), 21), 0.5, rng(9)))], ids=str)
def test_rng_advances(student, case):
    """Drawing the mask advances rng, so the next call gets a fresh mask."""
    call, _, _ = _out_and_mask(student, case)
    if _state(call.args_after[2]) == _state(case.args[2]):
        _fail(student, case, "rng's state is the same after the call as before it",
              RNG_NOT_ADVANCED)


@points(0.25)
@pytest.mark.parametrize("case", [Case("p = 0 keeps everything",
                                       (floats((4, 6), 22), 0.0, rng(10)))], ids=str)
def test_p_zero_keeps_everything(student, case):
    """With p = 0 nothing is dropped and out equals x."""
    _, out, mask = _out_and_mask(student, case)
    if not mask.all():
        _fail(student, case, f"with p = 0 every entry is kept, but the mask drops "
                             f"{int(np.sum(~mask))} of {mask.size}",
              hint="Drop an entry when its uniform draw is below p: rng.random(x.shape) >= p "
                   "keeps everything when p = 0.")
    _expect_inverted(student, case, out, mask)


@points(0.5)
@pytest.mark.parametrize("case", [Case("train=False returns x and an all-True mask",
                                       (floats((3, 5), 23), 0.5, rng(11)), {"train": False})],
                         ids=str)
def test_eval_mode(student, case):
    """With train=False, out equals x, the mask is all True and rng is left alone."""
    call, out, mask = _out_and_mask(student, case)
    x, p = case.args[0], case.args[1]
    if not mask.all():
        _fail(student, case, f"with train=False the mask should be all True, but it drops "
                             f"{int(np.sum(~mask))} of {mask.size} entries", EVAL_DROP)
    mismatch = comparing.compare(out, x, path="result[0]")
    if mismatch is not None:
        scaled = any(comparing.compare(out, model, check_dtype=False) is None
                     for model in (x / (1 - p), x * (1 - p)))
        _fail(student, case, f"with train=False, out should equal x: {mismatch.message}",
              EVAL_SCALE if scaled else EVAL_DROP)
    if _state(call.args_after[2]) != _state(case.args[2]):
        _fail(student, case, "with train=False, rng's state changed: something was drawn "
                             "from it", EVAL_RNG)


BAD_P = [
    Case("ValueError for p = 1 (everything dropped)", (floats((2, 3), 24), 1.0, rng(12))),
    Case("ValueError for p = NaN, which p < 0 or p >= 1 lets through",
         (floats((2, 3), 27), float("nan"), rng(15))),
]
HIDDEN_BAD_P = [
    Case("ValueError for p = -0.1", (floats((2, 3), 25), -0.1, rng(13))),
    Case("ValueError for p = 1.5", (floats((2, 3), 26), 1.5, rng(14))),
]


@points(0.25, hidden=0.5)
@pytest.mark.parametrize("case", cases(BAD_P, HIDDEN_BAD_P))
def test_rejects_bad_p(student, case):
    """A drop probability outside 0 <= p < 1 raises ValueError."""
    expect_raises(student, ValueError, case, why="p is a drop probability: 0 <= p < 1",
                  valid=BASIC[0])
