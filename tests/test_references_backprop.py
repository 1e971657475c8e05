"""The 06-backprop reference against independent oracles, on many seeded generated inputs.

torch.autograd (float64) with F.cross_entropy is the oracle for the loss and every gradient;
a central-difference gradient of the reference's own loss is a second, torch-free one. The
checks grade students against this reference, so a bug here would mark right answers wrong.
"""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from autograder.references.backprop import mlp_loss_and_grads

SEEDS = range(40)
KEYS = ("W1", "b1", "W2", "b2")


def network(seed, *, scale=1.0, dropout=False, zeros=False):
    """Random (X, y, W1, b1, W2, b2) and kwargs; `scale` multiplies W2 (large scores),
    `zeros` makes every value an integer and puts exact zeros into z1 = X W1 + b1."""
    g = np.random.default_rng(seed)
    N, D, H, C = (int(n) for n in g.integers(1, 7, 4))
    C = max(C, 2)
    if zeros:
        X = g.integers(-2, 3, (N, D)).astype(float)
        W1 = g.integers(-2, 3, (D, H)).astype(float)
        b1 = -(X @ W1)[0]                       # the first example's z1 is exactly 0
    else:
        X, W1, b1 = g.standard_normal((N, D)), g.standard_normal((D, H)), g.standard_normal(H)
    W2, b2 = g.standard_normal((H, C)) * scale, g.standard_normal(C)
    y = g.integers(0, C, N)
    kwargs = {}
    if dropout:
        p = float(g.choice([0.1, 0.5, 0.8]))
        kwargs = {"mask": g.random((N, H)) >= p, "p": p}
    return (X, y, W1, b1, W2, b2), kwargs


def autograd(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    """The loss and gradients from torch.autograd: relu, dropout as a Hadamard product with
    mask / (1 - p), and F.cross_entropy (its own log-softmax)."""
    leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (W1, b1, W2, b2)]
    tW1, tb1, tW2, tb2 = leaves
    h = torch.relu(torch.from_numpy(X) @ tW1 + tb1)
    if mask is not None:
        h = h * torch.from_numpy(mask) / (1 - p)
    loss = F.cross_entropy(h @ tW2 + tb2, torch.from_numpy(y))
    loss.backward()
    return loss.item(), {k: t.grad.numpy() for k, t in zip(KEYS, leaves)}


def assert_matches(got, expected, rtol=1e-10):
    loss, grads = got
    assert type(loss) is float
    np.testing.assert_allclose(loss, expected[0], rtol=rtol)
    assert type(grads) is dict and list(grads) == list(KEYS)
    for key in KEYS:
        want = expected[1][key]
        assert grads[key].shape == want.shape and grads[key].dtype == np.float64, key
        scale = max(float(np.max(np.abs(want), initial=0.0)), 1e-300)
        np.testing.assert_allclose(grads[key], want, rtol=rtol, atol=rtol * scale, err_msg=key)


def strict(args, kwargs):
    """The reference's answer, with any warning or overflow an error (underflow to 0 is
    harmless: it is how the stable softmax sends tiny probabilities to 0)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            return mlp_loss_and_grads(*args, **kwargs)


@pytest.mark.parametrize("dropout", [False, True], ids=["no mask", "mask"])
@pytest.mark.parametrize("seed", SEEDS)
def test_matches_autograd(seed, dropout):
    args, kwargs = network(seed, dropout=dropout)
    assert_matches(strict(args, kwargs), autograd(*args, **kwargs))


@pytest.mark.parametrize("scale", [1e3, 1e4, -1e4])
@pytest.mark.parametrize("seed", range(10))
def test_large_scores_do_not_overflow(seed, scale):
    args, kwargs = network(100 + seed, scale=scale, dropout=seed % 2 == 1)
    got = strict(args, kwargs)
    assert np.isfinite(got[0])
    assert_matches(got, autograd(*args, **kwargs), rtol=1e-9)


@pytest.mark.parametrize("dropout", [False, True], ids=["no mask", "mask"])
@pytest.mark.parametrize("seed", range(20))
def test_relu_derivative_at_zero_is_zero_as_in_autograd(seed, dropout):
    args, kwargs = network(200 + seed, zeros=True, dropout=dropout)
    X, _, W1, b1, *_ = args
    assert np.any(X @ W1 + b1 == 0)
    assert_matches(strict(args, kwargs), autograd(*args, **kwargs))


def numerical(args, kwargs, key, h=1e-6):
    """Central differences of the reference's loss with respect to one parameter."""
    position = KEYS.index(key) + 2          # args are (X, y, W1, b1, W2, b2)
    values = list(args)
    param = values[position].copy()
    grad = np.zeros_like(param)
    for i in np.ndindex(param.shape):
        for sign in (1, -1):
            moved = param.copy()
            moved[i] += sign * h
            values[position] = moved
            grad[i] += sign * mlp_loss_and_grads(*values, **kwargs)[0] / (2 * h)
    return grad


@pytest.mark.parametrize("dropout", [False, True], ids=["no mask", "mask"])
@pytest.mark.parametrize("seed", range(15))
def test_matches_central_differences(seed, dropout):
    args, kwargs = network(300 + seed, dropout=dropout)
    _, grads = mlp_loss_and_grads(*args, **kwargs)
    for key in KEYS:
        np.testing.assert_allclose(grads[key], numerical(args, kwargs, key), rtol=1e-5,
                                   atol=1e-7, err_msg=key)


def test_inputs_unchanged_and_results_new():
    args, kwargs = network(400, dropout=True)
    before = [a.copy() for a in args] + [kwargs["mask"].copy()]
    _, grads = mlp_loss_and_grads(*args, **kwargs)
    for a, b in zip(list(args) + [kwargs["mask"]], before):
        np.testing.assert_array_equal(a, b)
    assert not any(np.shares_memory(g, a) for g in grads.values() for a in args)


def valid():
    g = np.random.default_rng(500)
    N, D, H, C = 4, 3, 5, 3
    return [g.standard_normal((N, D)), np.array([0, 2, 1, 2]), g.standard_normal((D, H)),
            g.standard_normal(H), g.standard_normal((H, C)), g.standard_normal(C)]


INVALID = {
    "X 1-d": (0, np.ones(3)),
    "W1 with D + 1 rows": (2, np.ones((4, 5))),
    "b1 of length 1 (broadcasts)": (3, np.ones(1)),
    "b1 (1, H)": (3, np.ones((1, 5))),
    "W2 with H - 1 rows": (4, np.ones((4, 3))),
    "b2 of length C + 1": (5, np.ones(4)),
    "y of length N + 1": (1, np.array([0, 1, 2, 0, 1])),
    "y (N, 1)": (1, np.array([[0], [1], [2], [0]])),
    "a label -1": (1, np.array([0, -1, 1, 2])),
    "a label C": (1, np.array([0, 3, 1, 2])),
}


@pytest.mark.parametrize("change", list(INVALID))
def test_value_errors(change):
    args = valid()
    position, value = INVALID[change]
    args[position] = value
    with pytest.raises(ValueError, match=r"\S"):
        mlp_loss_and_grads(*args)


@pytest.mark.parametrize("shape", [(5,), (1, 5), (4, 1), (5, 4), (4, 6)])
def test_mask_of_another_shape_is_a_value_error(shape):
    with pytest.raises(ValueError, match="mask"):
        mlp_loss_and_grads(*valid(), mask=np.ones(shape, dtype=bool), p=0.5)
