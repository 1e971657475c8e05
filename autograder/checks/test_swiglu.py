"""Checks of swiglu(x, W, V): silu(x @ W) ∘ (x @ V), with silu(t) = t · sigmoid(t)."""
import numpy as np
import pytest

from autograder.checking.cases import floats
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.references._validate import sigmoid

SECTION_GATES = "Gates: GLU and SwiGLU"


def silu(t):
    return t * sigmoid(t)


MISTAKES = [
    Mistake("silu applied to the wrong branch (x @ V instead of x @ W)",
            lambda x, W, V: (x @ W) * silu(x @ V),
            "The gate is silu(x @ W); the value branch x @ V stays linear: "
            "silu(x @ W) * (x @ V).", SECTION_GATES),
    Mistake("a plain sigmoid instead of silu",
            lambda x, W, V: sigmoid(x @ W) * (x @ V),
            "silu(t) = t * sigmoid(t): multiply the sigmoid by its argument.", SECTION_GATES),
    Mistake("ReLU instead of silu",
            lambda x, W, V: np.maximum(x @ W, 0) * (x @ V),
            "SwiGLU uses silu(t) = t * sigmoid(t), which is smooth and lets small negative "
            "values through; ReLU gives ReGLU.", SECTION_GATES),
    Mistake("the activation missing ((x @ W) ∘ (x @ V), a bilinear layer)",
            lambda x, W, V: (x @ W) * (x @ V),
            "Apply silu(t) = t * sigmoid(t) to x @ W before the Hadamard product.",
            SECTION_GATES),
    Mistake("silu applied to both branches",
            lambda x, W, V: silu(x @ W) * silu(x @ V),
            "Only the x @ W branch goes through silu; x @ V stays linear.", SECTION_GATES),
    Mistake("a GLU gate (x @ W) ∘ sigmoid(x @ V) instead of SwiGLU",
            lambda x, W, V: (x @ W) * sigmoid(x @ V),
            "SwiGLU is silu(x @ W) * (x @ V), with silu(t) = t * sigmoid(t).", SECTION_GATES),
    Mistake("a sum instead of the Hadamard product of the two branches",
            lambda x, W, V: silu(x @ W) + (x @ V),
            "Gate by multiplying entry by entry: silu(x @ W) * (x @ V).", SECTION_GATES),
]


def _case(name, batch, d, hidden_size, seed, *, scale=1.0, dtype=np.float64):
    """x of shape (batch, d); (d,) for batch None; (*batch, d) for a tuple."""
    leading = () if batch is None else batch if isinstance(batch, tuple) else (batch,)
    return Case(name, (floats((*leading, d), seed, scale=scale, dtype=dtype),
                       floats((d, hidden_size), seed + 1, dtype=dtype),
                       floats((d, hidden_size), seed + 2, dtype=dtype)))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "float32"}
PUBLIC = [
    _case("batch 3, d = 4, hidden 5", 3, 4, 5, 1),
    _case("a single row (1, 4), hidden 3", 1, 4, 3, 10),
    _case("odd sizes: batch 3, d = 5, hidden 7", 3, 5, 7, 20),
    _case("1-d x of length 4 (one example), hidden 3", None, 4, 3, 80),
    _case("3-d x (2, 3, 4): batch and time, hidden 5", (2, 3), 4, 5, 85),
    _case("float32 x, W and V keep float32", 3, 4, 2, 90, dtype=np.float32),
]
HIDDEN = [
    _case("large pre-activations (x @ W up to ~1000)", 4, 6, 5, 30, scale=300.0),
    _case("d = 1, hidden 2", 5, 1, 2, 40),
    _case("hidden 1", 4, 3, 1, 50),
] + [_case(f"random batch 6, d = 8, hidden 4, seed {seed}", 6, 8, 4, seed) for seed in (61, 71)]


@points(0.75, hidden=1.25)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same result as the reference, inputs unchanged."""
    expect_same(student, reference, case)
