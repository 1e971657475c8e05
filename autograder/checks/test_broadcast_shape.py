"""Checks of broadcast_shape(shape_a, shape_b): NumPy's broadcast result shape, as a tuple."""
import numpy as np
import pytest

from autograder.checking.cases import rng
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.references.broadcasting import broadcast_shape as _rule

SECTION = "Broadcasting rules"


def _left_aligned(shape_a, shape_b):
    """The rule applied to shapes padded with 1s on the right (aligned at the left)."""
    ndim = max(len(shape_a), len(shape_b))
    return _rule(tuple(shape_a) + (1,) * (ndim - len(shape_a)),
                 tuple(shape_b) + (1,) * (ndim - len(shape_b)))


def _largest(shape_a, shape_b):
    """The larger size of each (right-aligned) pair, with no compatibility check."""
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    return tuple(max(m, n) for m, n in zip(a, b))


def _largest_checked(shape_a, shape_b):
    """The larger size of each pair, after a correct compatibility check: wrong only where
    a 1 meets a 0."""
    _rule(shape_a, shape_b)      # raises ValueError where the shapes do not broadcast
    return _largest(shape_a, shape_b)


def _zipped(shape_a, shape_b):
    """The rule on the trailing axes that both shapes have: zip() drops the extra ones."""
    k = min(len(shape_a), len(shape_b))
    return _rule(tuple(shape_a)[len(shape_a) - k:], tuple(shape_b)[len(shape_b) - k:])


# No model: named by what the function raised.
REJECTS_BROADCASTABLE = Mistake(
    "ValueError raised for shapes that do broadcast", None,
    "Align the shapes at their right ends (last axes first), pad the shorter one with 1s on the "
    "left, and let a size 1 stretch to the other size.", SECTION)
MISTAKES = [
    Mistake("a list instead of a tuple", lambda a, b: list(_rule(a, b)),
            "Shapes are tuples, like array.shape: return tuple(result).", SECTION),
    Mistake("a NumPy array instead of a tuple", lambda a, b: np.array(_rule(a, b)),
            "Shapes are tuples of ints, like array.shape: return tuple(int(n) for n in result).",
            SECTION),
    Mistake("shapes aligned at the left instead of the right", _left_aligned,
            "NumPy compares shapes from their last axes: pad the shorter shape with 1s on the "
            "LEFT, so (3,) against (2, 3) is (1, 3) against (2, 3).", SECTION),
    Mistake("max(size_a, size_b) as the result's size, which is 1 where a 1 meets a 0",
            _largest_checked,
            "A 1 stretches to the OTHER size, whatever it is, even 0: (1,) and (0,) give (0,), "
            "but max(1, 0) is 1. Take the size that is not 1 (or either, when they are "
            "equal).", SECTION),
    Mistake("the larger size of each pair, without checking that the sizes are compatible",
            _largest,
            "Two sizes broadcast only when they are equal or one of them is 1, and a 1 "
            "stretches to the other size, even to 0: (1,) and (0,) give (0,), while (3,) and "
            "(4,) raise ValueError.", SECTION),
    Mistake("the extra leading axes of the longer shape are missing (zip stops at the "
            "shorter shape)", _zipped,
            "The result has as many axes as the longer shape: pad the shorter one with 1s on "
            "the left before pairing the sizes.", SECTION),
    REJECTS_BROADCASTABLE,
]


def _advise_raise(case, raised) -> Mistake | None:
    """Every case of test_same_as_reference broadcasts: a ValueError there rejects shapes
    that do."""
    return REJECTS_BROADCASTABLE if raised.is_a(ValueError) else None


def _random_pair(seed):
    """Two shapes that broadcast: trailing parts of one full shape, some sizes set to 1."""
    r = rng(seed)
    ndim = int(r.integers(2, 5))
    full = r.integers(2, 6, size=ndim)

    def part(k):
        sizes = full[ndim - k:].copy()
        sizes[r.random(k) < 0.4] = 1
        return tuple(int(n) for n in sizes)

    return part(ndim), part(int(r.integers(1, ndim + 1)))


def _case(a, b, note=""):
    return Case(f"{a} and {b}" + (f": {note}" if note else ""), (a, b))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"tuple"}
PUBLIC = [
    _case((2, 3), (3,), "the shorter shape is padded on the left"),
    _case((3,), (3, 1), "the (n,) versus (n, 1) trap"),
    _case((8, 1, 6, 1), (7, 1, 5), "sizes 1 stretch on both sides"),
    _case((), (4, 5), "a scalar's shape is ()"),
    _case((0, 3), (1, 3), "a 1 stretches to 0"),
]
HIDDEN = [
    _case((), ()),
    _case((1,), (0,)),
    _case((1, 3), (3,)),
    _case((5, 1, 4), (1, 3, 1)),
    _case((2,), (1, 1, 1)),
    _case((4, 1), (2, 1, 5)),
] + [_case(*_random_pair(seed)) for seed in (41, 42, 43)]


@points(1.5, hidden=0.9)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same tuple as NumPy's broadcasting rules give."""
    expect_same(student, reference, case, advise_raised=_advise_raise)


VALID = Case("(2, 3) and (2, 3)", ((2, 3), (2, 3)))
INVALID = [
    Case("ValueError for (3,) and (4,)", ((3,), (4,))),
    Case("ValueError for (2, 1) and (8, 4, 3)", ((2, 1), (8, 4, 3))),
]
HIDDEN_INVALID = [
    Case("ValueError for (0,) and (2,)", ((0,), (2,))),
    Case("ValueError for (5,) and (5, 4)", ((5,), (5, 4))),
]


@points(0.5, hidden=0.6)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects(student, case):
    """Shapes that do not broadcast raise ValueError."""
    expect_raises(student, ValueError, case, why="the shapes do not broadcast", valid=VALID)
