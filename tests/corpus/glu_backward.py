"""Student answers to glu_backward(grad_out, x, axis=-1)."""
import math
import warnings

import numpy as np

from . import correct, wrong


def _sigmoid(t):
    return np.exp(-np.logaddexp(0.0, -t))


def _check(grad_out, x, axis):
    if x.shape[axis] % 2 != 0:
        raise ValueError(f"axis {axis} has odd length {x.shape[axis]}")
    expected = list(x.shape)
    expected[axis] //= 2
    if grad_out.shape != tuple(expected):
        raise ValueError(f"grad_out has shape {grad_out.shape}, expected {tuple(expected)}")


def _halves(x, axis):
    return np.split(x, 2, axis=axis)


@correct
def split_and_concatenate(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = np.split(x, 2, axis=axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s * (1 - s)], axis=axis)


@correct
def moveaxis_and_slices(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    y, g = np.moveaxis(x, axis, -1), np.moveaxis(grad_out, axis, -1)
    n = y.shape[-1] // 2
    a, b = y[..., :n], y[..., n:]
    s = _sigmoid(b)
    dx = np.empty_like(y)
    dx[..., :n] = g * s
    dx[..., n:] = g * a * s * (1 - s)
    return np.moveaxis(dx, -1, axis).copy()


@correct
def torch_autograd_inside(grad_out, x, axis=-1):
    import torch
    import torch.nn.functional as F
    _check(grad_out, x, axis)
    tx = torch.tensor(x, requires_grad=True)
    F.glu(tx, dim=axis).backward(torch.from_numpy(grad_out))
    return tx.grad.numpy()


@correct
def chatty_naive_sigmoid(grad_out, x, axis=-1):
    print("glu_backward on", x.shape, "along", axis)
    warnings.warn("just a note", UserWarning)
    _check(grad_out, x, axis)
    a, b = np.array_split(x, 2, axis=axis)
    s = 1 / (1 + np.exp(-b))          # overflow warnings for b << 0, right values
    da = grad_out * s
    db = da * a * (1 - s)             # the two paths: da reused for grad_out ∘ σ(b)
    return np.concatenate((da, db), axis=axis)


@correct
def where_stable_sigmoid_and_tanh_form(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    n = x.shape[axis] // 2
    a = np.take(x, np.arange(n), axis=axis)
    b = np.take(x, np.arange(n, 2 * n), axis=axis)
    e = np.exp(-np.abs(b))
    s = np.where(b >= 0, 1 / (1 + e), e / (1 + e))
    ds = (1 - np.tanh(b / 2) ** 2) / 4      # σ'(b) = sech²(b/2) / 4, the same function
    return np.concatenate([grad_out * s, grad_out * a * ds], axis=axis)


@correct
def index_tuples(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    axis = axis % x.ndim
    n = x.shape[axis] // 2
    first = (slice(None),) * axis + (slice(0, n),)
    second = (slice(None),) * axis + (slice(n, None),)
    a, b = x[first], x[second]
    s = _sigmoid(b)
    dx = np.zeros(x.shape)
    dx[first] = grad_out * s
    dx[second] += grad_out * a * s * _sigmoid(-b)
    return dx


@correct
def loops(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    axis %= x.ndim
    n = x.shape[axis] // 2
    dx = np.empty(x.shape)
    for index in np.ndindex(grad_out.shape):
        other = index[:axis] + (index[axis] + n,) + index[axis + 1:]
        a, b, g = x[index], x[other], grad_out[index]
        s = 0.5 * (1 + math.tanh(b / 2))        # σ(b), no overflow for any b
        dx[index] = g * s
        dx[other] = g * a * s * (1 - s)
    return dx


@wrong("only the path through a: b's gradient db missing",
       never=("the factor a missing",))
def db_zeros(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    return np.concatenate([grad_out * _sigmoid(b), np.zeros_like(b)], axis=axis)


@wrong("only the path through a: b's gradient db missing")
def da_only(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    return grad_out * _sigmoid(b)


@wrong("only the path through b: a's gradient da missing")
def da_zeros(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([np.zeros_like(a), grad_out * a * s * (1 - s)], axis=axis)


@wrong("(da, db) returned as a tuple", never=("only the path",))
def returns_tuple(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return grad_out * s, grad_out * a * s * (1 - s)


@wrong("σ(b) used where σ'(b) = σ(b) ∘ (1 − σ(b)) is due")
def sigma_for_its_derivative(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s], axis=axis)


@wrong("tanh's derivative 1 − t² used for σ'")
def tanh_derivative(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    return np.concatenate([grad_out * _sigmoid(b), grad_out * a * (1 - np.tanh(b) ** 2)],
                          axis=axis)


@wrong("tanh's derivative 1 − t² used for σ'")
def one_minus_sigma_squared(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * (1 - s ** 2)], axis=axis)


@wrong("the factor a missing from db")
def a_missing_from_db(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * s * (1 - s)], axis=axis)


@wrong("the halves swapped (b as the signal", never=("joined in the wrong order",))
def halves_swapped(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(a)
    return np.concatenate([grad_out * b * s * (1 - s), grad_out * s], axis=axis)


@wrong("da and db joined in the wrong order", never=("the halves swapped",))
def joined_in_wrong_order(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * a * s * (1 - s), grad_out * s], axis=axis)


@wrong("x split along the wrong axis")
def split_default_axis(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = np.split(x, 2)                        # np.split's default: axis 0
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s * (1 - s)], axis=axis)


@wrong("x split along the wrong axis")
def last_axis_always(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    n = x.shape[-1] // 2
    a, b = x[..., :n], x[..., n:]
    s = _sigmoid(b)
    return np.concatenate([s * grad_out, s * (1 - s) * a * grad_out], axis=-1)


@wrong("da and db joined along axis 0 (np.concatenate's default)")
def concatenate_default_axis(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = np.split(x, 2, axis=axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s * (1 - s)])


@wrong("which overflows to NaN for large −b")
def unstable_sigma_prime(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)
    e = np.exp(-b)
    return np.concatenate([grad_out / (1 + e), grad_out * a * e / (1 + e) ** 2], axis=axis)


@wrong("grad_out's shape not checked (NumPy broadcast it)",
       never=("the odd length not checked",))
def grad_out_unchecked(grad_out, x, axis=-1):
    if x.shape[axis] % 2:
        raise ValueError("odd length")
    a, b = _halves(x, axis)
    s = _sigmoid(b)
    return np.concatenate([grad_out * s, grad_out * a * s * (1 - s)], axis=axis)


@wrong("the odd length not checked")
def no_checks(grad_out, x, axis=-1):
    y = np.moveaxis(x, axis, -1)
    n = y.shape[-1] // 2
    a, b = y[..., :n], y[..., n:]
    g = np.moveaxis(grad_out, axis, -1) if np.ndim(grad_out) == x.ndim else grad_out
    s = _sigmoid(b)
    return np.moveaxis(np.concatenate([g * s, g * a * s * (1 - s)], axis=-1), -1, axis)


@wrong("changed its input x in place")
def overwrites_x(grad_out, x, axis=-1):
    _check(grad_out, x, axis)
    a, b = _halves(x, axis)                      # views of x
    s = _sigmoid(b)
    db = grad_out * a * s * (1 - s)
    a[...] = grad_out * s                        # writes da into x itself
    b[...] = db
    return x.copy()


@wrong("not implemented yet")
def unimplemented(grad_out, x, axis=-1):
    raise NotImplementedError()
