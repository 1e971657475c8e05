"""Checks of squared_error(y_pred, y_true): (y_pred - y_true)² per sample, shape (n,), from
inputs of shape (n,) or (n, 1) in any mix."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.compare import shape_text
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION = "The (n,) versus (n, 1) trap"
FLATTEN = "Flatten both inputs to shape (n,) first (np.ravel(y) or y.reshape(-1)), then subtract."


def _flat(y):
    return np.reshape(y, -1)


OUTER_PRODUCT = Mistake(
    "an (n,) and an (n, 1) array broadcast into an outer product (every prediction minus every "
    "target)",
    lambda p, t: (p - t) ** 2, FLATTEN, SECTION)
# No model: named by what the function raised.
MIXED_SHAPES_REJECTED = Mistake(
    "inputs of shape (n,) and (n, 1) not accepted together", None,
    f"y_pred and y_true may each have shape (n,) or (n, 1), in any mix. {FLATTEN}", SECTION)
MISTAKES = [
    Mistake("a column of shape (n, 1) instead of shape (n,)",
            lambda p, t: (np.reshape(p, (-1, 1)) - np.reshape(t, (-1, 1))) ** 2,
            "The result has shape (n,): flatten both inputs first (np.ravel(y) or "
            "y.reshape(-1)), then subtract.", SECTION),
    OUTER_PRODUCT,
    Mistake("shape () for n = 1: np.squeeze removed the only axis (a sum or a mean would "
            "give shape () too)",
            lambda p, t: (np.squeeze(p) - np.squeeze(t)) ** 2,
            "Keep one squared error per sample: np.squeeze drops every axis of length 1, even "
            "the only one, while reshape(-1) keeps shape (1,).", SECTION),
    Mistake("the sum of the squared errors instead of each one",
            lambda p, t: np.sum((_flat(p) - _flat(t)) ** 2),
            "Return one squared error per sample, an array of shape (n,); do not sum them.",
            SECTION),
    Mistake("the mean of the squared errors (the MSE) instead of each one",
            lambda p, t: np.mean((_flat(p) - _flat(t)) ** 2),
            "Return one squared error per sample, an array of shape (n,); their mean is the "
            "MSE, a different function.", SECTION),
    Mistake("the difference, not squared",
            lambda p, t: _flat(p) - _flat(t),
            "Square the differences: (y_pred - y_true) ** 2.", SECTION),
    Mistake("the absolute error instead of the squared error",
            lambda p, t: np.abs(_flat(p) - _flat(t)),
            "Square the differences instead of taking their absolute value.", SECTION),
    MIXED_SHAPES_REJECTED,
]


def _outer_product(case, got):
    """The (n, n) result of an (n,) broadcast against an (n, 1), as a message, or None."""
    n = int(np.size(case.args[0]))
    if n > 1 and np.ndim(got) == 2 and np.shape(got) == (n, n):
        return (f"your result has shape {shape_text((n, n))}: a {shape_text((n,))} and a "
                f"{shape_text((n, 1))} array broadcast into an outer product (every prediction "
                f"minus every target)")
    return None


def _advise_raise(case, raised) -> Mistake | None:
    if raised.is_a(ValueError) or raised.is_a(AssertionError):
        return MIXED_SHAPES_REJECTED
    return None


def _expect_same(student, reference, case):
    """expect_same, with an (n, n) result named as the outer product it is."""
    outer = _outer_product(case, student.returns(case, advise_raised=_advise_raise).result)
    if outer:
        raise student.fail(case, outer, mistake=OUTER_PRODUCT)
    expect_same(student, reference, case)


def _pair(name, n, pred_column, true_column, seed, make=distinct):
    shape_p = (n, 1) if pred_column else (n,)
    shape_t = (n, 1) if true_column else (n,)
    return Case(name, (make(shape_p, seed), make(shape_t, seed + 1)))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    _pair("(4,) and (4,)", 4, False, False, 1),
    _pair("(4,) and (4, 1): the (n,) versus (n, 1) trap", 4, False, True, 3),
    _pair("(4, 1) and (4,)", 4, True, False, 5),
    _pair("(4, 1) and (4, 1): two columns", 4, True, True, 7),
    _pair("n = 1: (1,) and (1, 1)", 1, False, True, 9),
    _pair("int64 labels: (6,) and (6, 1)", 6, False, True, 17, make=ints),
    Case("float32 (5,) and (5, 1) keep float32",
         (floats((5,), 31, dtype=np.float32), floats((5, 1), 32, dtype=np.float32))),
    Case("float32 predictions (4,), int64 labels (4, 1): NumPy promotes to float64",
         (floats((4,), 33, dtype=np.float32), ints((4, 1), 34))),
]
HIDDEN = [
    _pair("n = 1: (1, 1) and (1, 1)", 1, True, True, 11),
    _pair("n = 1: (1,) and (1,)", 1, False, False, 13),
    _pair("odd n = 5: (5, 1) and (5,)", 5, True, False, 15),
    _pair("n = 0: (0,) and (0, 1)", 0, False, True, 19, make=floats),
] + [_pair(f"random n = {n}, seed {seed}: {'(n, 1)' if a else '(n,)'} and "
           f"{'(n, 1)' if b else '(n,)'}", n, a, b, seed, make=floats)
     for n, a, b, seed in ((7, False, True, 21), (3, True, False, 23), (9, True, True, 25))]


@points(1.5, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same squared errors as the reference, with shape (n,)."""
    _expect_same(student, reference, case)


VALID = _pair("(3,) and (3,)", 3, False, False, 30)
INVALID = [Case("ValueError for sizes 4 and 5: (4,) and (5, 1)",
                (distinct((4,), 32), distinct((5, 1), 33)))]
HIDDEN_INVALID = [Case("ValueError for sizes 3 and 2: (3, 1) and (2, 1)",
                       (distinct((3, 1), 34), distinct((2, 1), 35)))]


@points(0.5, hidden=0.5)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects(student, case):
    """Inputs of different sizes raise ValueError."""
    expect_raises(student, ValueError, case, why="y_pred and y_true have different sizes",
                  valid=VALID)
