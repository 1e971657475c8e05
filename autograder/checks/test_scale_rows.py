"""Checks of scale_rows(d, B): diag(d) @ B, computed by broadcasting (row i times d[i])."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION = "Scaling rows and columns"
COLUMNS_SCALED = Mistake(
    "the columns scaled instead of the rows: d broadcasts as a row, d[None, :], which is what "
    "d * B does",
    lambda d, B: d * B,  # the same as d[None, :] * B, and fails the same way
    "Give d a column axis: d[:, None] * B, with d[:, None] of shape (m, 1), multiplies row i "
    "by d[i].", SECTION)
MISTAKES = [
    COLUMNS_SCALED,
    Mistake("a vector-matrix product d @ B instead of scaling",
            lambda d, B: d @ B,
            "d @ B sums over the rows and returns a vector; scaling keeps the shape of B: "
            "d[:, None] * B.", SECTION),
    Mistake("a matrix-vector product B @ d instead of scaling",
            lambda d, B: B @ d,
            "B @ d sums over the columns and returns a vector; scaling keeps the shape of B: "
            "d[:, None] * B.", SECTION),
    Mistake("a transposed result",
            lambda d, B: (d[:, None] * B).T,
            "The result has the shape and layout of B; do not transpose it.", SECTION),
]


def _advise_raise(case, raised) -> Mistake | None:
    """A broadcasting error on a non-square B is d lined up with its columns (d * B, in
    whichever order of the operands)."""
    if raised.is_a(ValueError) and "broadcast" in raised.message:
        return COLUMNS_SCALED
    return None


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    Case("3x3 square B, where scaling columns gives the same shape",
         (distinct((3,), 1), distinct((3, 3), 2))),
    Case("2x4 B (m = 2 rows, n = 4 columns)", (distinct((2,), 3), distinct((2, 4), 4))),
    Case("4x1 B, a single column", (distinct((4,), 5), distinct((4, 1), 6))),
    Case("1x3 B, a single row", (np.array([-2.5]), distinct((1, 3), 7))),
    Case("int64 d, float64 B", (ints((4,), 15), floats((4, 2), 16))),
    Case("float32 d and B keep float32",
         (floats((3,), 17, dtype=np.float32), floats((3, 4), 18, dtype=np.float32))),
    Case("float32 d, int64 B: NumPy promotes to float64",
         (floats((2,), 19, dtype=np.float32), ints((2, 3), 20))),
]
HIDDEN = [
    Case("1x1 B", (np.array([3.0]), np.array([[-0.5]]))),
    Case("5x5 square B with a zero in d", (distinct((5,), 11) * np.array([1, 1, 0, 1, 1]),
                                           distinct((5, 5), 12))),
    Case("int64 d and B", (ints((3,), 13), ints((3, 4), 14))),
    Case("3x0 B, no columns", (distinct((3,), 17), np.zeros((3, 0)))),
] + [Case(f"random {m}x{n} B, seed {seed}", (floats((m,), seed), floats((m, n), seed + 50)))
     for m, n, seed in ((6, 3, 21), (3, 7, 22), (4, 4, 23))]


@points(1.5, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as diag(d) @ B."""
    expect_same(student, reference, case, advise_raised=_advise_raise)


VALID = Case("3x3 B", (distinct((3,), 30), distinct((3, 3), 31)))
INVALID = [
    Case("ValueError for d of length 3 and B of shape (2, 3)",
         (distinct((3,), 32), distinct((2, 3), 33))),
    Case("ValueError for d of length 1 and B of shape (3, 2), which * would broadcast",
         (np.array([2.0]), distinct((3, 2), 36))),
]
HIDDEN_INVALID = [
    Case("ValueError for d of length 4 and B of shape (3, 3)",
         (distinct((4,), 34), distinct((3, 3), 35))),
]


@points(0.5, hidden=0.5)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects(student, case):
    """len(d) different from the number of rows of B raises ValueError."""
    expect_raises(student, ValueError, case, why="len(d) is not the number of rows of B",
                  valid=VALID)
