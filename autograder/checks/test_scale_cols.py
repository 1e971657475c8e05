"""Checks of scale_cols(B, d): B @ diag(d), computed by broadcasting (column j times d[j])."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION = "Scaling rows and columns"
ROWS_SCALED = Mistake(
    "the rows scaled instead of the columns: d[:, None] lines d up with the rows",
    lambda B, d: B * d[:, None],
    "B * d already lines d up with the last axis, the columns: column j is multiplied by d[j].",
    SECTION)
MISTAKES = [
    ROWS_SCALED,
    Mistake("a matrix-vector product B @ d instead of scaling",
            lambda B, d: B @ d,
            "B @ d sums over the columns and returns a vector; scaling keeps the shape of B: "
            "B * d.", SECTION),
    Mistake("a vector-matrix product d @ B instead of scaling",
            lambda B, d: d @ B,
            "d @ B sums over the rows and returns a vector; scaling keeps the shape of B: "
            "B * d.", SECTION),
    Mistake("a transposed result",
            lambda B, d: (B * d).T,
            "The result has the shape and layout of B; do not transpose it.", SECTION),
]


def _advise_raise(case, raised) -> Mistake | None:
    """A broadcasting error on a non-square B is d lined up with its rows (B * d[:, None],
    in whichever order of the operands)."""
    if raised.is_a(ValueError) and "broadcast" in raised.message:
        return ROWS_SCALED
    return None


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    Case("3x3 square B, where scaling rows gives the same shape",
         (distinct((3, 3), 1), distinct((3,), 2))),
    Case("4x2 B (m = 4 rows, n = 2 columns)", (distinct((4, 2), 3), distinct((2,), 4))),
    Case("1x3 B, a single row", (distinct((1, 3), 5), distinct((3,), 6))),
    Case("4x1 B, a single column", (distinct((4, 1), 7), np.array([-2.5]))),
    Case("float64 B, int64 d", (floats((2, 4), 15), ints((4,), 16))),
    Case("float32 B and d keep float32",
         (floats((4, 3), 17, dtype=np.float32), floats((3,), 18, dtype=np.float32))),
    Case("int64 B, float32 d: NumPy promotes to float64",
         (ints((3, 2), 19), floats((2,), 20, dtype=np.float32))),
]
HIDDEN = [
    Case("1x1 B", (np.array([[-0.5]]), np.array([3.0]))),
    Case("5x5 square B with a zero in d", (distinct((5, 5), 11),
                                           distinct((5,), 12) * np.array([1, 0, 1, 1, 1]))),
    Case("int64 B and d", (ints((4, 3), 13), ints((3,), 14))),
    Case("0x3 B, no rows", (np.zeros((0, 3)), distinct((3,), 17))),
] + [Case(f"random {m}x{n} B, seed {seed}", (floats((m, n), seed + 50), floats((n,), seed)))
     for m, n, seed in ((6, 3, 21), (3, 7, 22), (4, 4, 23))]


@points(1.5, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as B @ diag(d)."""
    expect_same(student, reference, case, advise_raised=_advise_raise)


VALID = Case("3x3 B", (distinct((3, 3), 30), distinct((3,), 31)))
INVALID = [
    Case("ValueError for B of shape (3, 2) and d of length 3",
         (distinct((3, 2), 32), distinct((3,), 33))),
    Case("ValueError for B of shape (2, 3) and d of length 1, which * would broadcast",
         (distinct((2, 3), 36), np.array([2.0]))),
]
HIDDEN_INVALID = [
    Case("ValueError for B of shape (3, 3) and d of length 4",
         (distinct((3, 3), 34), distinct((4,), 35))),
]


@points(0.5, hidden=0.5)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects(student, case):
    """len(d) different from the number of columns of B raises ValueError."""
    expect_raises(student, ValueError, case, why="len(d) is not the number of columns of B",
                  valid=VALID)
