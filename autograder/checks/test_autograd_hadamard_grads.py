"""Checks of autograd_hadamard_grads(A, B, grad_out): (dA, dB) for C = A ∘ B by torch.autograd."""
import numpy as np
import pytest

from autograder.checking.cases import distinct_arrays, floats
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION = "Letting autograd do it"
SECTION_PRODUCT = "The gradient of C = A ∘ B"


def _float64(*arrays):
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def _float32_model(A, B, G):
    A, B, G = _float64(A, B, G)
    return (G * B).astype(np.float32), (G * A).astype(np.float32)


MISTAKES = [
    Mistake("the gradients swapped (dA = grad_out ∘ A)",
            lambda A, B, G: tuple(_float64(G * A, G * B)),
            "Check which tensor's .grad you return first: A's gradient is grad_out ∘ B.",
            SECTION_PRODUCT),
    Mistake("grad_out ignored (backward() on the sum, dA = B)",
            lambda A, B, G: tuple(_float64(B, A)),
            "Pass the upstream gradient: C.backward(torch.tensor(grad_out)) (or "
            "torch.autograd.grad(C, (a, b), grad_outputs=...)).", SECTION),
    Mistake("float32 results (torch's default dtype) instead of float64", _float32_model,
            "Make the tensors float64, torch.tensor(A, dtype=torch.float64, requires_grad=True), "
            "or convert the results with .astype(np.float64).", SECTION),
    Mistake("None gradients: .grad read from tensors that are not leaves with "
            "requires_grad=True", lambda A, B, G: (None, None),
            "Read .grad from the tensors you created with requires_grad=True, after "
            ".backward(...); a tensor made by an operation (.double(), .to(...), a * b) keeps "
            "no .grad.", SECTION),
]


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32"}
PUBLIC = [
    Case("2x3 with negatives", distinct_arrays(3, (2, 3), 1)),
    Case("3x3 square", distinct_arrays(3, (3, 3), 4)),
    Case("0-d arrays", (np.array(3.0), np.array(-2.0), np.array(0.5))),
    Case("3-d arrays (2, 3, 4)", (floats((2, 3, 4), 7), floats((2, 3, 4), 8),
                                  floats((2, 3, 4), 9))),
    Case("float32 inputs still give float64", (floats((2, 3), 10, dtype=np.float32),
                                               floats((2, 3), 11, dtype=np.float32),
                                               floats((2, 3), 12, dtype=np.float32))),
    Case("1-d vectors of length 5", (floats((5,), 13), floats((5,), 14), floats((5,), 15))),
]
HIDDEN = [
    Case("1x1 matrices", (np.array([[2.0]]), np.array([[-4.0]]), np.array([[1.5]]))),
    Case("random 4x4, seed 30", distinct_arrays(3, (4, 4), 30)),
]


@points(2, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (dA, dB) as the reference, as NumPy float64 arrays."""
    expect_same(student, reference, case)
