"""Checks of dropout_backward(grad_out, mask, p): the gradient of out = x * mask / (1 - p)."""
import numpy as np
import pytest

from autograder.checking.cases import floats, rng
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake

SECTION_BACKWARD = "Backpropagating through the mask"
SECTION_SCALE = "Inverted dropout: scaling by 1/(1 - p)"
MISTAKES = [
    Mistake("the 1/(1 - p) scaling missing from the gradient",
            lambda grad_out, mask, p: grad_out * mask,
            "out = x * mask / (1 - p), so its gradient is grad_out * mask / (1 - p): the same "
            "scaling as in the forward pass.", SECTION_BACKWARD),
    Mistake("the mask ignored: no gradient may flow to a dropped entry",
            lambda grad_out, mask, p: grad_out / (1 - p),
            "A dropped entry did not reach the output, so its gradient is 0: multiply by the "
            "mask, grad_out * mask / (1 - p).", SECTION_BACKWARD),
    Mistake("the gradient passed through unchanged (neither mask nor scaling)",
            lambda grad_out, mask, p: grad_out,
            "The gradient of x * mask / (1 - p) is grad_out * mask / (1 - p).", SECTION_BACKWARD),
    Mistake("multiplying by (1 - p) instead of dividing by it",
            lambda grad_out, mask, p: grad_out * mask * (1 - p),
            "Divide by 1 - p, as the forward pass does.", SECTION_SCALE),
    Mistake("p used as the keep probability (divided by p)",
            lambda grad_out, mask, p: grad_out * mask / p,
            "Here p is the DROP probability: divide by 1 - p.", SECTION_SCALE),
    Mistake("the mask inverted (gradient sent to the dropped entries)",
            lambda grad_out, mask, p: grad_out * ~mask / (1 - p),
            "mask is True where x was kept; the gradient flows there and only there.",
            SECTION_BACKWARD),
]


def _mask(shape, p, seed):
    return rng(seed).random(shape) >= p


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "float32", "bool", "float"}
PUBLIC = [
    Case("3x4, p = 0.5", (floats((3, 4), 1), _mask((3, 4), 0.5, 2), 0.5)),
    Case("1-d (8,), p = 0.2", (floats((8,), 3), _mask((8,), 0.2, 4), 0.2)),
    Case("5x2, p = 0.75", (floats((5, 2), 5), _mask((5, 2), 0.75, 6), 0.75)),
    Case("3-d (2, 3, 4), p = 0.3", (floats((2, 3, 4), 7), _mask((2, 3, 4), 0.3, 8), 0.3)),
    Case("float32 grad_out keeps float32, p = 0.5",
         (floats((3, 4), 11, dtype=np.float32), _mask((3, 4), 0.5, 12), 0.5)),
]
HIDDEN = [
    Case("p = 0 (nothing dropped)", (floats((3, 3), 9), np.ones((3, 3), dtype=bool), 0.0)),
    Case("everything dropped, p = 0.9", (floats((2, 4), 10), np.zeros((2, 4), dtype=bool),
                                         0.9)),
    Case("1x1, p = 0.4", (np.array([[2.5]]), np.array([[True]]), 0.4)),
] + [Case(f"random 4x5, seed {seed}, p = {p}",
          (floats((4, 5), seed), _mask((4, 5), p, seed + 50), p))
     for seed, p in ((21, 0.1), (22, 0.6))]


@points(0.75, hidden=1.5)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same gradient as the reference, inputs unchanged."""
    expect_same(student, reference, case)
