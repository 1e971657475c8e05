"""Pure comparison of a student's result with the expected one, coarse to fine.

Type, then shape, then dtype, then values, stopping at the first difference, as
PrairieLearn's check_numpy_array_features does, and then one step further: say where the
values differ and by how much. Nothing is coerced: a list where an array is due, a tensor
where NumPy is due, float32 where float64 is due are all differences. `compare` returns
a `Mismatch` (or None) and never raises, so it is tested by calling it directly.
"""
import numbers
from collections.abc import Iterable, Set
from dataclasses import dataclass
from typing import Any, SupportsInt, TypedDict, TypeGuard

import numpy as np
from numpy.typing import ArrayLike, NDArray

from autograder.protocol.codec import Opaque, type_name

RTOL = {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-4}
DEFAULT_RTOL = 1e-7  # float64 and complex128: loops, einsum and torch all land well inside


@dataclass(frozen=True)
class Mismatch:
    kind: str      # "type", "length", "keys", "shape", "dtype", "values"
    message: str   # for the student


class _Options(TypedDict):
    rtol: float | None
    dtype_free: Set[str]
    check_dtype: bool


def shape_text(shape: Iterable[SupportsInt]) -> str:
    return str(tuple(int(n) for n in shape))


def _number_text(x: object) -> str:
    return f"{x:.6g}" if isinstance(x, (float, np.floating)) else repr(x.item() if
                                                                     isinstance(x, np.generic)
                                                                     else x)


def with_article(noun: str) -> str:
    """The noun with its indefinite article: "an int", "a list"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _is_numpy(obj: object) -> TypeGuard[NDArray[Any] | np.generic]:
    return type(obj) is np.ndarray or isinstance(obj, np.generic) and \
        type(obj).__module__ == "numpy"


def _type_mismatch(got: object, expected: object, path: str) -> Mismatch:
    what = "a NumPy array" if _is_numpy(expected) else with_article(type_name(expected))
    message = f"{path} should be {what}, but it is {with_article(type_name(got))}"
    if isinstance(got, Opaque) and got.type_name.startswith("torch"):
        message += " (convert a tensor with .detach().numpy())"
    elif isinstance(got, Opaque) and got.values is not None:
        message += " (a subclass of ndarray; return a plain numpy.ndarray)"
    return Mismatch("type", message)


def tolerance(expected: NDArray[Any], rtol: float | None = None) -> tuple[float, float]:
    """(rtol, atol) for a float array: relative to its dtype, absolute scaled by its size."""
    rtol = RTOL.get(expected.dtype, DEFAULT_RTOL) if rtol is None else rtol
    finite = np.abs(expected[np.isfinite(expected)])
    scale = float(finite.max()) if finite.size else 0.0
    return rtol, rtol * max(scale, 1e-300)


def _index_text(index: Iterable[SupportsInt]) -> str:
    return "[" + ", ".join(str(int(i)) for i in index) + "]"


def compare_arrays(got: ArrayLike, expected: ArrayLike, path: str = "result", *,
                   rtol: float | None = None, check_dtype: bool = True) -> Mismatch | None:
    """Compare two NumPy arrays or scalars: shape, dtype, then values (NaN must match NaN)."""
    got_shape, expected_shape = np.shape(got), np.shape(expected)
    if got_shape != expected_shape:
        return Mismatch("shape", f"{path} has shape {shape_text(got_shape)}, "
                                       f"expected {shape_text(expected_shape)}")
    got, expected = np.asarray(got), np.asarray(expected)
    if check_dtype and got.dtype != expected.dtype:
        return Mismatch("dtype", f"{path} has dtype {got.dtype}, expected {expected.dtype}")
    if expected.dtype.kind in "fc" and got.dtype.kind in "fc":
        rtol, atol = tolerance(expected, rtol)
        with np.errstate(invalid="ignore", over="ignore"):
            bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
        how = f" (tolerance {rtol:.0e} relative)"
    else:
        bad = got != expected
        how = ""
    if not np.any(bad):
        return None
    wrong = np.argwhere(bad)
    first = tuple(wrong[0])
    where = f" at {_index_text(first)}" if first else ""
    count = f"{len(wrong)} of {bad.size} entries differ{how}; first" if bad.size > 1 \
        else "the value differs"
    return Mismatch("values", f"{path}: {count}{where}: got {_number_text(got[first])}, "
                                    f"expected {_number_text(expected[first])}")


def compare(got: Any, expected: object, path: str = "result", *, rtol: float | None = None,
            dtype_free: Set[str] = frozenset(), check_dtype: bool = True) -> Mismatch | None:
    """The first difference between `got` and `expected`, or None when they match.

    `dtype_free` names paths whose dtype the contract leaves open (e.g. "result[0]").
    """
    options: _Options = {"rtol": rtol, "dtype_free": dtype_free, "check_dtype": check_dtype}
    if isinstance(expected, tuple) or isinstance(expected, list):
        if type(got) is not type(expected):
            return _type_mismatch(got, expected, path)
        if len(got) != len(expected):
            return Mismatch("length",
                            f"{path} has {len(got)} items, expected {len(expected)}")
        for i, (g, e) in enumerate(zip(got, expected)):
            found = compare(g, e, f"{path}[{i}]", **options)
            if found:
                return found
        return None
    if isinstance(expected, dict):
        if type(got) is not dict:
            return _type_mismatch(got, expected, path)
        if set(got) != set(expected):
            return Mismatch("keys", f"{path} has keys {sorted(got)}, "
                                          f"expected {sorted(expected)}")
        for key in expected:
            found = compare(got[key], expected[key], f"{path}[{key!r}]", **options)
            if found:
                return found
        return None
    if _is_numpy(expected):
        if not _is_numpy(got):
            return _type_mismatch(got, expected, path)
        return compare_arrays(got, expected, path, rtol=rtol,
                              check_dtype=check_dtype and path not in dtype_free)
    if isinstance(expected, bool) or not isinstance(expected, numbers.Number):
        if type(got) is not type(expected) or got != expected:
            return Mismatch("values", f"{path} is {got!r}, expected {expected!r}")
        return None
    return _compare_python_number(got, expected, path, rtol)


def _compare_python_number(got: Any, expected: Any, path: str,
                           rtol: float | None) -> Mismatch | None:
    # `expected` is a numbers.Number, a type that promises no conversion to float or int.
    # A NumPy float64 is a Python float (a subclass), so it is accepted where a float is due;
    # an int where a float is due, or a 0-d array, is not.
    kind = numbers.Integral if isinstance(expected, numbers.Integral) else float
    if isinstance(got, bool) or not isinstance(got, kind):
        expected_kind = "an int" if kind is numbers.Integral else "a Python float"
        return Mismatch("type", f"{path} should be {expected_kind}, "
                                      f"but it is {with_article(type_name(got))}")
    return compare_arrays(np.float64(got) if kind is float else np.int64(got),
                          np.float64(expected) if kind is float else np.int64(expected),
                          path, rtol=rtol)
