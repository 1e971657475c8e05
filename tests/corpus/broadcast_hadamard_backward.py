"""Student answers to broadcast_hadamard_backward(grad_out, a, b)."""
import warnings

import numpy as np

from . import correct, wrong


def _sum_to(grad, shape):
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


@correct
def with_helper(grad_out, a, b):
    return _sum_to(grad_out * b, np.shape(a)), _sum_to(grad_out * a, np.shape(b))


@correct
def keepdims_then_reshape(grad_out, a, b):
    def reduce(grad, shape):
        padded = (1,) * (grad.ndim - len(shape)) + tuple(shape)
        axes = tuple(i for i, p in enumerate(padded) if p == 1)
        return np.sum(grad, axis=axes, keepdims=True).reshape(shape)
    return reduce(grad_out * b, a.shape), reduce(grad_out * a, b.shape)


def _loops(grad_out, a, b, dtype):
    """Both gradients accumulated entry by entry into arrays of `dtype`."""
    a_full = np.broadcast_to(a, grad_out.shape)
    b_full = np.broadcast_to(b, grad_out.shape)
    da, db = np.zeros(a.shape, dtype), np.zeros(b.shape, dtype)
    for index in np.ndindex(grad_out.shape):
        ia = tuple(0 if s == 1 else i for i, s in zip(index[grad_out.ndim - a.ndim:], a.shape))
        ib = tuple(0 if s == 1 else i for i, s in zip(index[grad_out.ndim - b.ndim:], b.shape))
        da[ia] += grad_out[index] * b_full[index]
        db[ib] += grad_out[index] * a_full[index]
    return da, db


@wrong("has dtype")
def loops(grad_out, a, b):
    return _loops(grad_out, a, b, float)     # np.zeros' float64, whatever the inputs


@wrong("has dtype")
def torch_autograd_inside(grad_out, a, b):
    import torch
    ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    (ta * tb).backward(torch.tensor(grad_out, dtype=torch.float64))
    return ta.grad.numpy(), tb.grad.numpy()


@correct
def chatty_and_warns(grad_out, a, b):
    print("shapes:", np.shape(a), np.shape(b), "->", np.shape(grad_out))
    warnings.warn("this is only a test", UserWarning)
    return with_helper(grad_out, a, b)


@wrong("the broadcast gradient not summed back")
def not_summed(grad_out, a, b):
    return grad_out * b, grad_out * a


@wrong("summed without keepdims")
def no_keepdims(grad_out, a, b):
    def reduce(grad, shape):
        lead = grad.ndim - len(shape)
        axes = tuple(range(lead)) + tuple(lead + i for i, s in enumerate(shape)
                                          if s == 1 and grad.shape[lead + i] != 1)
        return grad.sum(axis=axes)
    return reduce(grad_out * b, a.shape), reduce(grad_out * a, b.shape)


@wrong("all axes summed to a single number")
def sums_everything(grad_out, a, b):
    da, db = grad_out * b, grad_out * a
    if da.shape != a.shape:
        da = da.sum()
    if db.shape != b.shape:
        db = db.sum()
    return da, db


@wrong("summed over the wrong axis")
def wrong_axis(grad_out, a, b):
    def reduce(grad, shape):
        while grad.ndim > len(shape):
            grad = grad.sum(axis=0)
        if len(shape) == 2 and shape[0] == 1 and grad.shape[0] != 1:
            return grad.sum(axis=1, keepdims=True)
        if len(shape) == 2 and shape[1] == 1 and grad.shape[1] != 1:
            return grad.sum(axis=0, keepdims=True)
        return grad
    return reduce(grad_out * b, a.shape), reduce(grad_out * a, b.shape)


@wrong("a mean instead of a sum")
def mean(grad_out, a, b):
    def reduce(grad, shape):
        padded = (1,) * (grad.ndim - len(shape)) + tuple(shape)
        axes = tuple(i for i, p in enumerate(padded) if p == 1)
        return np.mean(grad, axis=axes, keepdims=True).reshape(shape)
    return reduce(grad_out * b, a.shape), reduce(grad_out * a, b.shape)


@wrong("the gradients swapped")
def swapped(grad_out, a, b):
    return _sum_to(grad_out * a, a.shape), _sum_to(grad_out * b, b.shape)


@wrong("the upstream gradient ignored")
def upstream_ignored(grad_out, a, b):
    shape = grad_out.shape
    return (_sum_to(np.broadcast_to(b, shape).astype(float), a.shape),
            _sum_to(np.broadcast_to(a, shape).astype(float), b.shape))


@wrong("the upstream gradient ignored (da = b, db = a)")
def local_derivatives_only(grad_out, a, b):
    return b.copy(), a.copy()


@wrong("not implemented yet")
def unimplemented(grad_out, a, b):
    raise NotImplementedError()


@correct
def loops_in_the_promoted_dtype(grad_out, a, b):
    return _loops(grad_out, a, b, np.result_type(grad_out, a, b))


@correct
def torch_autograd_cast_back(grad_out, a, b):
    import torch
    dtype = np.result_type(grad_out, a, b)
    ta = torch.tensor(a, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    (ta * tb).backward(torch.tensor(grad_out, dtype=torch.float64))
    return ta.grad.numpy().astype(dtype), tb.grad.numpy().astype(dtype)
