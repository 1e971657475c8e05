"""Student answers to glu(x, axis=-1)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(x, axis):
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis {axis} has odd length {x.shape[axis]}")


@correct
def split(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=axis)
    return a * (1 / (1 + np.exp(-b)))     # naive sigmoid: overflow warnings, right values


@correct
def slicing_and_stable_sigmoid(x, axis=-1):
    _check(x, axis)
    n = x.shape[axis] // 2
    a = np.take(x, np.arange(n), axis=axis)
    b = np.take(x, np.arange(n, 2 * n), axis=axis)
    e = np.exp(-np.abs(b))
    gate = np.where(b >= 0, 1 / (1 + e), e / (1 + e))
    return a * gate


@correct
def moveaxis_and_tanh(x, axis=-1):
    _check(x, axis)
    y = np.moveaxis(x, axis, -1)
    n = y.shape[-1] // 2
    a, b = y[..., :n], y[..., n:]
    return np.moveaxis(a * 0.5 * (1 + np.tanh(b / 2)), -1, axis)


@correct
def torch_inside(x, axis=-1):
    import torch
    _check(x, axis)
    return torch.nn.functional.glu(torch.from_numpy(x), dim=axis).numpy()


@correct
def chatty_logaddexp(x, axis=-1):
    print("glu on", x.shape)
    warnings.warn("just a note", UserWarning)
    _check(x, axis)
    a, b = np.array_split(x, 2, axis=axis)
    return a * np.exp(-np.logaddexp(0, -b))


@wrong("the halves swapped (b ∘ sigmoid(a))")
def swapped(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=axis)
    return b / (1 + np.exp(-a))


@wrong("the split along the wrong axis")
def axis_zero(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=0)
    return a / (1 + np.exp(-b))


@wrong("the split along the wrong axis")
def last_axis(x, axis=-1):
    _check(x, axis)
    n = x.shape[-1] // 2
    a, b = x[..., :n], x[..., n:]
    return a / (1 + np.exp(-b))


@wrong("the sigmoid missing (a ∘ b)")
def no_sigmoid(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=axis)
    return a * b


@wrong("even and odd entries")
def interleaved(x, axis=-1):
    _check(x, axis)
    y = np.moveaxis(x, axis, -1)
    return np.moveaxis(y[..., ::2] / (1 + np.exp(-y[..., 1::2])), -1, axis)


@wrong("expected ValueError")
def no_check(x, axis=-1):
    n = x.shape[axis] // 2
    a = np.take(x, np.arange(n), axis=axis)
    b = np.take(x, np.arange(n, 2 * n), axis=axis)
    return a / (1 + np.exp(-b))


@wrong("tanh instead of sigmoid as the gate")
def tanh_gate(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=axis)
    return a * np.tanh(b)


@wrong("sigmoid applied to both halves")
def both_halves_gated(x, axis=-1):
    _check(x, axis)
    a, b = np.split(x, 2, axis=axis)
    return 1 / (1 + np.exp(-a)) * (1 / (1 + np.exp(-b)))


@wrong("not implemented yet")
def unimplemented(x, axis=-1):
    raise NotImplementedError()
