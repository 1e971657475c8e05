"""Student answers to broadcast_shape(shape_a, shape_b)."""
import itertools
import warnings

import numpy as np

from . import correct, wrong


@correct
def padded_loop(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for m, n in zip(a, b):
        if m == n or n == 1:
            result.append(m)
        elif m == 1:
            result.append(n)
        else:
            raise ValueError(f"cannot broadcast {shape_a} with {shape_b}")
    return tuple(result)


@correct
def numpy_does_it(shape_a, shape_b):
    return np.broadcast_shapes(shape_a, shape_b)


@correct
def reversed_zip_longest(shape_a, shape_b):
    out = []
    for m, n in itertools.zip_longest(reversed(shape_a), reversed(shape_b), fillvalue=1):
        if m != n and m != 1 and n != 1:
            raise ValueError(f"size {m} does not match size {n}")
        out.append(n if m == 1 else m)
    return tuple(reversed(out))


@correct
def empty_arrays(shape_a, shape_b):
    print("shapes:", shape_a, shape_b)
    warnings.warn("allocating empty arrays", UserWarning)
    return np.broadcast(np.empty(shape_a), np.empty(shape_b)).shape


@correct
def numpy_int_entries(shape_a, shape_b):
    # np.int64 entries are fine: they are integers.
    ndim = max(len(shape_a), len(shape_b))
    a = np.array((1,) * (ndim - len(shape_a)) + tuple(shape_a), dtype=np.int64)
    b = np.array((1,) * (ndim - len(shape_b)) + tuple(shape_b), dtype=np.int64)
    if np.any((a != b) & (a != 1) & (b != 1)):
        raise ValueError(f"{shape_a} and {shape_b} do not broadcast")
    return tuple(np.where(a == 1, b, a))


@wrong("shapes aligned at the left instead of the right")
def left_aligned(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = tuple(shape_a) + (1,) * (ndim - len(shape_a))
    b = tuple(shape_b) + (1,) * (ndim - len(shape_b))
    result = []
    for m, n in zip(a, b):
        if m != n and 1 not in (m, n):
            raise ValueError("incompatible")
        result.append(n if m == 1 else m)
    return tuple(result)


@wrong("without checking that the sizes are compatible")
def max_without_check(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    return tuple(max(m, n) for m, n in zip(a, b))


@wrong("a list instead of a tuple")
def returns_list(shape_a, shape_b):
    return list(np.broadcast_shapes(shape_a, shape_b))


@wrong("a NumPy array instead of a tuple")
def returns_array(shape_a, shape_b):
    return np.array(np.broadcast_shapes(shape_a, shape_b))


@wrong("zip stops at the shorter shape")
def zip_drops_axes(shape_a, shape_b):
    result = []
    for m, n in zip(reversed(shape_a), reversed(shape_b)):
        if m != n and 1 not in (m, n):
            raise ValueError("incompatible")
        result.append(n if m == 1 else m)
    return tuple(reversed(result))


@wrong("ValueError raised for shapes that do broadcast")
def needs_equal_length(shape_a, shape_b):
    if len(shape_a) != len(shape_b):
        raise ValueError("shapes must have the same number of axes")
    return np.broadcast_shapes(shape_a, shape_b)


@wrong("expected ValueError because the shapes do not broadcast")
def assertion_instead_of_value_error(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    assert all(m == n or 1 in (m, n) for m, n in zip(a, b)), "shapes do not broadcast"
    return tuple(n if m == 1 else m for m, n in zip(a, b))


@wrong("not implemented yet")
def unimplemented(shape_a, shape_b):
    raise NotImplementedError()


@wrong("which is 1 where a 1 meets a 0", never=("without checking",))
def max_after_a_careful_check(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    for m, n in zip(a, b):
        if m != n and 1 not in (m, n):
            raise ValueError(f"shapes {shape_a} and {shape_b} do not broadcast")
    return tuple(max(m, n) for m, n in zip(a, b))
