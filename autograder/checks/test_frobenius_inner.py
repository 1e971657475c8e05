"""Checks of frobenius_inner(A, B): the sum of A ∘ B = trace(Aᵀ B), as a Python float."""
import numbers

import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake

SECTION = "The Frobenius inner product"

# Mistakes of type, told apart by what came back rather than by a model.
ZERO_D = Mistake("a 0-d NumPy array instead of a Python float", None,
                 "Convert the sum with float(...): float(np.sum(A * B)).", SECTION)
NARROW_FLOAT = Mistake("a NumPy float32 (or float16) instead of a Python float", None,
                       "Sum in float64 and convert with float(...); do not cast to a "
                       "smaller float type.", SECTION)
INTEGER = Mistake("an int instead of a Python float", None,
                  "⟨A, B⟩_F is a float even for int arrays: return float(...) of the sum.",
                  SECTION)


def _shapes_differ(A, B):
    if np.shape(A) == np.shape(B):
        raise DoesNotApply()
    return A, B


MISTAKES = [
    # These two are the right formula without the shape check: they apply only where the
    # shapes differ and the function returned instead of raising ValueError.
    Mistake("no shape check: np.vdot (or ravel) pairs up the entries of different shapes",
            lambda A, B: float(np.vdot(*_shapes_differ(A, B))),
            "Equal sizes are not enough: compare A.shape with B.shape first.", SECTION),
    Mistake("no shape check: * broadcast the two shapes before the sum",
            lambda A, B: float(np.sum(np.multiply(*_shapes_differ(A, B)))),
            "Compare A.shape with B.shape first: * silently broadcasts (2, 3) with (1, 3).",
            SECTION),
    # Before the other trace mistakes: on non-2-d inputs they raise what this one raises.
    Mistake("trace(Aᵀ B), which holds for matrices only",
            lambda A, B: float(np.trace(A.T @ B)),
            "⟨A, B⟩_F is the sum of all the entries of A * B, for arrays of any shape; "
            "trace(Aᵀ B) says the same only for 2-d ones.", SECTION),
    Mistake("the matrix A * B, not summed", lambda A, B: A * B,
            "⟨A, B⟩_F is one number: the sum of all the entries of A * B.", SECTION),
    Mistake("trace(A @ B) instead of trace(Aᵀ B)", lambda A, B: float(np.trace(A @ B)),
            "Transpose the first factor: trace(A.T @ B), or simply float(np.sum(A * B)).",
            SECTION),
    Mistake("the matrix Aᵀ B instead of its trace", lambda A, B: A.T @ B,
            "Take the trace of A.T @ B (the sum of its diagonal), or use float(np.sum(A * B)).",
            SECTION),
    Mistake("np.inner(A, B), which for matrices is the matrix A @ Bᵀ",
            lambda A, B: np.inner(A, B),
            "np.inner sums over the last axis only; sum all the products: "
            "float(np.sum(A * B)).", SECTION),
    Mistake("a matrix product (A @ B) instead of the Frobenius inner product",
            lambda A, B: A @ B,
            "Multiply entry by entry and sum everything: float(np.sum(A * B)).", SECTION),
    Mistake("the mean of A * B instead of its sum", lambda A, B: float(np.mean(A * B)),
            "Add the products up (np.sum), do not average them.", SECTION),
    ZERO_D, NARROW_FLOAT, INTEGER,
    Mistake("an einsum written for matrices only ('ij,ij->')",
            lambda A, B: float(np.einsum("ij,ij->", A, B)),
            "Sum over every axis, whatever their number: np.sum(A * B).", SECTION),
]


def _type_mistake(case, got, mismatch) -> Mistake | None:
    if mismatch.kind != "type":
        return None
    if isinstance(got, np.ndarray) and got.ndim == 0:
        return ZERO_D
    if isinstance(got, np.floating) and not isinstance(got, float):
        return NARROW_FLOAT
    if isinstance(got, numbers.Integral) and not isinstance(got, bool):
        return INTEGER
    return None


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "int64"}
PUBLIC = [
    Case("2x3 floats with negatives", (distinct((2, 3), 101), distinct((2, 3), 102))),
    Case("3x3 square, where trace(A @ B) also works", (distinct((3, 3), 103),
                                                       distinct((3, 3), 104))),
    Case("int64 matrices (the result is still a float)", (ints((3, 2), 105), ints((3, 2), 106))),
    Case("a 1x4 row and a 1x4 row", (floats((1, 4), 107), floats((1, 4), 108))),
    Case("1-d vectors: any shape, not only matrices", (floats((5,), 115), floats((5,), 116))),
    Case("3-d arrays (2, 3, 4)", (floats((2, 3, 4), 117), floats((2, 3, 4), 118))),
]
HIDDEN = [
    Case("1x1 matrices", (np.array([[2.5]]), np.array([[-4.0]]))),
    Case("odd sizes (5, 7)", (floats((5, 7), 109), floats((5, 7), 110))),
    Case("empty (0, 3): the sum is 0.0", (np.zeros((0, 3)), np.zeros((0, 3)))),
    Case("random 4x4, seed 111", (distinct((4, 4), 111), distinct((4, 4), 112))),
    Case("int64 4x4 square", (ints((4, 4), 113), ints((4, 4), 114))),
]


@points(1, hidden=1.25)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same Python float as the reference."""
    expect_same(student, reference, case, mistake_of=_type_mistake)


INVALID = [
    Case("ValueError for (2, 3) and (3, 2), which have the same size",
         (floats((2, 3), 115), floats((3, 2), 116))),
    Case("ValueError for (2, 3) and (1, 3), which * broadcasts",
         (floats((2, 3), 117), floats((1, 3), 118))),
]
HIDDEN_INVALID = [
    Case("ValueError for (3, 1) and (1, 3), which * broadcasts to (3, 3)",
         (floats((3, 1), 119), floats((1, 3), 120))),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case", cases(INVALID, HIDDEN_INVALID))
def test_rejects_different_shapes(student, case):
    """Different shapes raise ValueError, even where * would broadcast or the sizes match."""
    expect_raises(student, ValueError, case, why="the shapes differ", valid=PUBLIC[0])
