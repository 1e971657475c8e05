"""The 03-gradients references against independent oracles, on many seeded generated inputs.

torch.autograd (float64) is the oracle for every backward pass; the probes' analytic
gradients are the oracle for numerical_gradient. The checks compare students with these
references, so a reference bug would mark right answers wrong.
"""
import numpy as np
import pytest
import torch

from autograder.protocol import probes
from autograder.references.gradients import (
    activation_backward,
    autograd_hadamard_grads,
    broadcast_hadamard_backward,
    hadamard_backward,
    layer_grads,
    numerical_gradient,
    unbroadcast,
)

SEEDS = range(60)
TORCH_ACTIVATIONS = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}


def random_shape(rng, max_ndim=4, max_size=4):
    return tuple(int(n) for n in rng.integers(1, max_size + 1, size=rng.integers(0, max_ndim + 1)))


def broadcastable_pair(rng):
    """Two shapes that broadcast together: suffixes of one shape, some axes set to 1."""
    return broadcast_family(rng)[1:]


def broadcast_family(rng):
    """A shape and two shapes that broadcast to it (suffixes of it, some axes set to 1)."""
    full = random_shape(rng)

    def operand():
        shape = list(full[len(full) - rng.integers(0, len(full) + 1):])
        for i in range(len(shape)):
            if rng.random() < 0.4:
                shape[i] = 1
        return tuple(shape)

    return full, operand(), operand()


def leaf(array):
    return torch.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def assert_same(got, expected):
    assert isinstance(got, np.ndarray) or isinstance(got, np.generic), type(got)
    assert np.shape(got) == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14)


def assert_product_grads(got, G, A, B):
    """`got` is torch.autograd's (dA, dB) for C = A * B (broadcasting allowed), dL/dC = G."""
    a, b = leaf(A), leaf(B)
    (a * b).backward(torch.tensor(G))
    dA, dB = got
    assert_same(dA, a.grad.numpy())
    assert_same(dB, b.grad.numpy())


@pytest.mark.parametrize("seed", SEEDS)
def test_hadamard_backward_matches_autograd(seed):
    rng = np.random.default_rng(seed)
    shape = random_shape(rng)
    G, A, B = (rng.standard_normal(shape) for _ in range(3))
    assert_product_grads(hadamard_backward(G, A, B), G, A, B)


@pytest.mark.parametrize("seed", range(200))
def test_broadcast_hadamard_backward_matches_autograd(seed):
    rng = np.random.default_rng(1000 + seed)
    shape_a, shape_b = broadcastable_pair(rng)
    A, B = rng.standard_normal(shape_a), rng.standard_normal(shape_b)
    G = rng.standard_normal(np.broadcast_shapes(shape_a, shape_b))
    da, db = broadcast_hadamard_backward(G, A, B)
    assert np.shape(da) == shape_a and np.shape(db) == shape_b
    assert_product_grads((da, db), G, A, B)


@pytest.mark.parametrize("shapes", [((3,), (3, 1)), ((), (2, 3)), ((3, 1), (1, 4)),
                                    ((2, 3, 4), (3, 1)), ((1,), (1,)), ((), ())])
def test_broadcast_hadamard_backward_classic_shapes(shapes):
    rng = np.random.default_rng(7)
    A, B = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    G = rng.standard_normal(np.broadcast_shapes(*shapes))
    assert_product_grads(broadcast_hadamard_backward(G, A, B), G, A, B)


@pytest.mark.parametrize("seed", range(200))
def test_unbroadcast_is_the_gradient_of_broadcasting(seed):
    rng = np.random.default_rng(2000 + seed)
    full, shape, _ = broadcast_family(rng)
    grad = rng.standard_normal(full)
    got = unbroadcast(grad, shape)
    assert np.shape(got) == shape
    assert_same(got, torch.tensor(grad).sum_to_size(shape).numpy())
    x = leaf(np.zeros(shape))
    x.expand(grad.shape).backward(torch.tensor(grad))
    assert_same(got, x.grad.numpy())


@pytest.mark.parametrize("seed", range(300))
def test_unbroadcast_raises_exactly_when_torch_cannot_expand(seed):
    rng = np.random.default_rng(3000 + seed)
    grad = rng.standard_normal(random_shape(rng, max_size=3))
    shape = random_shape(rng, max_size=3)
    try:
        torch.zeros(shape).expand(grad.shape)
        valid = True
    except RuntimeError:
        valid = False
    if valid:
        assert_same(unbroadcast(grad, shape), torch.tensor(grad).sum_to_size(shape).numpy())
    else:
        with pytest.raises(ValueError, match=r"\S"):
            unbroadcast(grad, shape)


@pytest.mark.parametrize("grad_shape, shape", [((3, 4), (2, 4)), ((3,), (1, 3)),
                                               ((3, 1), (4,)), ((), (1,)), ((2, 3), (3, 3))])
def test_unbroadcast_value_errors(grad_shape, shape):
    with pytest.raises(ValueError, match="broadcast"):
        unbroadcast(np.ones(grad_shape), shape)


def _activation_oracle(upstream, z, name):
    t = leaf(z)
    TORCH_ACTIVATIONS[name](t).backward(torch.tensor(upstream))
    return t.grad.numpy()


@pytest.mark.parametrize("name", sorted(TORCH_ACTIVATIONS))
@pytest.mark.parametrize("seed", range(30))
def test_activation_backward_matches_autograd(name, seed):
    rng = np.random.default_rng(4000 + seed)
    shape = random_shape(rng)
    z = rng.standard_normal(shape) * 3
    if z.size:
        z.flat[rng.integers(0, z.size)] = 0.0     # relu'(0) = 0, as in PyTorch
    upstream = rng.standard_normal(shape)
    assert_same(activation_backward(upstream, z, name), _activation_oracle(upstream, z, name))


@pytest.mark.parametrize("name", sorted(TORCH_ACTIVATIONS))
def test_activation_backward_edge_values(name):
    z = np.array([-0.0, 0.0, 1e-300, -1e-300, 30.0, -30.0, 700.0, -700.0])
    upstream = np.linspace(-2, 3, z.size)
    got = activation_backward(upstream, z, name)
    assert_same(got, _activation_oracle(upstream, z, name))
    if name == "relu":
        assert list(got[:2]) == [0.0, 0.0]


@pytest.mark.parametrize("name", ["softmax", "leaky_relu", "Sigmoid", "RELU", "", "linear", None])
def test_activation_backward_rejects_other_names(name):
    with pytest.raises(ValueError, match=r"\S"):
        activation_backward(np.ones(3), np.zeros(3), name)


def _layer_oracle(u, W, x, b, name):
    tW, tx, tb = leaf(W), leaf(x), leaf(b)
    s = torch.tensor(u) @ TORCH_ACTIVATIONS[name](tW @ tx + tb)
    s.backward()
    return {"b": tb.grad.numpy(), "W": tW.grad.numpy(), "x": tx.grad.numpy()}


def _assert_layer(got, expected, shapes):
    assert type(got) is dict and set(got) == {"b", "W", "x"}
    for key in expected:
        assert np.shape(got[key]) == shapes[key]
        assert_same(got[key], expected[key])


@pytest.mark.parametrize("name", [None, "sigmoid", "tanh", "relu"])
@pytest.mark.parametrize("seed", range(25))
def test_layer_grads_matches_autograd(name, seed):
    rng = np.random.default_rng(5000 + seed)
    m, n = (int(k) for k in rng.integers(1, 6, size=2))
    u, W, x, b = (rng.standard_normal(s) for s in [(m,), (m, n), (n,), (m,)])
    got = layer_grads(u, W, x, b) if name is None else layer_grads(u, W, x, b, activation=name)
    expected = _layer_oracle(u, W, x, b, name or "sigmoid")
    _assert_layer(got, expected, {"b": (m,), "W": (m, n), "x": (n,)})


@pytest.mark.parametrize("seed", range(20))
def test_layer_grads_relu_at_exact_zeros(seed):
    rng = np.random.default_rng(6000 + seed)
    m, n = (int(k) for k in rng.integers(2, 6, size=2))
    W = rng.integers(-3, 4, size=(m, n)).astype(float)
    x = rng.integers(-3, 4, size=n).astype(float)
    b = -(W @ x) + rng.integers(-1, 2, size=m)           # integers: z is exact, often 0
    u = rng.standard_normal(m)
    got = layer_grads(u, W, x, b, activation="relu")
    _assert_layer(got, _layer_oracle(u, W, x, b, "relu"), {"b": (m,), "W": (m, n), "x": (n,)})


# The probes' analytic gradients: the tests' oracle, never shipped into the sandbox.
GRADIENTS = {
    probes.sum_of_squares: lambda X: 2 * X,
    probes.weighted_sine: lambda X: np.arange(1, X.size + 1, dtype=float).reshape(X.shape)
    * np.cos(X),
    probes.product_of_tanh: lambda X: np.prod(np.tanh(X)) / np.tanh(X) * (1 - np.tanh(X) ** 2),
}


@pytest.mark.parametrize("probe", list(GRADIENTS), ids=lambda p: p.__name__)
@pytest.mark.parametrize("seed", range(20))
def test_numerical_gradient_matches_analytic_gradients(probe, seed):
    rng = np.random.default_rng(7000 + seed)
    X = rng.standard_normal(random_shape(rng, max_ndim=3)) + 0.5
    before = X.copy()
    got = numerical_gradient(probe, X)
    assert type(got) is np.ndarray and got.shape == X.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, GRADIENTS[probe](X), rtol=1e-6, atol=1e-8)
    np.testing.assert_array_equal(X, before)          # X holds its original values


@pytest.mark.parametrize("h", [1e-2, 1e-3, 1e-4])
def test_numerical_gradient_uses_h_as_a_central_difference(h):
    X = np.array([0.3, -1.2, 2.0])
    got = numerical_gradient(probes.weighted_sine, X, h=h)
    weights = np.arange(1, 4)
    expected = weights * np.cos(X) * np.sin(h) / h      # exact central difference of sin
    np.testing.assert_allclose(got, expected, rtol=1e-8)


def test_numerical_gradient_accepts_integer_arrays():
    X = np.array([1, -2, 3])
    got = numerical_gradient(probes.sum_of_squares, X)
    np.testing.assert_allclose(got, 2.0 * X, rtol=1e-8)
    assert X.dtype == np.int64 and list(X) == [1, -2, 3]


@pytest.mark.parametrize("seed", range(20))
def test_autograd_hadamard_grads_is_what_torch_autograd_gives(seed):
    rng = np.random.default_rng(8000 + seed)
    shape = random_shape(rng)
    dtype = [np.float64, np.float32][seed % 2]
    A, B, G = (rng.standard_normal(shape).astype(dtype) for _ in range(3))
    a, b = (torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in (A, B))
    (a * b).backward(torch.tensor(G, dtype=torch.float64))
    dA, dB = autograd_hadamard_grads(A, B, G)
    for got, expected in [(dA, a.grad.numpy()), (dB, b.grad.numpy())]:
        assert type(got) is np.ndarray and got.dtype == np.float64
        assert_same(got, expected)
