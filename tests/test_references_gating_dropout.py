"""The 04-gating-dropout references against independent oracles (PyTorch, statistics).

The checks grade students against these references, so each one is tested here on many
seeded, generated inputs against something written independently of it.
"""
import contextlib
import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from autograder.references.gating_dropout import (
    dropout_backward,
    dropout_forward,
    glu,
    glu_backward,
    lstm_cell,
    masked_softmax,
    swiglu,
)

SEEDS = range(30)


def _close(got, expected, rtol=1e-10):
    """Same shape and dtype, values within rtol relative to the largest magnitude."""
    assert isinstance(got, np.ndarray)
    assert got.shape == expected.shape and got.dtype == expected.dtype
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-300)
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=rtol * scale)


@contextlib.contextmanager
def _strict():
    """No warning of any kind: an overflow or invalid operation fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------------------------- glu
def _glu_input(seed):
    g = np.random.default_rng(seed)
    ndim = int(g.integers(1, 4))
    shape = [int(n) for n in g.integers(1, 5, ndim)]
    axis = int(g.integers(-ndim, ndim))
    shape[axis] = 2 * int(g.integers(1, 4))
    scale = float(g.choice([0.1, 1.0, 10.0, 800.0]))
    return g.standard_normal(shape) * scale, axis


@pytest.mark.parametrize("seed", SEEDS)
def test_glu_matches_torch(seed):
    x, axis = _glu_input(seed)
    expected = F.glu(torch.from_numpy(x), dim=axis).numpy()
    with _strict():
        got = glu(x, axis=axis)
    _close(got, expected)


@pytest.mark.parametrize("shape", [(6,), (3, 4), (2, 3, 8)])
def test_glu_default_axis_is_last(shape):
    x = np.random.default_rng(1).standard_normal(shape)
    _close(glu(x), F.glu(torch.from_numpy(x)).numpy())


def test_glu_axis_0_and_last_differ_on_square_input():
    x = np.random.default_rng(2).standard_normal((4, 4))
    _close(glu(x, axis=0), F.glu(torch.from_numpy(x), dim=0).numpy())
    _close(glu(x, axis=-1), F.glu(torch.from_numpy(x), dim=-1).numpy())
    assert glu(x, axis=0).shape == (2, 4) and glu(x, axis=-1).shape == (4, 2)


@pytest.mark.parametrize("shape, axis", [((5,), -1), ((3, 5), -1), ((3, 4), 0), ((2, 3, 4), 1),
                                         ((2, 4, 7), -1)])
def test_glu_odd_axis_raises(shape, axis):
    with pytest.raises(ValueError, match="odd|length|half"):
        glu(np.ones(shape), axis=axis)


# ------------------------------------------------------------------------- glu_backward
def _torch_glu_grad(grad_out, x, axis):
    tx = torch.from_numpy(x).requires_grad_(True)
    F.glu(tx, dim=axis).backward(torch.from_numpy(grad_out))
    return tx.grad.numpy()


@pytest.mark.parametrize("seed", SEEDS)
def test_glu_backward_matches_autograd(seed):
    x, axis = _glu_input(500 + seed)
    shape = list(x.shape)
    shape[axis] //= 2
    grad_out = np.random.default_rng(600 + seed).standard_normal(shape)
    with _strict():
        got = glu_backward(grad_out, x, axis=axis)
    _close(got, _torch_glu_grad(grad_out, x, axis))


@pytest.mark.parametrize("shape, axis", [((8,), -1), ((8,), 0), ((3, 6), -1), ((4, 4), 0),
                                         ((4, 4), -2), ((2, 4, 6), 1), ((2, 4, 6), -3),
                                         ((2, 3, 4), -1), ((1, 2), -1)])
def test_glu_backward_shapes_and_axes(shape, axis):
    g = np.random.default_rng(7)
    x = g.standard_normal(shape)
    out_shape = F.glu(torch.from_numpy(x), dim=axis).shape
    grad_out = g.standard_normal(tuple(out_shape))
    got = glu_backward(grad_out, x, axis=axis)
    _close(got, _torch_glu_grad(grad_out, x, axis))
    assert not np.shares_memory(got, x) and not np.shares_memory(got, grad_out)


def test_glu_backward_default_axis_is_last():
    g = np.random.default_rng(8)
    x, grad_out = g.standard_normal((4, 4)), g.standard_normal((4, 2))
    _close(glu_backward(grad_out, x), _torch_glu_grad(grad_out, x, -1))


def test_glu_backward_saturated_gates_stay_finite_and_exact():
    """|b| up to 1000: σ'(b) underflows to 0 without a warning; da is grad_out or 0."""
    x = np.array([[2.0, -3.0, 0.5, 1.5, -1000.0, -750.0, 40.0, 1000.0]])
    grad_out = np.array([[1.0, -2.0, 3.0, 0.5]])
    with _strict(), np.errstate(over="raise", invalid="raise"):
        got = glu_backward(grad_out, x)
    _close(got, _torch_glu_grad(grad_out, x, -1))
    assert got[0, 0] == 0 and got[0, 3] == 0.5


def test_glu_backward_inputs_unchanged():
    g = np.random.default_rng(9)
    x, grad_out = g.standard_normal((3, 6)), g.standard_normal((3, 3))
    copies = x.copy(), grad_out.copy()
    glu_backward(grad_out, x)
    np.testing.assert_array_equal(x, copies[0])
    np.testing.assert_array_equal(grad_out, copies[1])


@pytest.mark.parametrize("shape, axis", [((5,), -1), ((2, 3), -1), ((5, 4), 0), ((2, 7, 4), 1)])
def test_glu_backward_odd_axis_raises(shape, axis):
    out_shape = list(shape)
    out_shape[axis] //= 2
    with pytest.raises(ValueError, match="odd|length|half"):
        glu_backward(np.ones(out_shape), np.ones(shape), axis=axis)


@pytest.mark.parametrize("grad_shape, x_shape, axis", [
    ((3,), (2, 6), -1),          # broadcasts against (2, 3): NumPy would not complain
    ((1, 3), (2, 6), -1),
    ((1, 2, 3), (2, 6), -1),
    ((2, 6), (2, 6), -1),        # x's shape instead of glu's output shape
    ((4, 2), (4, 4), 0),         # the output shape of the other axis
    ((1, 4), (4, 4), 0),
    ((3,), (8,), -1),
])
def test_glu_backward_wrong_grad_out_shape_raises(grad_shape, x_shape, axis):
    with pytest.raises(ValueError, match="grad_out"):
        glu_backward(np.ones(grad_shape), np.ones(x_shape), axis=axis)


# ------------------------------------------------------------------------------- swiglu
@pytest.mark.parametrize("seed", SEEDS)
def test_swiglu_matches_torch(seed):
    g = np.random.default_rng(100 + seed)
    batch, d, hidden = (int(n) for n in g.integers(1, 7, 3))
    scale = float(g.choice([0.1, 1.0, 10.0, 300.0]))
    x = g.standard_normal((batch, d)) * scale
    W, V = g.standard_normal((d, hidden)), g.standard_normal((d, hidden))
    tx, tW, tV = map(torch.from_numpy, (x, W, V))
    expected = (F.silu(tx @ tW) * (tx @ tV)).numpy()
    with _strict():
        got = swiglu(x, W, V)
    _close(got, expected)


# ---------------------------------------------------------------------------- lstm_cell
def _torch_lstm(x, h, c, W_ih, W_hh, b_ih, b_hh):
    cell = torch.nn.LSTMCell(x.shape[1], h.shape[1]).double()
    with torch.no_grad():
        for parameter, value in ((cell.weight_ih, W_ih), (cell.weight_hh, W_hh),
                                 (cell.bias_ih, b_ih), (cell.bias_hh, b_hh)):
            parameter.copy_(torch.from_numpy(value))
        h_new, c_new = cell(torch.from_numpy(x), (torch.from_numpy(h), torch.from_numpy(c)))
    return h_new.numpy(), c_new.numpy()


@pytest.mark.parametrize("seed", SEEDS)
def test_lstm_cell_matches_torch_lstm_cell(seed):
    g = np.random.default_rng(200 + seed)
    batch = 1 if seed % 5 == 0 else int(g.integers(1, 6))
    inputs, hidden = int(g.integers(1, 7)), int(g.integers(1, 8))
    scale = 30.0 if seed % 7 == 0 else 1.0   # large pre-activations: saturated gates
    args = (g.standard_normal((batch, inputs)) * scale, g.standard_normal((batch, hidden)),
            g.standard_normal((batch, hidden)) * 2, g.standard_normal((4 * hidden, inputs)) * scale,
            g.standard_normal((4 * hidden, hidden)), g.standard_normal(4 * hidden),
            g.standard_normal(4 * hidden))
    expected = _torch_lstm(*args)
    with _strict():
        got = lstm_cell(*args)
    assert type(got) is tuple and len(got) == 2
    _close(got[0], expected[0])
    _close(got[1], expected[1])


def test_lstm_cell_zero_state_matches_torch_default_state():
    g = np.random.default_rng(3)
    x, hidden = g.standard_normal((3, 4)), 5
    cell = torch.nn.LSTMCell(4, hidden).double()
    with torch.no_grad():
        h_new, c_new = cell(torch.from_numpy(x))   # torch's default state: zeros
    zeros = np.zeros((3, hidden))
    got = lstm_cell(x, zeros, zeros, *(p.detach().numpy() for p in (
        cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)))
    _close(got[0], h_new.numpy())
    _close(got[1], c_new.numpy())


# ----------------------------------------------------------------------- masked_softmax
def _mask_for(g, shape):
    """A random keep-mask of `shape` or of a shape that broadcasts to it."""
    kind = int(g.integers(0, 3))
    if kind == 1:     # size-1 axes, as an attention mask (batch, 1, n)
        mask_shape = tuple(1 if g.random() < 0.5 else n for n in shape)
    elif kind == 2:   # trailing axes only, as a key-padding mask (n,)
        mask_shape = shape[int(g.integers(0, len(shape))):]
    else:
        mask_shape = shape
    return g.random(mask_shape) < float(g.choice([0.3, 0.6, 0.9]))


def _torch_masked_softmax(scores, mask, axis):
    full = torch.from_numpy(np.broadcast_to(mask, scores.shape).copy())
    weights = torch.softmax(torch.from_numpy(scores).masked_fill(~full, float("-inf")), dim=axis)
    # torch gives NaN on a slice with no kept entry; the contract says zeros there.
    empty = ~full.any(dim=axis, keepdim=True)
    return torch.where(empty.expand_as(weights), torch.zeros_like(weights), weights).numpy()


@pytest.mark.parametrize("seed", range(60))
def test_masked_softmax_matches_torch(seed):
    g = np.random.default_rng(300 + seed)
    ndim = int(g.integers(1, 4))
    shape = tuple(int(n) for n in g.integers(1, 6, ndim))
    axis = int(g.integers(-ndim, ndim))
    scale = float(g.choice([1.0, 10.0, 1e3, 1e4]))
    scores = g.standard_normal(shape) * scale + float(g.choice([0.0, 1e4, -1e4]))
    mask = _mask_for(g, shape)
    expected = _torch_masked_softmax(scores, mask, axis)
    with _strict(), np.errstate(over="raise", invalid="raise", divide="raise"):
        got = masked_softmax(scores, mask, axis=axis)
    _close(got, expected)
    kept = np.broadcast_to(mask, shape)
    assert np.all(got[~kept] == 0), "masked entries must be exactly 0"
    sums = np.sum(got, axis=axis)
    has_kept = np.any(kept, axis=axis)
    np.testing.assert_allclose(sums[has_kept], 1.0, rtol=1e-12)
    assert np.all(sums[~has_kept] == 0)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_masked_softmax_fully_masked_slices_are_zero_not_nan(axis):
    scores = np.random.default_rng(4).standard_normal((3, 4))
    mask = np.zeros((3, 4), dtype=bool)
    mask[0, 0] = True
    got = masked_softmax(scores, mask, axis=axis)
    assert not np.any(np.isnan(got))
    assert got[0, 0] == 1.0 and np.count_nonzero(got) == 1


def test_masked_softmax_all_masked():
    got = masked_softmax(np.ones((2, 3)), np.zeros((2, 3), dtype=bool))
    assert got.dtype == np.float64 and np.all(got == 0)


@pytest.mark.parametrize("offset", [1e3, 1e4, -1e4, 1e300])
def test_masked_softmax_no_overflow_for_large_scores(offset):
    scores = np.array([[0.0, 1.0, 2.0, 3.0], [3.0, 1.0, 0.5, -1.0]]) + offset
    mask = np.array([[True, True, False, True], [True, False, True, True]])
    with _strict(), np.errstate(over="raise", invalid="raise", divide="raise"):
        got = masked_softmax(scores, mask)
    small = masked_softmax(scores - offset, mask)
    assert np.all(np.isfinite(got))
    if abs(offset) < 1e15:   # beyond that, float64 cannot hold the differences
        _close(got, small)


def test_masked_softmax_masked_score_far_above_kept():
    scores = np.array([0.5, 1.0, 2000.0, -1.0])
    mask = np.array([True, True, False, True])
    expected = _torch_masked_softmax(scores, mask, -1)
    _close(masked_softmax(scores, mask), expected)


# ---------------------------------------------------------------------- dropout_forward
@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8, 0.95])
@pytest.mark.parametrize("seed", range(4))
def test_dropout_keep_fraction(p, seed):
    x = np.random.default_rng(seed).standard_normal((200, 500))
    out, mask = dropout_forward(x, p, np.random.default_rng(1000 + seed))
    assert mask.dtype == np.bool_ and mask.shape == x.shape
    standard_error = math.sqrt(p * (1 - p) / mask.size)
    assert abs(mask.mean() - (1 - p)) < 6 * standard_error
    _close(out, x * mask / (1 - p), rtol=0)


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_expected_output_is_x(p):
    x = np.random.default_rng(5).standard_normal(40) * 3
    rng = np.random.default_rng(6)
    draws = 4000
    outs = np.stack([dropout_forward(x, p, rng)[0] for _ in range(draws)])
    standard_error = np.abs(x) * math.sqrt(p / (1 - p)) / math.sqrt(draws)
    assert np.all(np.abs(outs.mean(axis=0) - x) <= 6 * standard_error)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dropout_keeps_dtype_and_shape(dtype):
    x = np.random.default_rng(7).standard_normal((2, 3, 4)).astype(dtype)
    out, mask = dropout_forward(x, 0.3, np.random.default_rng(8))
    assert out.dtype == dtype and out.shape == x.shape and mask.shape == x.shape
    _close(out, x * mask / dtype(0.7).astype(dtype), rtol=1e-6)


def test_dropout_mask_comes_from_rng_and_advances_it():
    x = np.ones((30, 30))
    first = dropout_forward(x, 0.5, np.random.default_rng(9))[1]
    again = dropout_forward(x, 0.5, np.random.default_rng(9))[1]
    other = dropout_forward(x, 0.5, np.random.default_rng(10))[1]
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    rng = np.random.default_rng(11)
    before = rng.bit_generator.state
    a = dropout_forward(x, 0.5, rng)[1]
    assert rng.bit_generator.state != before
    assert not np.array_equal(a, dropout_forward(x, 0.5, rng)[1])


def test_dropout_p_zero_keeps_everything():
    x = np.random.default_rng(12).standard_normal((5, 5))
    out, mask = dropout_forward(x, 0.0, np.random.default_rng(13))
    assert mask.all()
    np.testing.assert_array_equal(out, x)


def test_dropout_eval_mode_is_identity_and_leaves_rng_alone():
    x = np.random.default_rng(14).standard_normal((4, 6))
    rng = np.random.default_rng(15)
    before = rng.bit_generator.state
    out, mask = dropout_forward(x, 0.7, rng, train=False)
    np.testing.assert_array_equal(out, x)
    assert out.dtype == x.dtype and out is not x
    assert mask.dtype == np.bool_ and mask.shape == x.shape and mask.all()
    assert rng.bit_generator.state == before


@pytest.mark.parametrize("p", [1.0, 1, -0.1, 1.5, -1e-12, float("nan")])
@pytest.mark.parametrize("train", [True, False])
def test_dropout_rejects_bad_p(p, train):
    with pytest.raises(ValueError, match="p"):
        dropout_forward(np.ones(3), p, np.random.default_rng(0), train=train)


def test_dropout_inputs_unchanged():
    x = np.random.default_rng(16).standard_normal((3, 3))
    copy = x.copy()
    dropout_forward(x, 0.5, np.random.default_rng(17))
    np.testing.assert_array_equal(x, copy)


# --------------------------------------------------------------------- dropout_backward
@pytest.mark.parametrize("seed", SEEDS)
def test_dropout_backward_matches_autograd(seed):
    g = np.random.default_rng(400 + seed)
    shape = tuple(int(n) for n in g.integers(1, 6, int(g.integers(1, 4))))
    p = float(g.choice([0.0, 0.1, 0.5, 0.9]))
    x = g.standard_normal(shape)
    _, mask = dropout_forward(x, p, g)
    grad_out = g.standard_normal(shape)
    tx = torch.from_numpy(x).requires_grad_(True)
    (tx * torch.from_numpy(mask) / (1 - p)).backward(torch.from_numpy(grad_out))
    _close(dropout_backward(grad_out, mask, p), tx.grad.numpy())
