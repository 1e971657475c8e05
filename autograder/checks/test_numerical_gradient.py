"""Checks of numerical_gradient(f, X, h): the central-difference gradient of a scalar function f."""
import numpy as np
import pytest

from autograder.checking import compare as comparing
from autograder.checking.cases import floats
from autograder.checking.expect import Case, cases, points, reference_result
from autograder.checking.mistakes import Mistake
from autograder.protocol.probes import product_of_tanh, sum_of_squares, weighted_sine

SECTION = "Checking gradients numerically"
# A student's central differences agree with the reference's to ~1e-10; the mistakes are
# off by 1e-5 or more.
RTOL = 1e-6


def _differences(f, X, h, *, step_plus, step_minus, divisor):
    """A loop over the entries: (f(X + step_plus·e) - f(X + step_minus·e)) / divisor."""
    X = np.array(X, dtype=float)
    grad = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        plus, minus = X.copy(), X.copy()
        plus[index] += step_plus
        minus[index] += step_minus
        grad[index] = (f(plus) - f(minus)) / divisor
    return grad


def _all_at_once(f, X, h=1e-5):
    X = np.array(X, dtype=float)
    return np.full(X.shape, (f(X + h) - f(X - h)) / (2 * h))


MISTAKES = [
    Mistake("a forward difference (f(X + h) - f(X)) / h instead of the central one",
            lambda f, X, h=1e-5: _differences(f, X, h, step_plus=h, step_minus=0.0, divisor=h),
            "Use the central difference (f(X + h·e) - f(X - h·e)) / (2h): its error is O(h²), "
            "not O(h).", SECTION),
    Mistake("a backward difference (f(X) - f(X - h)) / h instead of the central one",
            lambda f, X, h=1e-5: _differences(f, X, h, step_plus=0.0, step_minus=-h, divisor=h),
            "Use the central difference (f(X + h·e) - f(X - h·e)) / (2h).", SECTION),
    Mistake("the central difference divided by h instead of 2h",
            lambda f, X, h=1e-5: _differences(f, X, h, step_plus=h, step_minus=-h, divisor=h),
            "X + h and X - h are 2h apart: divide by 2 * h.", SECTION),
    Mistake("the difference taken the wrong way round (f(X - h) - f(X + h))",
            lambda f, X, h=1e-5: _differences(f, X, h, step_plus=-h, step_minus=h,
                                              divisor=2 * h),
            "Subtract f(X - h·e) from f(X + h·e), not the other way round.", SECTION),
    Mistake("all entries of X moved at once (f(X + h) - f(X - h)) instead of one at a time",
            _all_at_once,
            "Move ONE entry at a time: each entry's partial derivative needs its own pair of "
            "evaluations, with the other entries left as they are.", SECTION),
    Mistake("the h argument ignored (1e-5 always)",
            lambda f, X, h=1e-5: _differences(f, X, 1e-5, step_plus=1e-5, step_minus=-1e-5,
                                              divisor=2e-5),
            "Use the h the caller passes (numerical_gradient(f, X, h=...)).", SECTION),
]


def expect_gradient(student, reference, case):
    """X comes back unchanged, then the result matches the reference's to RTOL."""
    X = case.args[1]
    expected = reference_result(reference, case)
    call = student.returns(case)
    if comparing.compare(call.args_after[1], X) is not None:
        raise student.fail(
            case, "X was left modified: after the call it no longer holds its original values",
            hint="Put each entry back after its two evaluations (X[i] = original), or move "
                 "the entries of a copy (Xp = X.copy()).")
    mismatch = comparing.compare(call.result, expected, rtol=RTOL)
    if mismatch:
        raise student.fail(case, mismatch.message, mistake=student.explain(case, call.result))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "h=float"}
PUBLIC = [
    Case("sum_of_squares at a (3,) vector", (sum_of_squares, floats((3,), 1))),
    Case("weighted_sine at a (2, 3) matrix", (weighted_sine, floats((2, 3), 2))),
    Case("product_of_tanh at (2, 2), where every entry affects the others",
         (product_of_tanh, floats((2, 2), 3) + 0.5)),
    Case("sum_of_squares at a 0-d X", (sum_of_squares, np.array(1.25))),
    Case("weighted_sine with h = 0.01", (weighted_sine, floats((4,), 4)), {"h": 0.01}),
    Case("weighted_sine at a 3-d (2, 2, 3) X", (weighted_sine, floats((2, 2, 3), 10))),
]
HIDDEN = [
    Case("product_of_tanh at a (1,) vector, n = 1", (product_of_tanh, np.array([0.7]))),
    Case("product_of_tanh with h = 0.1", (product_of_tanh, floats((3,), 11) + 0.5), {"h": 0.1}),
    Case("weighted_sine at (5, 3), random", (weighted_sine, floats((5, 3), 12, scale=2))),
]


@points(2, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """The central-difference gradient, with X left as it was."""
    expect_gradient(student, reference, case)
