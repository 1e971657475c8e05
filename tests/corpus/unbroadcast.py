"""Student answers to unbroadcast(grad, shape)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(grad, shape):
    shape = tuple(shape)
    if len(shape) > grad.ndim or any(s not in (1, g) for s, g in
                                     zip(shape[::-1], grad.shape[::-1])):
        raise ValueError(f"shape {shape} does not broadcast to {grad.shape}")
    return shape


@correct
def sum_axis_by_axis(grad, shape):
    shape = _check(grad, shape)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


@correct
def keepdims_then_reshape(grad, shape):
    shape = _check(grad, shape)
    padded = (1,) * (grad.ndim - len(shape)) + shape
    axes = tuple(i for i, (p, g) in enumerate(zip(padded, grad.shape)) if p == 1 and g != 1)
    return np.sum(grad, axis=axes, keepdims=True).reshape(shape)


@correct
def broadcast_shapes_check(grad, shape):
    if len(shape) > grad.ndim or np.broadcast_shapes(tuple(shape), grad.shape) != grad.shape:
        raise ValueError(f"cannot unbroadcast {grad.shape} to {shape}")
    lead = grad.ndim - len(shape)
    out = np.sum(grad, axis=tuple(range(lead)))
    return np.sum(out, axis=tuple(i for i, s in enumerate(shape) if s == 1),
                  keepdims=True)


@correct
def loops(grad, shape):
    shape = _check(grad, shape)
    lead = grad.ndim - len(shape)
    out = np.zeros(shape, dtype=grad.dtype)
    for index in np.ndindex(grad.shape):
        target = tuple(0 if s == 1 else i for i, s in zip(index[lead:], shape))
        out[target] += grad[index]
    return out


@correct
def torch_sum_to_size(grad, shape):
    import torch
    shape = _check(grad, shape)
    return torch.from_numpy(grad).sum_to_size(shape).numpy()


@correct
def chatty_and_warns(grad, shape):
    print("unbroadcasting", grad.shape, "to", shape)
    warnings.warn("this is only a test", UserWarning)
    return keepdims_then_reshape(grad, shape)


@wrong("the broadcast gradient not summed back")
def not_summed(grad, shape):
    _check(grad, shape)
    return grad


@wrong("summed without keepdims")
def no_keepdims(grad, shape):
    shape = _check(grad, shape)
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                      if s == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes)


@wrong("all axes summed to a single number")
def sums_everything(grad, shape):
    _check(grad, shape)
    return np.sum(grad)


@wrong("summed over the wrong axis")
def wrong_axis(grad, shape):
    shape = _check(grad, shape)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    if len(shape) == 2 and shape[0] == 1 and grad.shape[0] != 1:
        return grad.sum(axis=1, keepdims=True)
    if len(shape) == 2 and shape[1] == 1 and grad.shape[1] != 1:
        return grad.sum(axis=0, keepdims=True)
    return grad


@wrong("summed over the wrong axis")
def wrong_axis_reshaped(grad, shape):
    shape = _check(grad, shape)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    if len(shape) == 2 and shape[0] == 1 and grad.shape[0] != 1:
        grad = grad.sum(axis=1)
    elif len(shape) == 2 and shape[1] == 1 and grad.shape[1] != 1:
        grad = grad.sum(axis=0)
    return grad.reshape(shape)


@wrong("summed over the wrong axis (always axis 0)")
def always_axis0(grad, shape):
    shape = _check(grad, shape)
    if grad.shape == shape:
        return grad
    return grad.sum(axis=0, keepdims=True)


@wrong("only the extra leading axes summed")
def only_leading(grad, shape):
    shape = _check(grad, shape)
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    return grad


@wrong("only the size-1 axes summed")
def only_size_one(grad, shape):
    shape = _check(grad, shape)
    lead = grad.ndim - len(shape)
    for axis, size in enumerate(shape):
        if size == 1:
            grad = grad.sum(axis=lead + axis, keepdims=True)
    return grad


@wrong("a mean instead of a sum")
def mean(grad, shape):
    shape = _check(grad, shape)
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape) if s == 1)
    return np.mean(grad, axis=axes, keepdims=True).reshape(shape)


@wrong("expected ValueError because that shape does not broadcast")
def no_validation(grad, shape):
    lead = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(max(lead, 0))))
    for axis, size in enumerate(shape):
        if size == 1 and axis < grad.ndim:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


@wrong("not implemented yet")
def unimplemented(grad, shape):
    raise NotImplementedError()


@wrong("expected ValueError because that shape does not broadcast to grad.shape",
       never=("Likely mistake",))
def sums_right_but_checks_nothing(grad, shape):
    """Every sum right; a shape that does not broadcast is summed down all the same."""
    shape = tuple(shape)
    lead = grad.ndim - len(shape)
    grad = grad.sum(axis=tuple(range(max(lead, 0))))
    axes = tuple(i for i, s in enumerate(shape) if s == 1 and i < grad.ndim)
    return grad.sum(axis=axes, keepdims=True) if axes else grad
