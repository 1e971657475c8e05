"""Checks of hadamard_all(*arrays): the element-wise product of one or more equal-shape arrays."""
import functools

import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake

SECTION_SEVERAL = "Products of several arrays"


def _arrays_needed(arrays, at_least=1):
    if len(arrays) < at_least:
        raise DoesNotApply()
    return arrays


def _empty_product(*arrays):
    """What a loop starting from 1 returns when no array is given."""
    if arrays:
        raise DoesNotApply()
    return 1


def _prod_widened(*arrays):
    """np.prod over a stack: small integer types come back widened to 64 bits."""
    dtype = np.result_type(*_arrays_needed(arrays))
    if dtype.kind not in "iu" or dtype.itemsize >= 8:
        raise DoesNotApply()
    return np.prod(np.stack(arrays), axis=0)


MISTAKES = [
    Mistake("a chain of matrix products (A @ B @ ...) instead of the Hadamard product",
            lambda *arrays: functools.reduce(np.matmul, _arrays_needed(arrays)),
            "Multiply entry by entry (*), with no sum over an index.",
            "Not the matrix product"),
    Mistake("only the first two arrays multiplied",
            lambda *arrays: _arrays_needed(arrays, 2)[0] * arrays[1],
            "*arrays holds every array passed, one or many: loop over all of them "
            "(or use functools.reduce).", SECTION_SEVERAL),
    Mistake("an element-wise sum instead of a product",
            lambda *arrays: functools.reduce(np.add, _arrays_needed(arrays)),
            "Multiply the arrays (*), do not add them.", "Definition"),
    Mistake("the sum of all the products (one number) instead of the array of products",
            lambda *arrays: np.sum(functools.reduce(np.multiply, _arrays_needed(arrays))),
            "Return the whole array of products; do not sum it.", "Definition"),
    Mistake("no check for zero arrays (the empty product 1 came back)", _empty_product,
            "Before the loop, raise ValueError when no array is given: "
            "a product of no arrays has no shape.", SECTION_SEVERAL),
    Mistake("np.prod over a stack, which widens small integer types to 64 bits",
            _prod_widened,
            "The result keeps NumPy's promoted dtype of the inputs (uint8 stays uint8): "
            "multiply with *, or pass dtype=np.result_type(*arrays) to np.prod.",
            SECTION_SEVERAL),
]

# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    Case("three 2x3 float arrays", (distinct((2, 3), 71), distinct((2, 3), 72),
                                    distinct((2, 3), 73))),
    Case("three 3x3 square arrays, where A @ B @ C has the same shape",
         (distinct((3, 3), 74), distinct((3, 3), 75), distinct((3, 3), 76))),
    Case("one array alone", (distinct((2, 2), 77),)),
    Case("four 1-d vectors", tuple(floats((5,), seed) for seed in (78, 79, 80, 81))),
    Case("0-d arrays", (np.array(3.0), np.array(-2.5), np.array(0.5))),
    Case("three int64 matrices", (ints((3, 2), 82), ints((3, 2), 83), ints((3, 2), 84))),
    Case("3-d arrays (2, 3, 4)", (floats((2, 3, 4), 85), floats((2, 3, 4), 86),
                                  floats((2, 3, 4), 87))),
    Case("uint8 images (NumPy wraps around, and so must you)",
         tuple(ints((4, 4), seed, low=0, high=256, dtype=np.uint8) for seed in (88, 89, 90))),
    Case("three float32 arrays keep float32",
         tuple(floats((2, 5), s, dtype=np.float32) for s in (91, 92, 93))),
    Case("float32, int64, float32: NumPy promotes to float64",
         (floats((3, 3), 94, dtype=np.float32), ints((3, 3), 95),
          floats((3, 3), 96, dtype=np.float32))),
]
HIDDEN = [
    Case("five 1x1 matrices", tuple(np.array([[x]]) for x in (2.0, -1.5, 3.0, 0.5, -4.0))),
    Case("empty (0, 3)", (np.zeros((0, 3)), np.zeros((0, 3)))),
    Case("five random 4x4 arrays, seed 91",
         tuple(distinct((4, 4), 91 + 10 * k) for k in range(5))),
]


@points(1.5, hidden=1.25)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as the reference."""
    expect_same(student, reference, case)


INVALID = [
    (Case("ValueError for no arrays at all", ()), "no arrays were given"),
    (Case("ValueError for shapes (2, 3), (2, 3), (1, 3): only the third differs",
          (floats((2, 3), 92), floats((2, 3), 93), floats((1, 3), 94))), "the shapes differ"),
    (Case("ValueError for shapes (3,) and (3, 1), which * broadcasts",
          (floats((3,), 95), floats((3, 1), 96))), "the shapes differ"),
]
HIDDEN_INVALID = [
    (Case("ValueError for four (2, 2) arrays and a (2, 3)",
          (*(floats((2, 2), seed) for seed in (97, 98, 99, 100)), floats((2, 3), 101))),
     "the shapes differ"),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(INVALID, HIDDEN_INVALID))
def test_rejects_invalid(student, case, why):
    """No arrays, or arrays of different shapes, raise ValueError."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])
