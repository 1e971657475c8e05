"""Checks of layer_grads(u, W, x, b, activation): the gradients of s = uᵀ f(W x + b)."""
import numpy as np
import pytest

from autograder.checking.cases import floats, ints
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.references.gradients import ACTIVATIONS, DERIVATIVES

SECTION = "A whole layer"
SECTION_ACTIVATIONS = "Activations: dL/dz = dL/da ∘ f'(z)"


def _model(dz_of=None, dW_of=None, dx_of=None):
    """layer_grads with one step done wrong: dz_of(u, z, W, x, b, activation),
    dW_of(dz, x) or dx_of(W, dz)."""
    def model(u, W, x, b, activation="sigmoid"):
        z = W @ x + b
        dz = dz_of(u, z, W, x, b, activation) if dz_of else u * DERIVATIVES[activation](z)
        return {"b": dz,
                "W": dW_of(dz, x) if dW_of else np.outer(dz, x),
                "x": dx_of(W, dz) if dx_of else W.T @ dz}
    return model


def _relu_at_zero_is_one(u, z, W, x, b, activation):
    if activation != "relu":
        raise DoesNotApply("not relu")
    return u * (z >= 0)


def _default(activation):
    """layer_grads whose default activation is `activation` instead of sigmoid."""
    def model(u, W, x, b, **given):
        if given:
            raise DoesNotApply("the activation was given")
        return _model()(u, W, x, b, activation)
    return model


DEFAULT_HINT = ('The contract\'s signature is layer_grads(u, W, x, b, activation="sigmoid"): '
                "keep sigmoid as the default.")
MISTAKES = [
    Mistake("dW transposed (outer(x, dz), shape (n, m))",
            _model(dW_of=lambda dz, x: np.outer(x, dz)),
            "∂s/∂W[i, j] = dz[i] · x[j]: np.outer(dz, x), shaped like W (m, n).", SECTION),
    Mistake("dx = W @ dz (W not transposed)", _model(dx_of=lambda W, dz: W @ dz),
            "∂s/∂x = Wᵀ dz: W.T @ dz, shaped like x (n,).", SECTION),
    Mistake("dx = W.T * dz (element-wise, shape (n, m)) instead of the matrix product W.T @ dz",
            _model(dx_of=lambda W, dz: W.T * dz),
            "* multiplies entry by entry and broadcasts dz across the rows of W.T; the "
            "gradient with respect to x sums over the m outputs: W.T @ dz, shaped like x "
            "(n,).", SECTION),
    Mistake("dW = dz * x (element-wise) instead of the outer product",
            _model(dW_of=lambda dz, x: dz * x),
            "Every weight W[i, j] gets dz[i] · x[j]: np.outer(dz, x) (or dz[:, None] * x).",
            SECTION),
    Mistake("u ignored (dz = f'(z) instead of u ∘ f'(z))",
            _model(dz_of=lambda u, z, W, x, b, act: DERIVATIVES[act](z)),
            "s = uᵀ f(z), so ∂s/∂f(z) = u: dz = u * f'(z).", SECTION),
    Mistake("f'(z) left out (dz = u)", _model(dz_of=lambda u, z, W, x, b, act: u),
            "The activation sits between z and s: dz = u * f'(z).", SECTION),
    Mistake("f'(z) evaluated at W x, without b",
            _model(dz_of=lambda u, z, W, x, b, act: u * DERIVATIVES[act](W @ x)),
            "z = W x + b: add b before taking f'(z).", SECTION),
    Mistake("f(z) used where f'(z) is due",
            _model(dz_of=lambda u, z, W, x, b, act: u * ACTIVATIONS[act](z)),
            "Multiply u by the DERIVATIVE of the activation at z.", SECTION_ACTIVATIONS),
    Mistake("relu'(0) = 1 (z >= 0 instead of z > 0)",
            _model(dz_of=_relu_at_zero_is_one),
            "relu'(0) is 0 in this course, as in PyTorch: use z > 0.", SECTION_ACTIVATIONS),
    Mistake("a default activation other than sigmoid (relu)", _default("relu"), DEFAULT_HINT,
            SECTION),
    Mistake("a default activation other than sigmoid (tanh)", _default("tanh"), DEFAULT_HINT,
            SECTION),
]


def _case(name, m, n, seed, **kwargs):
    return Case(name, (floats((m,), seed), floats((m, n), seed + 1), floats((n,), seed + 2),
                       floats((m,), seed + 3)), kwargs)


def _relu_case_with_zeros():
    """Integer-valued W, x and b (exact in floating point) with z = W x + b exactly 0 twice."""
    W = ints((5, 3), 50, low=-3, high=4).astype(float)
    x = ints((3,), 51, low=-3, high=4).astype(float)
    b = -(W @ x) + np.array([0.0, 2.0, 0.0, -1.5, 1.0])
    return Case("relu where z = W x + b is exactly 0 in two rows",
                (floats((5,), 52), W, x, b), {"activation": "relu"})


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "activation=str"}
PUBLIC = [
    _case("W (3, 4) with the default activation (sigmoid)", 3, 4, 1),
    _case("W (3, 3) square, where transposes keep the shape, tanh", 3, 3, 5, activation="tanh"),
    _relu_case_with_zeros(),
    _case("W (1, 4): one unit, m = 1", 1, 4, 9, activation="sigmoid"),
    _case("W (4, 1): one input, n = 1, tanh", 4, 1, 13, activation="tanh"),
]
HIDDEN = [
    _case("W (5, 2), relu", 5, 2, 20, activation="relu"),
    _case("W (2, 5), sigmoid", 2, 5, 24, activation="sigmoid"),
    _case("W (1, 1), tanh", 1, 1, 28, activation="tanh"),
    _case("W (4, 4) square, relu", 4, 4, 32, activation="relu"),
    _case("W (4, 4) square, sigmoid", 4, 4, 36, activation="sigmoid"),
]


@points(2, hidden=1)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same gradients {"b", "W", "x"} as the reference."""
    expect_same(student, reference, case)
