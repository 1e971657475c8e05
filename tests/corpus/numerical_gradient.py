"""Student answers to numerical_gradient(f, X, h=1e-5)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def in_place_and_restore(f, X, h=1e-5):
    grad = np.zeros_like(X, dtype=float)
    for index in np.ndindex(X.shape):
        original = X[index]
        X[index] = original + h
        f_plus = f(X)
        X[index] = original - h
        f_minus = f(X)
        X[index] = original
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


@correct
def flat_copies(f, X, h=1e-5):
    grad = np.empty(X.size)
    for i in range(X.size):
        plus = X.copy()
        minus = X.copy()
        plus.flat[i] += h
        minus.flat[i] -= h
        grad[i] = (f(plus) - f(minus)) / (2 * h)
    return grad.reshape(X.shape)


@correct
def basis_arrays(f, X, h=1e-5):
    grad = np.zeros(X.shape)
    for index in np.ndindex(X.shape):
        step = np.zeros(X.shape)
        step[index] = h
        grad[index] = (f(X + step) - f(X - step)) / (2 * h)
    return grad


@correct
def nditer_with_finally(f, X, h=1e-5):
    X_work = X.astype(float)      # a copy
    grad = np.zeros_like(X_work)
    iterator = np.nditer(X_work, flags=["multi_index"])
    for _ in iterator:
        index = iterator.multi_index
        saved = X_work[index]
        try:
            X_work[index] = saved + h
            up = f(X_work)
            X_work[index] = saved - h
            down = f(X_work)
        finally:
            X_work[index] = saved
        grad[index] = (up - down) / h / 2
    return grad


@correct
def chatty_and_warns(f, X, h=1e-5):
    print("checking", getattr(f, "__name__", "f"), "at shape", np.shape(X))
    warnings.warn("this is only a test", UserWarning)
    return flat_copies(f, X, h)


@wrong("X was left modified")
def not_restored(f, X, h=1e-5):
    grad = np.zeros_like(X)
    for index in np.ndindex(X.shape):
        X[index] += h
        f_plus = f(X)
        X[index] -= 2 * h
        f_minus = f(X)
        grad[index] = (f_plus - f_minus) / (2 * h)
    return grad


@wrong("a forward difference")
def forward(f, X, h=1e-5):
    grad = np.zeros(X.shape)
    f0 = f(X)
    for index in np.ndindex(X.shape):
        plus = X.copy()
        plus[index] += h
        grad[index] = (f(plus) - f0) / h
    return grad


@wrong("a backward difference")
def backward(f, X, h=1e-5):
    grad = np.zeros(X.shape)
    f0 = f(X)
    for index in np.ndindex(X.shape):
        minus = X.copy()
        minus[index] -= h
        grad[index] = (f0 - f(minus)) / h
    return grad


@wrong("divided by h instead of 2h")
def divided_by_h(f, X, h=1e-5):
    return 2 * flat_copies(f, X, h)


@wrong("the wrong way round")
def wrong_way_round(f, X, h=1e-5):
    return -flat_copies(f, X, h)


@wrong("all entries of X moved at once")
def all_at_once(f, X, h=1e-5):
    return np.ones_like(X) * (f(X + h) - f(X - h)) / (2 * h)


@wrong("the h argument ignored")
def h_ignored(f, X, h=1e-5):
    return flat_copies(f, X)


@wrong("has shape")
def flattened(f, X, h=1e-5):
    return flat_copies(f, X, h).ravel()


@wrong("not implemented yet")
def unimplemented(f, X, h=1e-5):
    raise NotImplementedError()
