"""Wrong ways of summing a broadcast gradient back to an operand's shape, as mistake models
(grad, shape) -> result, shared by the checks of unbroadcast and broadcast_hadamard_backward."""
import numpy as np


def summed_axes(grad, shape):
    """(leading axes, size-1 axes of `shape`, counted in grad) that broadcasting added."""
    shape = tuple(shape)
    lead = grad.ndim - len(shape)
    ones = tuple(lead + i for i, s in enumerate(shape) if s == 1 and grad.shape[lead + i] != 1)
    return tuple(range(lead)), ones


def no_keepdims(grad, shape):
    lead, ones = summed_axes(grad, shape)
    return np.sum(grad, axis=lead + ones)


def mean(grad, shape):
    lead, ones = summed_axes(grad, shape)
    return np.reshape(np.mean(np.mean(grad, axis=ones, keepdims=True), axis=lead), shape)
