"""Named scalar functions handed to student code that takes a function (numerical_gradient).

A function cannot cross a process boundary as plain data, but its name can: both sides
look the same name up here. This module enters the sandbox, so it holds the functions
only, never an answer: the checks' expected gradients are computed in the grader's process
(by the reference), and the tests' analytic gradients live with the tests.
"""
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Probe = Callable[[NDArray[np.float64]], float]


def sum_of_squares(X: NDArray[np.float64]) -> float:
    return float(np.sum(X ** 2))


def weighted_sine(X: NDArray[np.float64]) -> float:
    weights = np.arange(1, X.size + 1, dtype=float).reshape(X.shape)
    return float(np.sum(weights * np.sin(X)))


def product_of_tanh(X: NDArray[np.float64]) -> float:
    return float(np.prod(np.tanh(X)))


PROBES: tuple[Probe, ...] = (sum_of_squares, weighted_sine, product_of_tanh)
_BY_NAME = {f.__name__: f for f in PROBES}


def name_of(function: object) -> str | None:
    name = getattr(function, "__name__", None)
    return name if isinstance(name, str) and _BY_NAME.get(name) is function else None


def by_name(name: str) -> Probe:
    if name not in _BY_NAME:
        raise ValueError(f"unknown probe function {name!r}")
    return _BY_NAME[name]
