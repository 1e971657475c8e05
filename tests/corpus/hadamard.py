"""Student answers to hadamard(A, B)."""
import warnings

import numpy as np

from . import check_same_shapes, correct, wrong


@correct
def star(A, B):
    check_same_shapes(A, B)
    return A * B


@correct
def loops(A, B):
    check_same_shapes(A, B)
    out = np.empty(np.shape(A), dtype=np.result_type(A, B))
    for index in np.ndindex(out.shape):
        out[index] = A[index] * B[index]
    return out


@correct
def einsum(A, B):
    check_same_shapes(A, B)
    if np.ndim(A) == 0:
        return np.multiply(A, B)
    letters = "abcdefgh"[:np.ndim(A)]
    return np.einsum(f"{letters},{letters}->{letters}", A, B)


@wrong("has dtype")
def torch_inside(A, B):
    import torch
    check_same_shapes(A, B)
    return (torch.from_numpy(np.asarray(A)) * torch.from_numpy(np.asarray(B))).numpy()


@correct
def chatty_and_warns(A, B):
    print("multiplying", np.shape(A))
    warnings.warn("this is only a test", UserWarning)
    check_same_shapes(A, B)
    return np.multiply(A, B)


@wrong("a matrix product (A @ B)")
def matmul(A, B):
    check_same_shapes(A, B)
    return A @ B


@wrong("a transposed result")
def transposed(A, B):
    check_same_shapes(A, B)
    return (A * B).T


@wrong("ValueError")
def broadcasts(A, B):
    return A * B


@wrong("changed its input A in place")
def in_place(A, B):
    check_same_shapes(A, B)
    A *= B
    return A


@wrong("dtype float64, expected int64")
def always_float(A, B):
    check_same_shapes(A, B)
    return np.multiply(A, B, dtype=np.float64)


@wrong("the sum of the products instead of the products")
def summed(A, B):
    check_same_shapes(A, B)
    return np.sum(A * B)


@wrong("an element-wise sum instead of a product")
def added(A, B):
    check_same_shapes(A, B)
    return A + B


@wrong("not implemented yet")
def unimplemented(A, B):
    raise NotImplementedError()


@correct
def torch_inside_numpy_dtype(A, B):
    import torch
    check_same_shapes(A, B)
    product = torch.from_numpy(np.asarray(A)) * torch.from_numpy(np.asarray(B))
    return product.numpy().astype(np.result_type(A, B), copy=False)
