"""Checks of lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh): one LSTM step, torch.nn.LSTMCell layout.

The gates are the four row blocks (i, f, g, o) of x @ W_ih.T + b_ih + h @ W_hh.T + b_hh;
c_new = sigmoid(f) ∘ c + sigmoid(i) ∘ tanh(g) and h_new = sigmoid(o) ∘ tanh(c_new).
"""
import numpy as np
import pytest

from autograder.checking.cases import floats
from autograder.checking.expect import Case, cases, expect_same, points
from autograder.checking.mistakes import Mistake
from autograder.references._validate import sigmoid

SECTION_LSTM = "The LSTM cell"


def _lstm(order="ifgo", *, c_from_h=False, tanh_out=True, use_b_hh=True, old_c_out=False,
          g_sigmoid=False):
    """A wrong (or, with the defaults, right) LSTM step, for the mistakes below."""
    def model(x, h, c, W_ih, W_hh, b_ih, b_hh):
        gates = x @ W_ih.T + b_ih + h @ W_hh.T + (b_hh if use_b_hh else 0)
        blocks = dict(zip(order, np.split(gates, 4, axis=1)))
        i, f, o = sigmoid(blocks["i"]), sigmoid(blocks["f"]), sigmoid(blocks["o"])
        g = sigmoid(blocks["g"]) if g_sigmoid else np.tanh(blocks["g"])
        c_new = f * (h if c_from_h else c) + i * g
        state = c if old_c_out else c_new
        return o * (np.tanh(state) if tanh_out else state), c_new
    return model


def _weights_on_the_left(x, h, c, W_ih, W_hh, b_ih, b_hh):
    """The gates as W_ih @ x + W_hh @ h, as for column vectors: NumPy refuses it for a batch
    of rows unless batch happens to equal input."""
    gates = (W_ih @ x + W_hh @ h).T + b_ih + b_hh
    i, f, g, o = np.split(gates, 4, axis=1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


ORDER_HINT = ("torch.nn.LSTMCell stacks the gates as (i, f, g, o): input, forget, cell "
              "candidate, output, each a block of hidden rows of W_ih and W_hh.")
MISTAKES = [
    Mistake("W_ih @ x, the weights on the left, for a batch whose examples are rows",
            _weights_on_the_left,
            "x is (batch, input), one example per ROW, as in torch.nn.LSTMCell: the gates are "
            "x @ W_ih.T + b_ih + h @ W_hh.T + b_hh, of shape (batch, 4 * hidden). W_ih @ x "
            "is for a single column vector.", SECTION_LSTM),
    Mistake("gate order (i, f, o, g), as in some texts, instead of PyTorch's (i, f, g, o)",
            _lstm("ifog"), ORDER_HINT, SECTION_LSTM),
    Mistake("gate order (f, i, g, o) instead of PyTorch's (i, f, g, o)",
            _lstm("figo"), ORDER_HINT, SECTION_LSTM),
    Mistake("gate order (i, g, f, o) (TensorFlow 1's i, j, f, o) instead of PyTorch's "
            "(i, f, g, o)", _lstm("igfo"), ORDER_HINT, SECTION_LSTM),
    Mistake("c_new computed from h instead of c (f ∘ h + i ∘ g)", _lstm(c_from_h=True),
            "The forget gate scales the previous CELL state: c_new = f * c + i * g.",
            SECTION_LSTM),
    Mistake("h_new = o ∘ c_new without the tanh", _lstm(tanh_out=False),
            "Squash the new cell state before gating it: h_new = o * tanh(c_new).",
            SECTION_LSTM),
    Mistake("h_new computed from the old c (o ∘ tanh(c))", _lstm(old_c_out=True),
            "Compute c_new first, then h_new = o * tanh(c_new).", SECTION_LSTM),
    Mistake("the bias b_hh forgotten", _lstm(use_b_hh=False),
            "torch.nn.LSTMCell adds both biases: x @ W_ih.T + b_ih + h @ W_hh.T + b_hh.",
            SECTION_LSTM),
    Mistake("sigmoid on the cell candidate g (it takes tanh)", _lstm(g_sigmoid=True),
            "i, f and o are gates (sigmoid, between 0 and 1); the candidate g uses tanh "
            "(between -1 and 1).", SECTION_LSTM),
]


def _case(name, batch, inputs, hidden_size, seed, *, scale=1.0, zero_state=False,
          dtype=np.float64):
    state = (np.zeros((batch, hidden_size), dtype), np.zeros((batch, hidden_size), dtype)) \
        if zero_state else (floats((batch, hidden_size), seed + 1, dtype=dtype),
                            floats((batch, hidden_size), seed + 2, dtype=dtype))
    return Case(name, (floats((batch, inputs), seed, scale=scale, dtype=dtype), *state,
                       floats((4 * hidden_size, inputs), seed + 3, scale=scale, dtype=dtype),
                       floats((4 * hidden_size, hidden_size), seed + 4, dtype=dtype),
                       floats((4 * hidden_size,), seed + 5, dtype=dtype),
                       floats((4 * hidden_size,), seed + 6, dtype=dtype)))


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"1-d", "2-d", "float32"}
PUBLIC = [
    _case("batch 2, input 3, hidden 4", 2, 3, 4, 1),
    _case("batch 1, input 2, hidden 3", 1, 2, 3, 10),
    _case("odd hidden size 5, batch 3, input 4", 3, 4, 5, 20),
    _case("float32 everything keeps float32", 2, 3, 2, 90, dtype=np.float32),
]
HIDDEN = [
    _case("large pre-activations (gates up to ~1000)", 3, 4, 2, 30, scale=20.0),
    _case("zero state h = c = 0", 2, 3, 3, 40, zero_state=True),
    _case("input size 1, hidden 2", 4, 1, 2, 50),
    _case("input larger than hidden: input 6, hidden 1", 2, 6, 1, 60),
] + [_case(f"random batch 4, input 5, hidden 3, seed {seed}", 4, 5, 3, seed) for seed in (71, 81)]


@points(0.75, hidden=1.5)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (h_new, c_new) as the reference, inputs unchanged."""
    expect_same(student, reference, case)
