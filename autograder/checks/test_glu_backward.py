"""Checks of glu_backward(grad_out, x, axis=-1): the gradient of glu(x, axis) = a ∘ σ(b) with
respect to x, da = grad_out ∘ σ(b) and db = grad_out ∘ a ∘ σ'(b), joined along `axis`."""
import re

import numpy as np
import pytest

from autograder.checking.cases import distinct, floats
from autograder.checking.expect import Case, cases, expect_raises, expect_same, points
from autograder.checking.mistakes import Mistake, model_output
from autograder.references._validate import sigmoid

SECTION = "Backpropagating through a gate: both factors depend on x"
SECTION_GATES = "Gates: GLU and SwiGLU"


def _out_shape(x, axis):
    shape = list(x.shape)
    shape[axis] //= 2
    return tuple(shape)


def _checked(x, axis, grad_out):
    """The contract's two checks, as the reference makes them (for the models below)."""
    if x.shape[axis] % 2 or np.shape(grad_out) != _out_shape(x, axis):
        raise ValueError("invalid arguments")


def _model(da_of, db_of, *, split_axis=None, join_axis=None, join=None, check=True):
    """glu_backward with one step done wrong: da_of(g, a, b) and db_of(g, a, b) give the two
    halves' gradients; split_axis / join_axis replace `axis` where x is split / joined;
    join(da, db, axis) replaces the concatenation."""
    def model(grad_out, x, axis=-1):
        if check:
            _checked(x, axis, grad_out)
        a, b = np.split(x, 2, axis=axis if split_axis is None else split_axis)
        da, db = da_of(grad_out, a, b), db_of(grad_out, a, b)
        if join is not None:
            return join(da, db, axis)
        return np.concatenate([da, db], axis=axis if join_axis is None else join_axis)
    return model


def _da(g, a, b):
    return g * sigmoid(b)


def _db(g, a, b):
    return g * a * sigmoid(b) * sigmoid(-b)


def _no_checks(grad_out, x, axis=-1):
    """No check at all, halves by slicing: NumPy broadcasts what it can."""
    n = x.shape[axis] // 2
    a = np.take(x, np.arange(n), axis=axis)
    b = np.take(x, np.arange(n, x.shape[axis]), axis=axis)
    return np.concatenate([_da(grad_out, a, b), _db(grad_out, a, b)], axis=axis)


def _grad_out_unchecked(grad_out, x, axis=-1):
    if x.shape[axis] % 2:
        raise ValueError("odd")
    return _model(_da, _db, check=False)(grad_out, x, axis)


def _unstable_db(g, a, b):
    e = np.exp(-b)          # overflows for b < -709: inf / inf = NaN
    return g * a * e / (1 + e) ** 2


ONE_PATH = ("only the path through a: b's gradient db missing (zeros, or da alone)",
            "x reaches the output through BOTH factors of a ∘ σ(b), and the two paths give two "
            "gradients: da = grad_out ∘ σ(b) AND db = grad_out ∘ a ∘ σ(b) ∘ (1 − σ(b)), "
            "joined along axis into x's shape.", SECTION)
TANH = ("tanh's derivative 1 − t² used for σ'",
        "σ'(b) = σ(b) ∘ (1 − σ(b)); 1 − tanh(b)² is the derivative of tanh, a different gate.",
        SECTION)
WRONG_AXIS = ("x split along the wrong axis (not `axis`)",
              "Split x and join da, db along the axis you are given: np.split(x, 2, axis=axis) "
              "and np.concatenate([da, db], axis=axis).", SECTION_GATES)

MISTAKES = [
    Mistake(*ONE_PATH[:1], _model(_da, lambda g, a, b: np.zeros_like(g * a)), *ONE_PATH[1:]),
    Mistake(*ONE_PATH[:1], _model(_da, _db, join=lambda da, db, axis: da), *ONE_PATH[1:]),
    Mistake("only the path through b: a's gradient da missing (zeros)",
            _model(lambda g, a, b: np.zeros_like(g * a), _db),
            "a reaches the output too: da = grad_out ∘ σ(b).", SECTION),
    Mistake("(da, db) returned as a tuple instead of one array joined along `axis`",
            _model(_da, _db, join=lambda da, db, axis: (da, db)),
            "glu_backward returns the gradient with respect to x, one array of x's shape: "
            "np.concatenate([da, db], axis=axis).", SECTION),
    Mistake("σ(b) used where σ'(b) = σ(b) ∘ (1 − σ(b)) is due",
            _model(_da, lambda g, a, b: g * a * sigmoid(b)),
            "The derivative of the gate is σ'(b) = σ(b) ∘ (1 − σ(b)), not σ(b): "
            "db = grad_out ∘ a ∘ σ(b) ∘ (1 − σ(b)).", SECTION),
    Mistake(*TANH[:1], _model(_da, lambda g, a, b: g * a * (1 - np.tanh(b) ** 2)), *TANH[1:]),
    Mistake(*TANH[:1], _model(_da, lambda g, a, b: g * a * (1 - sigmoid(b) ** 2)), *TANH[1:]),
    Mistake("the factor a missing from db (grad_out ∘ σ'(b))",
            _model(_da, lambda g, a, b: g * sigmoid(b) * sigmoid(-b)),
            "b's path goes through the product a ∘ σ(b): its gradient keeps the other factor, "
            "db = grad_out ∘ a ∘ σ'(b).", SECTION),
    Mistake("the halves swapped (b as the signal, σ(a) as the gate)",
            _model(lambda g, a, b: g * b * sigmoid(a) * sigmoid(-a),
                   lambda g, a, b: g * sigmoid(a)),
            "The FIRST half a is the signal and the SECOND half b the gate, as in glu: "
            "da = grad_out ∘ σ(b), db = grad_out ∘ a ∘ σ'(b).", SECTION_GATES),
    Mistake("da and db joined in the wrong order (db first)",
            _model(_da, _db, join=lambda da, db, axis: np.concatenate([db, da], axis=axis)),
            "x = [a, b] along axis, so its gradient is [da, db]: "
            "np.concatenate([da, db], axis=axis).", SECTION),
] + [
    Mistake(*WRONG_AXIS[:1], _model(_da, _db, split_axis=split, join_axis=join), *WRONG_AXIS[1:])
    for split, join in ((0, 0), (-1, -1), (0, None), (-1, None))
] + [
    Mistake("da and db joined along axis 0 (np.concatenate's default) instead of `axis`",
            _model(_da, _db, join_axis=0),
            "np.concatenate joins along axis 0 unless told otherwise: "
            "np.concatenate([da, db], axis=axis).", SECTION),
    Mistake("σ'(b) computed as e^(−b) / (1 + e^(−b))², which overflows to NaN for large −b",
            _model(_da, _unstable_db),
            "Write σ'(b) = σ(b) ∘ (1 − σ(b)) with the stable sigmoid of this notebook: no "
            "exponential of a large number, no inf / inf.", SECTION),
    Mistake("grad_out's shape not checked (NumPy broadcast it)", _grad_out_unchecked,
            "Broadcasting hides a wrong grad_out: compare grad_out.shape with glu's output "
            "shape (x's shape with axis halved) and raise ValueError if they differ.", SECTION),
    Mistake("the odd length not checked (unequal halves, broadcast by NumPy)", _no_checks,
            "An odd length has no halves: raise ValueError if x.shape[axis] is odd, before "
            "splitting.", SECTION_GATES),
]


def _shapes(message):
    """The operands' shapes in NumPy's "could not be broadcast together" message, any order."""
    if "broadcast" not in message:
        return None
    return sorted(re.findall(r"\([\d, ]*\)", message.split("shapes", 1)[-1]))


def _advise_raise(mistakes):
    """advise_raised for expect_same: a broadcasting error on valid inputs between the same
    operands as a model's (grad_out and a half of x split along the wrong axis), in either
    order. `mistakes` are the student's (a bundle's replay their recorded outcomes)."""
    def advise(case, raised) -> Mistake | None:
        shapes = _shapes(raised.message) if raised.is_a(ValueError) else None
        if not shapes:
            return None
        for mistake in mistakes:
            if mistake.model is None:
                continue
            try:
                model_output(mistake, case.args, case.kwargs)
            except Exception as error:  # a replayed error has the type's name, not the type
                if type(error).__name__ == "ValueError" and _shapes(str(error)) == shapes:
                    return mistake
        return None
    return advise


def _case(name, shape, seed, **kwargs):
    x = distinct(shape, seed)
    return Case(name, (floats(_out_shape(x, kwargs.get("axis", -1)), seed + 50), x), kwargs)


def _saturated():
    """Gates far in their tails: σ(b) is 0 or 1 and σ'(b) underflows, e^(−b) overflows."""
    x = floats((3, 8), 8, scale=3.0)
    x[:, 4:] = [[-1000.0, -750.0, 2.5, 1000.0], [800.0, -40.0, -710.0, 0.0],
                [-1e4, 36.0, 750.0, -3.0]]
    x[:, :4] *= 100.0
    return Case("gates saturated (|b| up to 10⁴)", (floats((3, 4), 9), x))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "3-d", "axis=int", "int"}
PUBLIC = [
    _case("(2, 6) with the default axis (the last)", (2, 6), 1),
    _case("(4, 4) square, axis=0", (4, 4), 2, axis=0),
    _case("(4, 4) square, axis=-1", (4, 4), 3, axis=-1),
    _case("3-d (2, 4, 6), axis=-2", (2, 4, 6), 4, axis=-2),
    _case("1-d, length 8", (8,), 5),
    Case("(4, 6) with axis=1 passed by position", (floats((4, 3), 11), distinct((4, 6), 12), 1)),
]
HIDDEN = [
    _case("3-d (2, 4, 6), axis=1", (2, 4, 6), 6, axis=1),
    _case("3-d (4, 3, 2), axis=-3", (4, 3, 2), 7, axis=-3),
    _case("3-d (3, 2, 4), the default axis", (3, 2, 4), 10),
    Case("(1, 2), the smallest split", (np.array([[-0.5]]), np.array([[1.5, -2.0]]))),
    _saturated(),
] + [Case(f"random (5, 6), seed {seed}", (floats((5, 3), seed + 1), floats((5, 6), seed)))
     for seed in (21, 23)]


@points(1.25, hidden=1.75)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same gradient as the reference (x's shape), inputs unchanged."""
    expect_same(student, reference, case, advise_raised=_advise_raise(student.mistakes))


ODD = [
    Case("ValueError for x (2, 3): the last axis has odd length 3 (grad_out (2, 1))",
         (floats((2, 1), 30), floats((2, 3), 31))),
    Case("ValueError for x (5, 4) with axis=0 of odd length 5",
         (floats((2, 4), 32), floats((5, 4), 33)), {"axis": 0}),
    Case("ValueError for 1-d x of length 7", (floats((3,), 34), floats((7,), 35))),
]
HIDDEN_ODD = [
    Case("ValueError for x (3, 5) with axis=-1 of odd length 5",
         (floats((3, 2), 36), floats((3, 5), 37)), {"axis": -1}),
]


@points(0.25, hidden=0.25)
@pytest.mark.parametrize("case", cases(ODD, HIDDEN_ODD))
def test_rejects_odd_length(student, case):
    """An axis of odd length cannot be split in halves: ValueError."""
    expect_raises(student, ValueError, case, why="that axis has odd length", valid=PUBLIC[0])


WHY_SHAPE = "grad_out's shape is not glu's output shape"
GRAD_SHAPE = [
    Case("ValueError for grad_out (3,) with x (2, 6): it broadcasts, but glu(x) is (2, 3)",
         (floats((3,), 40), floats((2, 6), 41))),
    Case("ValueError for grad_out (1, 4) with x (4, 4), axis=0: glu(x, 0) is (2, 4)",
         (floats((1, 4), 42), floats((4, 4), 43)), {"axis": 0}),
    Case("ValueError for grad_out (1, 2, 3) with x (2, 6): an extra axis",
         (floats((1, 2, 3), 44), floats((2, 6), 45))),
]
HIDDEN_GRAD_SHAPE = [
    Case("ValueError for grad_out (2, 6), x's own shape", (floats((2, 6), 46),
                                                           floats((2, 6), 47))),
    Case("ValueError for grad_out (1, 3) with x (2, 6)", (floats((1, 3), 48),
                                                          floats((2, 6), 49))),
]


@points(0.25, hidden=0.25)
@pytest.mark.parametrize("case", cases(GRAD_SHAPE, HIDDEN_GRAD_SHAPE))
def test_rejects_wrong_grad_out_shape(student, case):
    """grad_out must have glu's output shape (x's with axis halved): ValueError otherwise."""
    expect_raises(student, ValueError, case, why=WHY_SHAPE, valid=PUBLIC[0])
