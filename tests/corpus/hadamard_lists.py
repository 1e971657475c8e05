"""Student answers to hadamard_lists(A, B)."""
import warnings

import numpy as np

from . import correct, wrong


def _shape(rows, name):
    widths = {len(row) for row in rows}
    if len(widths) > 1:
        raise ValueError(f"{name} is ragged")
    return len(rows), (widths.pop() if widths else 0)


def _check(A, B):
    if _shape(A, "A") != _shape(B, "B"):
        raise ValueError("A and B have different shapes")


@correct
def comprehension(A, B):
    _check(A, B)
    return [[a * b for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


@correct
def index_loops(A, B):
    if len(A) != len(B):
        raise ValueError("different numbers of rows")
    width = len(A[0]) if A else 0
    for row_a, row_b in zip(A, B):
        if len(row_a) != width or len(row_b) != width:
            raise ValueError("ragged rows or different widths")
    result = []
    for i in range(len(A)):
        row = []
        for j in range(width):
            row.append(A[i][j] * B[i][j])
        result.append(row)
    return result


@correct
def strict_zip_and_map(A, B):
    _check(A, B)
    return [list(map(lambda a, b: a * b, row_a, row_b))
            for row_a, row_b in zip(A, B, strict=True)]


@correct
def chatty_and_warns(A, B):
    print("rows:", len(A))
    warnings.warn("this is only a test", UserWarning)
    _check(A, B)
    return [[a * b for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


@wrong("zip without checking the shapes")
def zip_unchecked(A, B):
    return [[a * b for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


@wrong("a matrix product (A @ B)")
def matrix_product(A, B):
    _check(A, B)
    return [[sum(a * b for a, b in zip(row, column)) for column in zip(*B)] for row in A]


@wrong("rows built as tuples")
def tuple_rows(A, B):
    _check(A, B)
    return [tuple(a * b for a, b in zip(row_a, row_b)) for row_a, row_b in zip(A, B)]


@wrong("a NumPy array instead of nested lists")
def numpy_array(A, B):
    _check(A, B)
    return np.multiply(A, B)


@wrong("every product turned into a float")
def numpy_tolist(A, B):
    _check(A, B)
    return (np.array(A, dtype=float) * np.array(B, dtype=float)).tolist()


@wrong("NumPy numbers inside the lists")
def numpy_scalars(A, B):
    _check(A, B)
    return [[np.multiply(a, b) for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


@wrong("changed its input A in place")
def in_place(A, B):
    _check(A, B)
    for row_a, row_b in zip(A, B):
        for j, b in enumerate(row_b):
            row_a[j] *= b
    return A


@wrong("ValueError")
def ragged_unchecked(A, B):
    if len(A) != len(B) or (A and len(A[0]) != len(B[0])):
        raise ValueError("shapes differ")
    return [[a * b for a, b in zip(row_a, row_b)] for row_a, row_b in zip(A, B)]


@wrong("the result built as a tuple instead of a list")
def tuple_of_tuples(A, B):
    _check(A, B)
    return tuple(tuple(a * b for a, b in zip(row_a, row_b)) for row_a, row_b in zip(A, B))


@wrong("not implemented yet")
def unimplemented(A, B):
    raise NotImplementedError()
