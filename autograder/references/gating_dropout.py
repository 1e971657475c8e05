"""Assignment 04-gating-dropout: products that switch signals on and off."""
import numpy as np

from ._validate import sigmoid

__all__ = ["dropout_forward", "dropout_backward", "glu", "swiglu", "lstm_cell",
           "glu_backward", "masked_softmax"]


def dropout_forward(x, p, rng, train=True):
    if not 0 <= p < 1:
        raise ValueError(f"p is the drop probability and must satisfy 0 <= p < 1, got {p}")
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


def dropout_backward(grad_out, mask, p):
    return grad_out * mask / (1 - p)


def glu(x, axis=-1):
    if x.shape[axis] % 2:
        raise ValueError(f"glu splits axis {axis} in halves, but its length is {x.shape[axis]}")
    a, b = np.split(x, 2, axis=axis)
    return a * sigmoid(b)


def swiglu(x, W, V):
    t = x @ W
    return t * sigmoid(t) * (x @ V)


def lstm_cell(x, h, c, W_ih, W_hh, b_ih, b_hh):
    gates = x @ W_ih.T + b_ih + h @ W_hh.T + b_hh
    i, f, g, o = np.split(gates, 4, axis=1)
    c_new = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c_new), c_new


def glu_backward(grad_out, x, axis=-1):
    if x.shape[axis] % 2:
        raise ValueError(f"glu splits axis {axis} in halves, but its length is {x.shape[axis]}")
    out_shape = list(x.shape)
    out_shape[axis] //= 2
    if np.shape(grad_out) != tuple(out_shape):
        raise ValueError(f"grad_out has shape {np.shape(grad_out)}, but glu(x, axis={axis}) "
                         f"has shape {tuple(out_shape)}")
    a, b = np.split(x, 2, axis=axis)
    gate = sigmoid(b)
    # σ'(b) = σ(b) σ(-b): as exact as σ(b)(1 - σ(b)), and no 1 - 1 = 0 for large b
    return np.concatenate([grad_out * gate, grad_out * a * gate * sigmoid(-b)], axis=axis)


def masked_softmax(scores, mask, axis=-1):
    mask = np.broadcast_to(mask, scores.shape)
    kept = np.where(mask, scores, -np.inf)
    top = np.max(kept, axis=axis, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    weights = np.where(mask, np.exp(kept - top), 0.0)
    total = np.sum(weights, axis=axis, keepdims=True)
    return np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0)
