"""Seeded inputs for the checks: the same seed always gives the same case, so a grade
never changes between runs."""
from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import DTypeLike, NDArray

Shape: TypeAlias = int | Sequence[int]


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def floats(shape: Shape, seed: int, *, scale: float = 1.0,
           dtype: DTypeLike = np.float64) -> NDArray[Any]:
    """Standard-normal values (negatives included) times `scale`."""
    return (rng(seed).standard_normal(shape) * scale).astype(dtype)


def ints(shape: Shape, seed: int, *, low: int = -9, high: int = 10,
         dtype: DTypeLike = np.int64) -> NDArray[Any]:
    return rng(seed).integers(low, high, size=shape).astype(dtype)


def distinct(shape: Shape, seed: int) -> NDArray[np.float64]:
    """Floats with no two entries equal, so a transposed or permuted result cannot pass."""
    values = rng(seed).permutation(int(np.prod(shape, dtype=int))) + 1.0
    signs: NDArray[np.float64] = rng(seed + 1).choice([-1.0, 1.0], size=values.shape)
    return (values * signs / 4).reshape(shape)


def distinct_arrays(count: int, shape: Shape, seed: int) -> tuple[NDArray[np.float64], ...]:
    """`count` arrays of one shape from `distinct`, on seeds seed, seed + 1, ..."""
    return tuple(distinct(shape, seed + k) for k in range(count))
