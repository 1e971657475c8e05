"""Checks of hadamard_backward(grad_out, A, B): (dA, dB) for C = A ∘ B, given dL/dC = grad_out."""
import numpy as np
import pytest

from autograder.checking.cases import distinct_arrays, floats, ints
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION = "The gradient of C = A ∘ B"
MISTAKES = [
    Mistake("the gradients swapped (dA = grad_out ∘ A)", lambda G, A, B: (G * A, G * B),
            "Each operand's gradient is the upstream gradient times the OTHER operand: "
            "dA = grad_out ∘ B, dB = grad_out ∘ A.", SECTION),
    Mistake("the upstream gradient ignored (dA = B, dB = A)", lambda G, A, B: (B, A),
            "Those are the local derivatives; the chain rule multiplies them by grad_out: "
            "dA = grad_out ∘ B.", SECTION),
    Mistake("matrix products as in a linear layer (dA = grad_out @ B.T, dB = A.T @ grad_out)",
            lambda G, A, B: (G @ B.T, A.T @ G),
            "For an element-wise product the gradient is element-wise too: dA = grad_out * B, "
            "with no sum over an index.", SECTION),
    Mistake("the product C = A ∘ B multiplied in (grad_out ∘ A ∘ B)",
            lambda G, A, B: (G * A * B, G * A * B),
            "∂C/∂A is B, not A ∘ B: dA = grad_out ∘ B, dB = grad_out ∘ A.", SECTION),
    Mistake("the same gradient returned twice (dB = dA)", lambda G, A, B: (G * B, G * B),
            "dB uses A, not B: dB = grad_out ∘ A.", SECTION),
]


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32", "int64"}
PUBLIC = [
    Case("2x3 with negatives", distinct_arrays(3, (2, 3), 1)),
    Case("3x3 square, where swapped or transposed gradients keep the shape",
         distinct_arrays(3, (3, 3), 4)),
    Case("1-d vectors of length 5", (floats((5,), 7), floats((5,), 8), floats((5,), 9))),
    Case("0-d arrays", (np.array(0.5), np.array(3.0), np.array(-2.0))),
    Case("3-d arrays (2, 3, 4)", (floats((2, 3, 4), 10), floats((2, 3, 4), 11),
                                  floats((2, 3, 4), 12))),
    Case("int64 arrays keep int64", (ints((3, 2), 23), ints((3, 2), 24), ints((3, 2), 25))),
    Case("float32 arrays keep float32",
         tuple(floats((3, 4), s, dtype=np.float32) for s in (26, 27, 28))),
]
HIDDEN = [
    Case("1x1 matrices", (np.array([[-1.5]]), np.array([[2.0]]), np.array([[4.0]]))),
    Case("odd sizes (5, 7)", distinct_arrays(3, (5, 7), 20)),
] + [Case(f"random 4x4, seed {seed}", distinct_arrays(3, (4, 4), seed)) for seed in (30, 33)]


@points(1.5, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (dA, dB) as the reference."""
    expect_same(student, reference, case)
