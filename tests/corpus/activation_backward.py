"""Student answers to activation_backward(upstream, z, activation)."""
import math
import warnings

import numpy as np

from . import correct, wrong


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _unknown(activation):
    return ValueError(f"unknown activation {activation!r}: use 'sigmoid', 'tanh' or 'relu'")


@correct
def if_chain(upstream, z, activation):
    if activation == "sigmoid":
        s = _sigmoid(z)
        return upstream * s * (1 - s)
    if activation == "tanh":
        return upstream * (1 - np.tanh(z) ** 2)
    if activation == "relu":
        return np.where(z > 0, upstream, 0.0)
    raise _unknown(activation)


@correct
def table_of_derivatives(upstream, z, activation):
    derivatives = {
        "sigmoid": lambda t: 0.5 * (1 + np.tanh(t / 2)) * (1 - 0.5 * (1 + np.tanh(t / 2))),
        "tanh": lambda t: 1 / np.cosh(t) ** 2,
        "relu": lambda t: np.heaviside(t, 0),
    }
    if activation not in derivatives:
        raise _unknown(activation)
    return upstream * derivatives[activation](z)


@correct
def loops_with_math(upstream, z, activation):
    if activation not in ("sigmoid", "tanh", "relu"):
        raise _unknown(activation)
    out = np.empty(np.shape(z), dtype=np.result_type(upstream, z))
    for index in np.ndindex(out.shape):
        t = float(z[index])
        if activation == "sigmoid":
            s = 1 / (1 + math.exp(-t))
            slope = s * (1 - s)
        elif activation == "tanh":
            slope = 1 - math.tanh(t) ** 2
        else:
            slope = 1.0 if t > 0 else 0.0
        out[index] = upstream[index] * slope
    return out


@correct
def torch_autograd_inside(upstream, z, activation):
    import torch
    functions = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}
    if activation not in functions:
        raise _unknown(activation)
    t = torch.tensor(z, requires_grad=True)
    functions[activation](t).backward(torch.tensor(upstream))
    return t.grad.numpy()


@correct
def chatty_and_warns(upstream, z, activation):
    print("backward through", activation)
    warnings.warn("this is only a test", UserWarning)
    if activation == "relu":
        return upstream * (z > 0)
    return if_chain(upstream, z, activation)


@wrong("f(z) used where f'(z) is due")
def activation_not_derivative(upstream, z, activation):
    functions = {"sigmoid": _sigmoid, "tanh": np.tanh, "relu": lambda t: np.maximum(t, 0)}
    if activation not in functions:
        raise _unknown(activation)
    return upstream * functions[activation](z)


@wrong("relu'(0) = 1")
def relu_at_zero(upstream, z, activation):
    if activation == "relu":
        return upstream * (z >= 0)
    return if_chain(upstream, z, activation)


@wrong("np.sign(z) used as relu'(z)")
def relu_sign(upstream, z, activation):
    if activation == "relu":
        return upstream * np.sign(z)
    return if_chain(upstream, z, activation)


@wrong("the upstream gradient ignored")
def upstream_ignored(upstream, z, activation):
    return if_chain(np.ones_like(upstream), z, activation)


@wrong("sigmoid' written as s(1 + s)")
def sigmoid_plus(upstream, z, activation):
    if activation == "sigmoid":
        s = _sigmoid(z)
        return upstream * s * (1 + s)
    return if_chain(upstream, z, activation)


@wrong("sigmoid' written as 1 - s²")
def sigmoid_like_tanh(upstream, z, activation):
    if activation == "sigmoid":
        return upstream * (1 - _sigmoid(z) ** 2)
    return if_chain(upstream, z, activation)


@wrong("mixing z and s(z)")
def sigmoid_mixed(upstream, z, activation):
    if activation == "sigmoid":
        return upstream * _sigmoid(z) * (1 - z)
    return if_chain(upstream, z, activation)


@wrong("tanh' written as 1 - tanh(z) (not squared)")
def tanh_not_squared(upstream, z, activation):
    if activation == "tanh":
        return upstream * (1 - np.tanh(z))
    return if_chain(upstream, z, activation)


@wrong("the derivative formula applied to z instead of to f(z)")
def formula_on_z(upstream, z, activation):
    if activation == "sigmoid":
        return upstream * z * (1 - z)
    if activation == "tanh":
        return upstream * (1 - z ** 2)
    return if_chain(upstream, z, activation)


@wrong("expected ValueError because that activation is not sigmoid, tanh or relu")
def key_error(upstream, z, activation):
    derivatives = {"sigmoid": lambda t: _sigmoid(t) * (1 - _sigmoid(t)),
                   "tanh": lambda t: 1 - np.tanh(t) ** 2,
                   "relu": lambda t: (t > 0) * 1.0}
    return upstream * derivatives[activation](z)


@wrong("not implemented yet")
def unimplemented(upstream, z, activation):
    raise NotImplementedError()


@wrong("besides, it changed its input upstream in place")
def relu_at_zero_and_in_place(upstream, z, activation):
    if activation == "relu":        # two bugs: relu'(0) = 1, and upstream written into
        upstream *= (z >= 0)
        return upstream
    return if_chain(upstream, z, activation)
