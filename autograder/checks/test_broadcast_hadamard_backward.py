"""Checks of broadcast_hadamard_backward(grad_out, a, b): (da, db) for C = a * b, broadcast."""
import numpy as np
import pytest

from autograder.checking.cases import distinct, floats
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.checks._unbroadcast_mistakes import mean, no_keepdims, summed_axes
from autograder.references.gradients import unbroadcast

SECTION = "Gradients of broadcast operands"
SECTION_PRODUCT = "The gradient of C = A ∘ B"


def _wrong_axis(grad, shape):
    lead, ones = summed_axes(grad, shape)
    others = tuple(i for i in range(len(lead), grad.ndim) if i not in ones)
    if not ones or not others:
        return unbroadcast(grad, shape)
    return np.sum(np.sum(grad, axis=others, keepdims=True), axis=lead)


def _both(reduce):
    """The mistake `reduce(grad, shape)` made while summing each operand's gradient."""
    return lambda G, a, b: (reduce(G * b, np.shape(a)), reduce(G * a, np.shape(b)))


MISTAKES = [
    Mistake("the broadcast gradient not summed back (shape of grad_out returned)",
            _both(lambda grad, shape: grad),
            "A broadcast operand was used many times, so its gradient is the SUM over the "
            "copies: sum grad_out * b down to a.shape (extra leading axes, and the axes where "
            "a has 1).", SECTION),
    Mistake("summed without keepdims (the size-1 axes dropped)", _both(no_keepdims),
            "Keep the axes where the operand has 1: sum with keepdims=True, so da.shape == "
            "a.shape.", SECTION),
    Mistake("all axes summed to a single number", _both(lambda grad, shape: np.sum(grad)),
            "Sum only the axes that broadcasting added; da has a's shape.", SECTION),
    Mistake("summed over the wrong axis", _both(_wrong_axis),
            "Sum the axes where the operand has 1 and grad_out does not (keepdims=True).",
            SECTION),
    Mistake("a mean instead of a sum", _both(mean),
            "Each copy of a broadcast entry contributes its full gradient: sum, do not average.",
            SECTION),
    Mistake("the gradients swapped (da from grad_out * a)",
            lambda G, a, b: (unbroadcast(G * a, np.shape(a)), unbroadcast(G * b, np.shape(b))),
            "da is grad_out times the OTHER operand: da = unbroadcast(grad_out * b, a.shape).",
            SECTION_PRODUCT),
    Mistake("the upstream gradient ignored",
            lambda G, a, b: (unbroadcast(np.broadcast_to(b, np.shape(G)) * 1.0, np.shape(a)),
                             unbroadcast(np.broadcast_to(a, np.shape(G)) * 1.0, np.shape(b))),
            "Multiply by grad_out first (the chain rule), then sum: "
            "da = unbroadcast(grad_out * b, a.shape).", SECTION_PRODUCT),
    Mistake("the upstream gradient ignored (da = b, db = a)", lambda G, a, b: (b, a),
            "Multiply by grad_out first (the chain rule), then sum: "
            "da = unbroadcast(grad_out * b, a.shape).", SECTION_PRODUCT),
]


def _case(name, shape_a, shape_b, seed):
    a, b = distinct(shape_a, seed), distinct(shape_b, seed + 1)
    return Case(name, (distinct(np.broadcast_shapes(shape_a, shape_b), seed + 2), a, b))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32"}
PUBLIC = [
    _case("a (3, 4) times b (4,)", (3, 4), (4,), 1),
    _case("a (3, 1) times b (1, 4): an outer product", (3, 1), (1, 4), 4),
    _case("a (3,) times b (3, 1), which broadcast to (3, 3)", (3,), (3, 1), 7),
    Case("a 0-d times b (2, 3)", (floats((2, 3), 10), np.array(1.5), floats((2, 3), 11))),
    _case("a (2, 3, 4) times b (3, 1)", (2, 3, 4), (3, 1), 12),
    _case("equal shapes (2, 3): no broadcasting", (2, 3), (2, 3), 15),
    Case("float32 a (3, 4) times b (4,): float32 gradients",
         (floats((3, 4), 30, dtype=np.float32), floats((3, 4), 31, dtype=np.float32),
          floats((4,), 32, dtype=np.float32))),
]
HIDDEN = [
    _case("a (4, 1) times b (4,): a square (4, 4) result", (4, 1), (4,), 20),
    _case("a (1, 3) times b (3,)", (1, 3), (3,), 23),
    _case("a (1,) times b (1,), n = 1", (1,), (1,), 26),
    _case("a (2, 1, 3) times b (5, 1)", (2, 1, 3), (5, 1), 29),
    Case("both 0-d", (np.array(-2.0), np.array(0.75), np.array(3.0))),
    _case("a (5,) times b (5, 5)", (5,), (5, 5), 32),
] + [Case(f"random a (3, 1, 4) times b (2, 1), seed {seed}",
          (floats((3, 2, 4), seed), floats((3, 1, 4), seed + 1), floats((2, 1), seed + 2)))
     for seed in (40, 43)]


@points(2.4, hidden=1.2)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (da, db) as the reference, each shaped like its operand."""
    expect_same(student, reference, case)
