"""Student answers to swiglu(x, W, V)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def naive_sigmoid(x, W, V):
    a = x @ W
    return a / (1 + np.exp(-a)) * (x @ V)    # overflow warnings for large -a, right values


@correct
def stable_where(x, W, V):
    a, v = x @ W, x @ V
    e = np.exp(-np.abs(a))
    sig = np.where(a >= 0, 1 / (1 + e), e / (1 + e))
    return a * sig * v


@wrong("1-d x of length 4")
def einsum_and_tanh(x, W, V):
    a = np.einsum("bd,dh->bh", x, W)
    v = np.einsum("bd,dh->bh", x, V)
    return a * 0.5 * (1 + np.tanh(a / 2)) * v


@wrong("1-d x of length 4")
def loops(x, W, V):
    out = np.zeros((x.shape[0], W.shape[1]))
    for i in range(x.shape[0]):
        for j in range(W.shape[1]):
            a = sum(x[i, k] * W[k, j] for k in range(x.shape[1]))
            v = sum(x[i, k] * V[k, j] for k in range(x.shape[1]))
            out[i, j] = a * np.exp(-np.logaddexp(0, -a)) * v
    return out


@correct
def torch_inside(x, W, V):
    import torch
    import torch.nn.functional as F
    x, W, V = map(torch.from_numpy, (x, W, V))
    return (F.silu(x @ W) * (x @ V)).numpy()


@correct
def chatty(x, W, V):
    print("swiglu", x.shape, W.shape)
    warnings.warn("just a note", UserWarning)
    a = np.matmul(x, W)
    return np.multiply(a * np.exp(-np.logaddexp(0.0, -a)), np.matmul(x, V))


@wrong("silu applied to the wrong branch")
def wrong_branch(x, W, V):
    b = x @ V
    return (x @ W) * b / (1 + np.exp(-b))


@wrong("a plain sigmoid instead of silu")
def plain_sigmoid(x, W, V):
    return 1 / (1 + np.exp(-(x @ W))) * (x @ V)


@wrong("ReLU instead of silu")
def relu(x, W, V):
    return np.maximum(x @ W, 0) * (x @ V)


@wrong("the activation missing")
def bilinear(x, W, V):
    return (x @ W) * (x @ V)


def _silu(t):
    return t / (1 + np.exp(-t))


@wrong("silu applied to both branches")
def silu_on_both(x, W, V):
    return _silu(x @ W) * _silu(x @ V)


@wrong("a GLU gate (x @ W) ∘ sigmoid(x @ V) instead of SwiGLU")
def glu_gate(x, W, V):
    return (x @ W) * (1 / (1 + np.exp(-(x @ V))))


@wrong("a sum instead of the Hadamard product")
def added_branches(x, W, V):
    return _silu(x @ W) + x @ V


@wrong("not implemented yet")
def unimplemented(x, W, V):
    raise NotImplementedError()


@correct
def einsum_with_ellipsis(x, W, V):
    a = np.einsum("...d,dh->...h", x, W)
    return a * 0.5 * (1 + np.tanh(a / 2)) * np.einsum("...d,dh->...h", x, V)


@correct
def loops_over_rows(x, W, V):
    rows = x.reshape(-1, x.shape[-1])
    out = np.zeros((rows.shape[0], W.shape[1]), dtype=np.result_type(x, W, V))
    for i, row in enumerate(rows):
        a = row @ W
        out[i] = a * np.exp(-np.logaddexp(0, -a)) * (row @ V)
    return out.reshape(*x.shape[:-1], W.shape[1])
