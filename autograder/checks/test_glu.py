"""Checks of glu(x, axis=-1): split x in halves a, b along `axis`; return a ∘ sigmoid(b)."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.references._validate import sigmoid

SECTION_GATES = "Gates: GLU and SwiGLU"


def _halves(x, axis):
    return np.split(x, 2, axis=axis)


def _interleaved(x, axis):
    n = x.shape[axis]
    return np.take(x, np.arange(0, n, 2), axis=axis), np.take(x, np.arange(1, n, 2), axis=axis)


def _swapped(x, axis=-1):
    a, b = _halves(x, axis)
    return b * sigmoid(a)


def _along(split_axis):
    def model(x, axis=-1):
        a, b = _halves(x, split_axis)
        return a * sigmoid(b)
    return model


def _no_sigmoid(x, axis=-1):
    a, b = _halves(x, axis)
    return a * b


def _tanh(x, axis=-1):
    a, b = _halves(x, axis)
    return a * np.tanh(b)


def _both_gated(x, axis=-1):
    a, b = _halves(x, axis)
    return sigmoid(a) * sigmoid(b)


def _even_odd(x, axis=-1):
    a, b = _interleaved(x, axis)
    return a * sigmoid(b)


MISTAKES = [
    Mistake("the halves swapped (b ∘ sigmoid(a))", _swapped,
            "The FIRST half a carries the signal and the SECOND half b is the gate: "
            "a * sigmoid(b), as torch.nn.functional.glu.", SECTION_GATES),
    Mistake("the split along the wrong axis (axis 0 instead of `axis`)", _along(0),
            "Split along the axis you are given: np.split(x, 2, axis=axis).", SECTION_GATES),
    Mistake("the split along the wrong axis (always the last one, ignoring `axis`)", _along(-1),
            "Split along the axis you are given: np.split(x, 2, axis=axis).", SECTION_GATES),
    Mistake("the sigmoid missing (a ∘ b)", _no_sigmoid,
            "The gate is sigmoid(b), a number between 0 and 1: a * sigmoid(b).", SECTION_GATES),
    Mistake("tanh instead of sigmoid as the gate", _tanh,
            "GLU gates with the logistic sigmoid, 1 / (1 + exp(-b)), not tanh.", SECTION_GATES),
    Mistake("sigmoid applied to both halves", _both_gated,
            "Only the gate goes through the sigmoid: a * sigmoid(b).", SECTION_GATES),
    Mistake("even and odd entries instead of the first and second halves", _even_odd,
            "a is the first half and b the second: np.split(x, 2, axis=axis), not x[::2] "
            "and x[1::2].", SECTION_GATES),
]

# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "float32", "axis=int", "int"}
PUBLIC = [
    Case("(2, 6) along the last axis", (distinct((2, 6), 1),)),
    Case("(4, 4) square, axis=0", (distinct((4, 4), 2),), {"axis": 0}),
    Case("(4, 4) square, axis=-1", (distinct((4, 4), 3),), {"axis": -1}),
    Case("1-d, length 8", (distinct((8,), 4),)),
    Case("3-d (2, 4, 6), axis=1", (distinct((2, 4, 6), 5),), {"axis": 1}),
    Case("(4, 6) with axis=1 passed by position", (distinct((4, 6), 7), 1)),
    Case("float32 (3, 4) keeps float32", (floats((3, 4), 9, dtype=np.float32),)),
]
HIDDEN = [
    Case("3-d (2, 4, 3), axis=-2", (distinct((2, 4, 3), 6),), {"axis": -2}),
    Case("(1, 2), the smallest split", (np.array([[1.5, -2.0]]),)),
    Case("large values (|x| up to ~1000)", (floats((3, 8), 8, scale=400.0),)),
] + [Case(f"random (4, 6), seed {seed}", (floats((4, 6), seed),)) for seed in (21, 22)]


@points(1, hidden=1.75)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as the reference, input unchanged."""
    expect_same(student, reference, case)


ODD = [
    Case("ValueError for (3, 5): the last axis has odd length", (floats((3, 5), 30),)),
    Case("ValueError for (3, 4) with axis=0 of odd length 3", (floats((3, 4), 31),),
         {"axis": 0}),
    Case("ValueError for 1-d length 5", (floats((5,), 32),)),
]
HIDDEN_ODD = [
    Case("ValueError for (2, 7): the last axis has odd length", (floats((2, 7), 33),)),
    Case("ValueError for (5, 2) with axis=0 of odd length 5", (floats((5, 2), 34),),
         {"axis": 0}),
]


@points(0.25, hidden=0.5)
@pytest.mark.parametrize("case", cases(ODD, HIDDEN_ODD))
def test_rejects_odd_length(student, case):
    """An axis of odd length cannot be split in halves: ValueError."""
    expect_raises(student, ValueError, case, why="that axis has odd length", valid=PUBLIC[0])
