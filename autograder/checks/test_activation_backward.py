"""Checks of activation_backward(upstream, z, activation): dL/dz = upstream ∘ f'(z)."""
import numpy as np
import pytest

from autograder.checking.cases import floats
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import DoesNotApply, Mistake
from autograder.references.gradients import ACTIVATIONS, DERIVATIVES

SECTION = "Activations: dL/dz = dL/da ∘ f'(z)"


def _only(activation, derivative):
    """A mistake in one activation's derivative: the model applies to that activation only."""
    def model(upstream, z, name):
        if name != activation:
            raise DoesNotApply("another activation")
        return upstream * derivative(z)
    return model


def _s(z):
    return ACTIVATIONS["sigmoid"](z)


MISTAKES = [
    Mistake("f(z) used where f'(z) is due", lambda up, z, act: up * ACTIVATIONS[act](z),
            "Multiply by the DERIVATIVE of the activation at z, not by the activation itself.",
            SECTION),
    Mistake("relu'(0) = 1 (z >= 0 instead of z > 0)", _only("relu", lambda z: z >= 0),
            "relu'(0) is 0 in this course, as in PyTorch: use z > 0.", SECTION),
    Mistake("np.sign(z) used as relu'(z), which is -1 for z < 0", _only("relu", np.sign),
            "relu'(z) is 1 where z > 0 and 0 elsewhere: (z > 0).", SECTION),
    Mistake("the upstream gradient ignored (f'(z) returned)",
            lambda up, z, act: DERIVATIVES[act](z),
            "The chain rule multiplies: dL/dz = upstream * f'(z).", SECTION),
    Mistake("sigmoid' written as s(1 + s)", _only("sigmoid", lambda z: _s(z) * (1 + _s(z))),
            "sigmoid'(z) = s(z)(1 - s(z)), with s = sigmoid(z).", SECTION),
    Mistake("sigmoid' written as 1 - s²", _only("sigmoid", lambda z: 1 - _s(z) ** 2),
            "1 - tanh² is tanh's derivative; sigmoid'(z) = s(z)(1 - s(z)).", SECTION),
    Mistake("sigmoid' written as s(z)(1 - z), mixing z and s(z)",
            _only("sigmoid", lambda z: _s(z) * (1 - z)),
            "sigmoid'(z) = s(z)(1 - s(z)): both factors use s = sigmoid(z).", SECTION),
    Mistake("tanh' written as 1 - tanh(z) (not squared)",
            _only("tanh", lambda z: 1 - np.tanh(z)),
            "tanh'(z) = 1 - tanh(z)², the square of tanh.", SECTION),
    Mistake("the derivative formula applied to z instead of to f(z) (z(1 - z) or 1 - z²)",
            lambda up, z, act: up * {"sigmoid": z * (1 - z), "tanh": 1 - z ** 2}[act],
            "a(1 - a) and 1 - a² take the activation's OUTPUT a = f(z); compute a = f(z) "
            "first.", SECTION),
]

Z_WITH_ZEROS = np.array([[-1.5, 0.0, 2.0], [0.0, 0.5, -0.25]])

# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "float32", "str"}
PUBLIC = [
    Case("sigmoid on (2, 3)", (floats((2, 3), 1), floats((2, 3), 2, scale=2), "sigmoid")),
    Case("tanh on (2, 3)", (floats((2, 3), 3), floats((2, 3), 4, scale=2), "tanh")),
    Case("relu where some z are exactly 0", (floats((2, 3), 5), Z_WITH_ZEROS, "relu")),
    Case("sigmoid on 0-d arrays", (np.array(-1.25), np.array(0.8), "sigmoid")),
    Case("tanh on 3-d (2, 3, 4)", (floats((2, 3, 4), 6), floats((2, 3, 4), 7), "tanh")),
    Case("relu at -0.0 and 0.0", (np.array([2.0, -3.0, 0.5]), np.array([-0.0, 0.0, 1e-300]),
                                  "relu")),
    Case("tanh on float32 keeps float32", (floats((3, 3), 13, dtype=np.float32),
                                           floats((3, 3), 14, dtype=np.float32), "tanh")),
    Case("sigmoid on float32 keeps float32",
         (floats((2, 4), 15, dtype=np.float32), floats((2, 4), 16, dtype=np.float32), "sigmoid")),
]
HIDDEN = [
    Case("relu on (3, 4) with a zero row", (floats((3, 4), 10),
                                            np.vstack([floats((2, 4), 11), np.zeros((1, 4))]),
                                            "relu")),
    Case("sigmoid for large |z| (±30)", (floats((4,), 12), np.array([-30.0, -2.0, 0.1, 30.0]),
                                         "sigmoid")),
    Case("sigmoid on (1, 1)", (np.array([[3.0]]), np.array([[-0.4]]), "sigmoid")),
    Case("relu on 0-d, z < 0", (np.array(2.0), np.array(-1.0), "relu")),
]


@points(2, hidden=0.9)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same dL/dz as the reference."""
    expect_same(student, reference, case)


INVALID = [
    Case("ValueError for activation 'softmax'",
         (floats((2, 2), 20), floats((2, 2), 21), "softmax")),
    Case("ValueError for activation 'leaky_relu'",
         (floats((3,), 22), floats((3,), 23), "leaky_relu")),
]
INVALID_HIDDEN = [Case("ValueError for activation 'gelu'",
                       (floats((2, 3), 24), floats((2, 3), 25), "gelu"))]


@points(0.2, hidden=0.1)
@pytest.mark.parametrize("case", cases(INVALID, INVALID_HIDDEN))
def test_rejects_unknown_activation(student, case):
    """An activation other than sigmoid, tanh or relu raises ValueError."""
    expect_raises(student, ValueError, case, why="that activation is not sigmoid, tanh or relu",
                  valid=PUBLIC[0])
