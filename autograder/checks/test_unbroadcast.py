"""Checks of unbroadcast(grad, shape): sum a broadcast gradient back down to the input's shape."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.checks._unbroadcast_mistakes import mean, no_keepdims, summed_axes

SECTION = "Gradients of broadcast operands"


def _wrong_axis(grad, shape):
    """The leading axes summed, but among the others the axes where `shape` is NOT 1."""
    lead, ones = summed_axes(grad, shape)
    if not ones:
        raise DoesNotApply("no size-1 axis to get wrong")
    others = tuple(i for i in range(len(lead), grad.ndim) if i not in ones)
    if not others:
        raise DoesNotApply("no other axis to sum by mistake")
    return np.sum(np.sum(grad, axis=others, keepdims=True), axis=lead)


def _wrong_axis_reshaped(grad, shape):
    return np.reshape(_wrong_axis(grad, shape), shape)


def _axis0_only(grad, shape):
    """Always np.sum(grad, axis=0, keepdims=True) when the shapes differ."""
    if grad.shape == tuple(shape):
        raise DoesNotApply("nothing to sum")
    return np.sum(grad, axis=0, keepdims=True)


WRONG_AXIS = "summed over the wrong axis"
WRONG_AXIS_HINT = ("Sum the axes where `shape` has a 1 (and grad has more), keeping them: "
                   "grad.sum(axis=i, keepdims=True).")
MISTAKES = [
    Mistake("the broadcast gradient not summed back (grad returned as it is)",
            lambda grad, shape: grad,
            "An input that was broadcast was used many times, so its gradient is the SUM of "
            "grad over the copies: sum grad down to `shape`.", SECTION),
    Mistake("summed without keepdims (the size-1 axes dropped)", no_keepdims,
            "Keep the axes where `shape` has 1: sum with keepdims=True (or reshape to `shape`).",
            SECTION),
    Mistake("all axes summed to a single number", lambda grad, shape: np.sum(grad),
            "Sum only the axes that broadcasting added: the extra leading ones and those where "
            "`shape` has 1; the result has shape `shape`.", SECTION),
    Mistake(WRONG_AXIS, _wrong_axis, WRONG_AXIS_HINT, SECTION),
    Mistake(WRONG_AXIS, _wrong_axis_reshaped, WRONG_AXIS_HINT, SECTION),
    Mistake(f"{WRONG_AXIS} (always axis 0)", _axis0_only, WRONG_AXIS_HINT, SECTION),
    Mistake("only the extra leading axes summed, not the size-1 axes",
            lambda grad, shape: np.sum(grad, axis=summed_axes(grad, shape)[0]),
            "Also sum (keepdims=True) the axes where `shape` has 1 but grad does not.", SECTION),
    Mistake("only the size-1 axes summed, not the extra leading axes",
            lambda grad, shape: np.sum(grad, axis=summed_axes(grad, shape)[1], keepdims=True),
            "Broadcasting also adds leading axes: (3,) against (2, 3) acts as (1, 3); "
            "sum grad over those leading axes too.", SECTION),
    Mistake("a mean instead of a sum", mean,
            "Each copy of a broadcast entry contributes its full gradient: sum, do not average.",
            SECTION),
]

# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "tuple"}
PUBLIC = [
    Case("(3, 4) down to (4,): sum the extra leading axis", (distinct((3, 4), 7), (4,))),
    Case("(3, 4) down to (1, 4): keep the size-1 axis", (distinct((3, 4), 2), (1, 4))),
    Case("(3, 4) down to (3, 1)", (distinct((3, 4), 3), (3, 1))),
    Case("(2, 3, 4) down to (3, 1): leading and size-1 axes", (distinct((2, 3, 4), 4), (3, 1))),
    Case("(2, 3) down to (): a 0-d input", (distinct((2, 3), 5), ())),
    Case("(2, 3) to its own shape: nothing to sum", (distinct((2, 3), 6), (2, 3))),
    Case("0-d grad to shape ()", (np.array(2.5), ())),
    Case("(2, 5, 1, 3) down to (5, 1, 1)", (floats((2, 5, 1, 3), 15), (5, 1, 1))),
]
HIDDEN = [
    Case("(4, 4) square down to (4, 1)", (distinct((4, 4), 10), (4, 1))),
    Case("(4, 4) square down to (1, 4)", (distinct((4, 4), 11), (1, 4))),
    Case("(3, 4) down to (1,)", (distinct((3, 4), 12), (1,))),
    Case("(3, 4) down to (1, 1)", (distinct((3, 4), 13), (1, 1))),
    Case("(2, 3, 4) down to (2, 1, 4)", (distinct((2, 3, 4), 14), (2, 1, 4))),
    Case("(1, 3) down to (1, 1), n = 1 rows", (distinct((1, 3), 17), (1, 1))),
]


@points(1.8, hidden=1.2)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same summed gradient as the reference."""
    expect_same(student, reference, case, may_return_input=True)  # nothing to sum


INVALID = [
    Case("ValueError for shape (2, 4), which does not broadcast to (3, 4)",
         (floats((3, 4), 20), (2, 4))),
    Case("ValueError for shape (1, 3), which has more axes than grad (3,)",
         (floats((3,), 21), (1, 3))),
]
INVALID_HIDDEN = [
    Case("ValueError for shape (4,), which does not broadcast to (3, 1)",
         (floats((3, 1), 22), (4,))),
]


@points(0.2, hidden=0.4)
@pytest.mark.parametrize("case", cases(INVALID, INVALID_HIDDEN))
def test_rejects_shape_that_does_not_broadcast(student, case):
    """A shape that does not broadcast to grad.shape raises ValueError."""
    expect_raises(student, ValueError, case, why="that shape does not broadcast to grad.shape",
                  valid=PUBLIC[3])  # leading and size-1 axes: tells sums apart
