"""Checks of hadamard_into(A, B, out): A ∘ B written into `out`, and `out` itself returned."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats, ints
from autograder.checking.compare import compare
from autograder.checking.errors import CheckFailed
from autograder.checking.expect import (
    Case,
    cases,
    expect_raises,
    expect_unchanged,
    points,
    reference_result,
)
from autograder.checking.mistakes import Mistake

SECTION = "Memory: writing into out"
OUT = 2  # position of `out` among the arguments

# Mistakes about what comes back, told apart by identity rather than by a model.
NEW_ARRAY = Mistake(
    "a new array returned instead of writing into out (out left unchanged)", None,
    "`out = A * B` only rebinds the name to a new array; write into the array itself, "
    "np.multiply(A, B, out=out) or out[...] = A * B, then return out.", SECTION)
RETURNS_NONE = Mistake(
    "A ∘ B written into out, but None returned", None,
    "End with `return out`: like NumPy's own out= functions, the caller gets out back.",
    SECTION)
NOT_OUT = Mistake(
    "another array returned instead of out itself", None,
    "Return the very array passed as out (return out), not a copy or a new product.",
    SECTION)
MISTAKES = [
    # Models of what ends up in `out`.
    Mistake("a matrix product written into out (np.matmul or @) instead of the Hadamard "
            "product", lambda A, B, out: A @ B,
            "Use the element-wise np.multiply(A, B, out=out).", SECTION),
    Mistake("A ∘ B added to the old contents of out (out += A * B)",
            lambda A, B, out: out + A * B,
            "out holds garbage on entry: overwrite it (out[...] = A * B), do not add to it.",
            SECTION),
    Mistake("out multiplied by A ∘ B instead of overwritten (out *= A * B)",
            lambda A, B, out: out * (A * B),
            "out holds garbage on entry: overwrite it (out[...] = A * B).", SECTION),
    NEW_ARRAY, RETURNS_NONE, NOT_OUT,
]


def _expect_into(student, reference, case):
    """`out` holds A ∘ B after the call, the result is `out` itself, A and B are unchanged."""
    expected = reference_result(reference, case)   # the reference's own out, written
    call = student.returns(case)
    out_before, out_after = case.args[OUT], call.args_after[OUT]
    out_mismatch = compare(out_after, expected, "out")
    # `out` may be A or B itself (an in-place product): the result is then that argument too.
    out_itself = {index for index, arg in enumerate(case.args) if arg is case.args[OUT]}
    if call.result_is_arg not in out_itself:
        returned_product = call.result is not None and \
            compare(call.result, expected, check_dtype=False) is None
        if call.result is None and out_mismatch is None:
            message, mistake = "it wrote A ∘ B into out but returned None", RETURNS_NONE
        elif returned_product and compare(out_after, out_before) is None:
            message, mistake = "it returned A ∘ B as a new array and left out unchanged", \
                NEW_ARRAY
        elif out_mismatch is None:
            message, mistake = "out holds A ∘ B, but the result is another array, " \
                               "not out itself", NOT_OUT
        else:
            message = "the result is not the array passed as out, and " + out_mismatch.message
            mistake = NOT_OUT
        raise student.fail(case, message, mistake=mistake)
    if out_mismatch:
        raise student.fail(case, f"after the call, {out_mismatch.message}",
                           mistake=student.explain(case, out_after))
    try:
        expect_unchanged(student, case, call, allowed=out_itself)
    except CheckFailed as failure:
        raise student.fail(case, failure.message,
                           hint="Write only into out: np.multiply(A, B, out=out) leaves A and "
                                "B as they were (A *= B does not).") from None


def _in_place(name, A, B):
    """A case whose out is A itself: A ∘ B written over A."""
    return Case(name, (A, B, A))


def _into(shape, seed, A=None, B=None, *, dtype=None):
    """A case's arguments: A, B and an out holding seeded garbage (so += and *= show)."""
    out_dtype = np.dtype(dtype or np.result_type(A, B))
    if out_dtype.kind == "f":
        out = floats(shape, seed, scale=10.0, dtype=out_dtype)
    else:
        out = ints(shape, seed, low=1, high=100, dtype=out_dtype)
    return (A, B, out)


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32", "int64", "mixed dtypes"}
PUBLIC = [
    Case("2x3 floats", _into((2, 3), 121, distinct((2, 3), 122), distinct((2, 3), 123))),
    Case("3x3 square, where A @ B has the same shape",
         _into((3, 3), 124, distinct((3, 3), 125), distinct((3, 3), 126))),
    Case("1-d vectors", _into((5,), 127, floats((5,), 128), floats((5,), 129))),
    Case("0-d arrays into a 0-d out", (np.array(3.0), np.array(-2.5), np.array(7.25))),
    Case("int64 matrices, int64 out", _into((3, 2), 130, ints((3, 2), 131), ints((3, 2), 132))),
    Case("3-d arrays (2, 3, 4)", _into((2, 3, 4), 133, floats((2, 3, 4), 134),
                                       floats((2, 3, 4), 135))),
    Case("int64 inputs into a float64 out",
         _into((2, 3), 139, ints((2, 3), 140), ints((2, 3), 141), dtype=np.float64)),
    Case("uint8 images into a uint8 out (wraps around)",
         _into((4, 4), 136, ints((4, 4), 137, low=0, high=256, dtype=np.uint8),
               ints((4, 4), 138, low=0, high=256, dtype=np.uint8))),
    Case("float32 into a float32 out",
         _into((3, 3), 142, floats((3, 3), 143, dtype=np.float32),
          floats((3, 3), 144, dtype=np.float32), dtype=np.float32)),
    _in_place("out is A itself: A ∘ B written over A", distinct((3, 4), 152),
              distinct((3, 4), 153)),
]
HIDDEN = [
    Case("odd sizes (5, 7)", _into((5, 7), 142, floats((5, 7), 143), floats((5, 7), 144))),
    Case("random 4x4, seed 145", _into((4, 4), 145, distinct((4, 4), 146),
                                       distinct((4, 4), 147))),
    _in_place("out is A itself, 1-d", floats((6,), 154), floats((6,), 155)),
]


@points(1, hidden=1.25)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_writes_into_out(student, reference, case):
    """out holds A ∘ B and is returned itself; A and B are unchanged."""
    _expect_into(student, reference, case)


SHAPES_DIFFER, OUT_DIFFERS = "the shapes of A and B differ", \
    "out's shape differs from the shape of A and B"
INVALID = [
    (Case("ValueError for A (2, 3) and B (3, 2)",
          (floats((2, 3), 148), floats((3, 2), 149), np.zeros((2, 3)))), SHAPES_DIFFER),
    (Case("ValueError for A (3,) and B (3, 1), which np.multiply broadcasts into out (3, 3)",
          (floats((3,), 150), floats((3, 1), 151), np.zeros((3, 3)))), SHAPES_DIFFER),
]
HIDDEN_INVALID = [
    (Case("ValueError for out (2, 3) with A and B (3,), which np.multiply broadcasts",
          (floats((3,), 152), floats((3,), 153), np.zeros((2, 3)))), OUT_DIFFERS),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(INVALID, HIDDEN_INVALID))
def test_rejects_different_shapes(student, case, why):
    """A and B of different shapes, or an out of another shape, raise ValueError, even where
    np.multiply would broadcast."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])
