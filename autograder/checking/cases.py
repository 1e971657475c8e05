"""Seeded inputs for the checks: the same seed always gives the same case, so a grade
never changes between runs."""
import numpy as np


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def floats(shape, seed: int, *, scale: float = 1.0, dtype=np.float64) -> np.ndarray:
    """Standard-normal values (negatives included) times `scale`."""
    return (rng(seed).standard_normal(shape) * scale).astype(dtype)


def ints(shape, seed: int, *, low: int = -9, high: int = 10, dtype=np.int64) -> np.ndarray:
    return rng(seed).integers(low, high, size=shape).astype(dtype)


def distinct(shape, seed: int) -> np.ndarray:
    """Floats with no two entries equal, so a transposed or permuted result cannot pass."""
    values = rng(seed).permutation(int(np.prod(shape, dtype=int))) + 1.0
    signs = rng(seed + 1).choice([-1.0, 1.0], size=values.shape)
    return (values * signs / 4).reshape(shape)


def distinct_arrays(count: int, shape, seed: int) -> tuple[np.ndarray, ...]:
    """`count` arrays of one shape from `distinct`, on seeds seed, seed + 1, ..."""
    return tuple(distinct(shape, seed + k) for k in range(count))
