"""Checks of hadamard(A, B): the element-wise product of two arrays of equal shape."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION_MATMUL = "Not the matrix product"
MISTAKES = [
    Mistake("a matrix product (A @ B) instead of the Hadamard product", lambda A, B: A @ B,
            "The Hadamard product multiplies entry by entry: A * B, with no sum over an index.",
            SECTION_MATMUL),
    Mistake("a transposed result", lambda A, B: (A * B).T,
            "The result keeps the shape and layout of the inputs; do not transpose.",
            SECTION_MATMUL),
    Mistake("the sum of the products instead of the products", lambda A, B: np.sum(A * B),
            "Return the whole array of products; summing them is the Frobenius inner product.",
            "Definition"),
    Mistake("an element-wise sum instead of a product", lambda A, B: A + B,
            "Multiply the entries (A * B), do not add them.", "Definition"),
]

# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    Case("2x3 floats with negatives", (distinct((2, 3), 1), distinct((2, 3), 2))),
    Case("3x3 square, where A @ B has the same shape", (distinct((3, 3), 3), distinct((3, 3), 4))),
    Case("1-d vectors", (floats((5,), 5), floats((5,), 6))),
    Case("0-d arrays", (np.array(3.0), np.array(-2.5))),
    Case("3-d arrays (2, 3, 4)", (floats((2, 3, 4), 7), floats((2, 3, 4), 8))),
    Case("int64 matrices", (ints((3, 2), 9), ints((3, 2), 10))),
    Case("uint8 images (NumPy wraps around, and so must you)",
         (ints((4, 4), 11, low=0, high=256, dtype=np.uint8),
          ints((4, 4), 12, low=0, high=256, dtype=np.uint8))),
    Case("float32 odd sizes (5, 7)", (floats((5, 7), 13, dtype=np.float32),
                                      floats((5, 7), 14, dtype=np.float32))),
    Case("float32 times int64: NumPy promotes to float64",
         (floats((3, 4), 15, dtype=np.float32), ints((3, 4), 16))),
]
HIDDEN = [
    Case("1x1 matrices", (np.array([[2.0]]), np.array([[-4.0]]))),
    Case("empty (0, 3)", (np.zeros((0, 3)), np.zeros((0, 3)))),
] + [Case(f"random 4x4, seed {seed}", (distinct((4, 4), seed), distinct((4, 4), seed + 50)))
     for seed in (21, 22, 23)]


@points(1.5, hidden=1.75)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as the reference"""
    expect_same(student, reference, case)


INVALID = [
    Case("ValueError for shapes (2, 3) and (3, 2)", (floats((2, 3), 30), floats((3, 2), 31))),
    Case("ValueError for shapes (3,) and (3, 1), which * broadcasts",
         (floats((3,), 32), floats((3, 1), 33))),
]


@points(0.5)
@pytest.mark.parametrize("case", INVALID, ids=str)
def test_rejects_different_shapes(student, case):
    """Different shapes raise ValueError, even where * would broadcast"""
    expect_raises(student, ValueError, case, why="the shapes differ", valid=PUBLIC[1])
