"""Checks of masked_softmax(scores, mask, axis=-1): softmax over the kept entries only.

Masked entries get exactly 0, a slice with no kept entry gives all zeros (never NaN),
and large scores must not overflow.
"""
import numpy as np
import pytest

from autograder.checking.cases import floats, rng
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.references.gating_dropout import masked_softmax as _right

SECTION_MASKS = "Attention masks"
SECTION_STABLE = "A numerically stable softmax"


def _softmax(scores, axis=-1):
    e = np.exp(scores - np.max(scores, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _nan_when_empty(scores, mask, axis=-1):
    kept = np.where(mask, scores, -np.inf)
    return _softmax(kept, axis)


def _renormalised(guarded):
    def model(scores, mask, axis=-1):
        weights = _softmax(scores, axis) * mask
        total = np.sum(weights, axis=axis, keepdims=True)
        if guarded:
            return np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0)
        return weights / total
    return model


RENORMALISED = ("the softmax taken over all entries and then renormalised over the kept ones "
                "(the kept weights underflow to 0 when a masked score is much larger)")
RENORMALISED_HINT = ("Mask BEFORE the exponential: set masked scores to -inf (np.where(mask, "
                     "scores, -np.inf)), subtract the max of the kept scores, then normalise.")
UNSTABLE = Mistake(
    "an unstable softmax (no max subtraction): np.exp overflows to inf or underflows to 0 "
    "for large scores, giving NaN or zeros", None,
    "Subtract the largest kept score of each slice before np.exp: softmax(s) = "
    "softmax(s - max(s)), and exp then never overflows.", SECTION_STABLE)
NAN_WHEN_EMPTY = Mistake(
    "NaN on a fully masked row", None,
    "When a slice has no kept entry, its max is -inf and -inf - (-inf) is NaN: subtract 0 "
    "there instead (np.where(np.isfinite(top), top, 0.0)), and divide by a total that is "
    "never 0 (np.where evaluates both branches, so weights / total alone still divides by "
    "zero): np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0).",
    SECTION_MASKS)
NOT_EXACTLY_ZERO = Mistake(
    "masked entries not exactly 0 (a small epsilon or a finite penalty instead of -inf)", None,
    "Give masked entries weight exactly 0: replace their scores with -inf before np.exp, "
    "or zero them with np.where(mask, weights, 0.0).", SECTION_MASKS)
MISTAKES = [
    Mistake("a multiplicative mask: softmax(scores) * mask, not renormalised",
            lambda scores, mask, axis=-1: _softmax(scores, axis) * mask,
            "Zeroing entries after the softmax leaves weights that no longer sum to 1: "
            "exclude the masked scores before normalising (set them to -inf).", SECTION_MASKS),
    Mistake("masked entries set to a large negative number like -1e9 (gives uniform weights "
            "on a fully masked row instead of zeros)",
            lambda scores, mask, axis=-1: _softmax(np.where(mask, scores, -1e9), axis),
            "A fully masked slice must give all zeros: with -1e9 every entry ties and gets "
            "1/n. Use -inf and return zeros where no entry is kept.", SECTION_MASKS),
    Mistake("softmax(scores * mask): a masked score becomes 0, not -inf, and keeps weight",
            lambda scores, mask, axis=-1: _softmax(scores * mask, axis),
            "A score of 0 still gets weight exp(0): set masked scores to -inf "
            "(np.where(mask, scores, -np.inf)).", SECTION_MASKS),
    Mistake(NAN_WHEN_EMPTY.name, _nan_when_empty, NAN_WHEN_EMPTY.hint, NAN_WHEN_EMPTY.section),
    Mistake(RENORMALISED, _renormalised(guarded=False), RENORMALISED_HINT, SECTION_STABLE),
    Mistake(RENORMALISED, _renormalised(guarded=True), RENORMALISED_HINT, SECTION_STABLE),
    Mistake("the softmax taken over the last axis, ignoring `axis`",
            lambda scores, mask, axis=-1: _right(scores, mask),
            "Reduce along the axis you are given: max, exp-sum and normalisation all take "
            "axis=axis, keepdims=True.", SECTION_MASKS),
    Mistake("the mask inverted (True taken as masked out)",
            lambda scores, mask, axis=-1: _right(scores, ~np.asarray(mask), axis),
            "mask is True for the entries that are KEPT.", SECTION_MASKS),
    UNSTABLE,
    NOT_EXACTLY_ZERO,
]


def _axis(case):
    return case.args[2] if len(case.args) > 2 else case.kwargs.get("axis", -1)


def _kept(case):
    scores, mask = case.args[0], case.args[1]
    return np.broadcast_to(mask, np.shape(scores))


def _explain_non_finite(case, got, mismatch):
    """Name the mistakes no model reproduces exactly: NaN and overflow (their patterns depend
    on details such as where the mask is applied) and weight left on masked entries."""
    if not (isinstance(got, np.ndarray) and got.shape == np.shape(case.args[0])
            and got.dtype.kind == "f"):
        return None
    kept, axis = _kept(case), _axis(case)
    nonempty = np.broadcast_to(np.any(kept, axis=axis, keepdims=True), kept.shape)
    bad = ~np.isfinite(got)
    if bad.any():
        return UNSTABLE if np.any(bad & nonempty) else NAN_WHEN_EMPTY
    if np.max(np.abs(case.args[0])) > 700:  # where a plain np.exp overflows or underflows
        sums = np.broadcast_to(np.sum(got, axis=axis, keepdims=True), kept.shape)
        if np.any((np.abs(sums - 1) > 1e-6) & nonempty):
            return UNSTABLE
    if np.any(got[~kept] != 0):
        return NOT_EXACTLY_ZERO
    return None


T, F = True, False
# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "float32", "bool", "axis=int"}
PUBLIC = [
    Case("2x5 with some entries masked",
         (floats((2, 5), 1), np.array([[T, F, T, T, F], [F, T, T, F, T]]))),
    Case("a fully masked row gives zeros",
         (floats((3, 4), 2), np.array([[T, T, F, T], [F, F, F, F], [F, T, F, F]]))),
    Case("large scores (near 1e4 and 1e3): no overflow",
         (floats((2, 6), 3, scale=2.0) + [[1e4], [1e3]],
          np.array([[T, T, F, T, T, F], [F, T, T, T, F, T]]))),
    Case("mask of shape (n,) broadcast over the rows",
         (floats((3, 5), 4), np.array([T, F, T, T, F]))),
    Case("axis=0", (floats((4, 3), 5), np.array([[T, F, T], [F, F, T], [T, T, F], [F, T, T]])),
         {"axis": 0}),
    Case("axis=1 of a (2, 3, 4) array, mask (3, 1) broadcast",
         (floats((2, 3, 4), 12), np.array([[T], [F], [T]])), {"axis": 1}),
    Case("float32 scores keep float32",
         (floats((2, 4), 40, dtype=np.float32), np.array([[T, F, T, T], [T, T, F, F]]))),
    Case("the largest score masked: [1e4, 1e3, 1e3 + 1] with 1e4 masked",
         (np.array([[1e4, 1e3, 1e3 + 1.0]]), np.array([[F, T, T]]))),
]
HIDDEN = [
    Case("mask (batch, 1, n) broadcast over (batch, q, n), one batch fully masked",
         (floats((2, 3, 4), 6), np.array([[[T, F, T, T]], [[F, F, F, F]]]))),
    Case("a masked score far above the kept ones",
         (np.array([[0.5, 1.0, 2000.0, -1.0], [3.0, -2.0, 1.0, 6.0]]),
          np.array([[T, T, F, T], [T, T, T, F]]))),
    Case("1-d scores, length 6", (floats((6,), 7), np.array([T, T, F, T, F, T]))),
    Case("nothing masked: a plain softmax", (floats((3, 4), 8), np.ones((3, 4), dtype=bool))),
    Case("every row fully masked", (floats((2, 3), 9), np.zeros((2, 3), dtype=bool))),
    Case("large negative scores (near -1e4 and -1e3)",
         (floats((2, 5), 10, scale=2.0) - [[1e4], [1e3]],
          np.array([[T, F, T, T, T], [T, T, F, F, T]]))),
    Case("axis=0 with a fully masked column",
         (floats((3, 4), 11), np.array([[T, F, F, T], [F, T, F, T], [T, T, F, F]])), {"axis": 0}),
] + [Case(f"random (4, 6) with a random mask, seed {seed}",
          (floats((4, 6), seed, scale=5.0), rng(seed + 1).random((4, 6)) < 0.6))
     for seed in (21, 31)]


@points(1.25, hidden=2.5)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same weights as the reference, inputs unchanged."""
    expect_same(student, reference, case, mistake_of=_explain_non_finite)


EXACT = [
    Case("masked entries are exactly 0",
         (floats((2, 4), 40), np.array([[T, F, T, F], [F, T, T, T]]))),
]
HIDDEN_EXACT = [
    Case("masked entries are exactly 0, with a fully masked row",
         (floats((3, 5), 41), np.array([[F, T, T, F, T], [F, F, F, F, F], [T, T, F, T, T]]))),
]


@points(0.25, hidden=0.25)
@pytest.mark.parametrize("case", cases(EXACT, HIDDEN_EXACT))
def test_masked_entries_exactly_zero(student, reference, case):
    """Masked entries get weight exactly 0, not merely a tiny number."""
    call = expect_same(student, reference, case, mistake_of=_explain_non_finite)
    masked = ~_kept(case)
    values = np.asarray(call.result)[masked]
    if np.any(values != 0):
        raise student.fail(case, f"{int(np.sum(values != 0))} of {values.size} masked entries "
                                 f"are not exactly 0 (the largest is "
                                 f"{np.max(np.abs(values)):.3g})", mistake=NOT_EXACTLY_ZERO)
