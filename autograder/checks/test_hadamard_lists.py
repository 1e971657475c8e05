"""Checks of hadamard_lists(A, B): the element-wise product of two nested Python lists."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats
from autograder.checking.compare import with_article
from autograder.checking.expect import (
    Case,
    cases,
    expect_raises,
    expect_same,
    points,
    reference_result,
)
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.protocol.codec import type_name

SECTION_PLAIN = "The product in plain Python"
SECTION_MATMUL = "Not the matrix product"


def _zipped(A, B):
    """zip without checks: it shows only on lists of different shapes, or ragged ones."""
    if len(A) == len(B) and len({len(row) for row in A} | {len(row) for row in B}) <= 1:
        raise DoesNotApply()
    return [[x * y for x, y in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


def _matrix_product(A, B):
    return [[sum(x * y for x, y in zip(row, column)) for column in zip(*B)] for row in A]


def _all_floats(A, B):
    return [[float(x * y) for x, y in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


NUMPY_NUMBERS = Mistake(
    "NumPy numbers inside the lists",
    None,
    "This exercise is plain Python: multiply the Python numbers themselves (a * b), "
    "without NumPy.",
    SECTION_PLAIN)
MISTAKES = [
    Mistake("zip without checking the shapes first, so unequal lists are silently truncated",
            _zipped,
            "zip stops at the shorter list without a word: compare len(A) with len(B) and "
            "every row's length, and raise ValueError before multiplying.",
            SECTION_PLAIN),
    Mistake("a matrix product (A @ B) instead of the Hadamard product", _matrix_product,
            "Multiply the entries at the same position, A[i][j] * B[i][j], with no sum.",
            SECTION_MATMUL),
    Mistake("rows built as tuples (zip yields tuples) instead of lists",
            lambda A, B: [tuple(x * y for x, y in zip(ra, rb)) for ra, rb in zip(A, B)],
            "Build each row as a list: [a * b for a, b in zip(row_a, row_b)].",
            SECTION_PLAIN),
    Mistake("the result built as a tuple instead of a list",
            lambda A, B: tuple(tuple(x * y for x, y in zip(ra, rb)) for ra, rb in zip(A, B)),
            "Return a list of lists, like the inputs.", SECTION_PLAIN),
    Mistake("a NumPy array instead of nested lists", lambda A, B: np.multiply(A, B),
            "This exercise is plain Python: build a list of lists, without NumPy.",
            SECTION_PLAIN),
    Mistake("every product turned into a float (as np.array(A).tolist() does)", _all_floats,
            "Keep Python's own types: an int times an int stays an int. "
            "Use plain Python, not NumPy.", SECTION_PLAIN),
    NUMPY_NUMBERS,
]


def _lists(array):
    return array.tolist()


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"list"}
PUBLIC = [
    Case("2x3 ints with negatives", ([[1, -2, 3], [4, 5, -6]], [[7, 8, -9], [10, -11, 12]])),
    Case("3x3 square floats, where A @ B has the same shape",
         (_lists(distinct((3, 3), 61)), _lists(distinct((3, 3), 62)))),
    Case("ints times floats (an int times an int stays an int)",
         ([[2, 3, -4], [5, 6, 7]], [[0.5, 2, 3], [-1.5, 4, 0.25]])),
    Case("1x1 lists", ([[3]], [[-4]])),
]
HIDDEN = [
    Case("empty lists []", ([], [])),
    Case("two rows of length 0", ([[], []], [[], []])),
    Case("a 4x1 column", ([[1.5], [-2.0], [3.0], [0.0]], [[2.0], [4.0], [-0.5], [7.0]])),
    Case("random 5x7 floats, seed 63", (_lists(floats((5, 7), 63)), _lists(floats((5, 7), 64)))),
]


def _expect_lists(student, reference, case):
    """The student's nested lists equal the reference's, made of Python numbers (the
    comparison lets NumPy's int64 and float64 pass for Python's int and float)."""
    got = expect_same(student, reference, case).result
    expected = reference_result(reference, case)
    for i, row in enumerate(got):
        for j, value in enumerate(row):
            wanted = type(expected[i][j])
            if type(value) is not wanted:
                raise student.fail(case, f"result[{i}][{j}] is {with_article(type_name(value))}, "
                                         f"expected a Python {wanted.__name__}",
                                   mistake=NUMPY_NUMBERS)


@points(1, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same nested lists of Python numbers as the reference."""
    _expect_lists(student, reference, case)


SHAPES_DIFFER, RAGGED = "the shapes differ", "a list is ragged (rows of different lengths)"
INVALID = [
    (Case("ValueError for 2x3 and 2x2, which zip would truncate",
          ([[1, 2, 3], [4, 5, 6]], [[1, 2], [3, 4]])), SHAPES_DIFFER),
    (Case("ValueError for a ragged A", ([[1, 2, 3], [4, 5]], [[1, 2, 3], [4, 5, 6]])), RAGGED),
    (Case("ValueError for A and B ragged alike", ([[1, 2], [3]], [[4, 5], [6]])), RAGGED),
]
HIDDEN_INVALID = [
    (Case("ValueError for 3x2 and 2x3", ([[1, 2], [3, 4], [5, 6]], [[1, 2, 3], [4, 5, 6]])),
     SHAPES_DIFFER),
]


@points(0.5, hidden=0.5)
@pytest.mark.parametrize("case, why", cases(INVALID, HIDDEN_INVALID))
def test_rejects_bad_shapes(student, case, why):
    """Lists of different shapes, or ragged lists, raise ValueError."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])
