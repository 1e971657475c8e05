"""Student answers to squared_error(y_pred, y_true)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(y_pred, y_true):
    if np.size(y_pred) != np.size(y_true):
        raise ValueError(f"sizes differ: {np.size(y_pred)} and {np.size(y_true)}")


@correct
def reshape(y_pred, y_true):
    _check(y_pred, y_true)
    return (y_pred.reshape(-1) - y_true.reshape(-1)) ** 2


@correct
def ravel_and_square(y_pred, y_true):
    _check(y_pred, y_true)
    return np.square(np.ravel(y_pred) - np.ravel(y_true))


@correct
def loop(y_pred, y_true):
    _check(y_pred, y_true)
    p, t = np.ravel(y_pred), np.ravel(y_true)
    out = np.empty(p.shape, dtype=np.result_type(p, t))
    for i in range(len(p)):
        out[i] = (p[i] - t[i]) ** 2
    return out


@correct
def flatten_each_if_column(y_pred, y_true):
    if y_pred.ndim == 2:
        y_pred = y_pred[:, 0]
    if y_true.ndim == 2:
        y_true = y_true[:, 0]
    if y_pred.shape != y_true.shape:
        raise ValueError("y_pred and y_true have different lengths")
    diff = y_pred - y_true
    return diff * diff


@wrong("has dtype")
def torch_inside(y_pred, y_true):
    import torch
    _check(y_pred, y_true)
    p = torch.from_numpy(y_pred).reshape(-1)
    t = torch.from_numpy(y_true).reshape(-1)
    return ((p - t) ** 2).numpy()


@correct
def chatty_and_warns(y_pred, y_true):
    print("shapes", y_pred.shape, y_true.shape)
    warnings.warn("this is only a test", UserWarning)
    _check(y_pred, y_true)
    return np.power(y_pred.flatten() - y_true.flatten(), 2)


@wrong("a (4,) and a (4, 1) array broadcast into an outer product")
def outer_difference(y_pred, y_true):
    _check(y_pred, y_true)
    return (y_pred - y_true) ** 2


@wrong("a (4,) and a (4, 1) array broadcast into an outer product")
def flattens_only_one(y_pred, y_true):
    _check(y_pred, y_true)
    return (np.ravel(y_pred) - y_true) ** 2


@wrong("a column of shape (n, 1) instead of shape (n,)")
def returns_column(y_pred, y_true):
    _check(y_pred, y_true)
    return (y_pred.reshape(-1, 1) - y_true.reshape(-1, 1)) ** 2


@wrong("np.squeeze removed the only axis")
def squeeze(y_pred, y_true):
    _check(y_pred, y_true)
    return (np.squeeze(y_pred) - np.squeeze(y_true)) ** 2


@wrong("the sum of the squared errors instead of each one")
def summed(y_pred, y_true):
    _check(y_pred, y_true)
    return np.sum((np.ravel(y_pred) - np.ravel(y_true)) ** 2)


@wrong("the mean of the squared errors (the MSE)")
def mean(y_pred, y_true):
    _check(y_pred, y_true)
    return np.mean((np.ravel(y_pred) - np.ravel(y_true)) ** 2)


@wrong("the absolute error instead of the squared error")
def absolute(y_pred, y_true):
    _check(y_pred, y_true)
    return np.abs(np.ravel(y_pred) - np.ravel(y_true))


@wrong("may each have shape (n,) or (n, 1), in any mix")
def requires_equal_shapes(y_pred, y_true):
    if y_pred.shape != y_true.shape:
        raise ValueError(f"shapes differ: {y_pred.shape} and {y_true.shape}")
    return ((y_pred - y_true) ** 2).reshape(-1)


@wrong("expected ValueError because y_pred and y_true have different sizes")
def truncates_to_shorter(y_pred, y_true):
    p, t = np.ravel(y_pred), np.ravel(y_true)
    n = min(len(p), len(t))
    return (p[:n] - t[:n]) ** 2


@wrong("not implemented yet")
def unimplemented(y_pred, y_true):
    raise NotImplementedError()


@correct
def torch_inside_numpy_dtype(y_pred, y_true):
    import torch
    _check(y_pred, y_true)
    p = torch.from_numpy(y_pred).reshape(-1)
    t = torch.from_numpy(y_true).reshape(-1)
    return ((p - t) ** 2).numpy().astype(np.result_type(y_pred, y_true), copy=False)
