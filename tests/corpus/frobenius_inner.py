"""Student answers to frobenius_inner(A, B)."""
import warnings

import numpy as np

from . import check_same_shapes, correct, wrong


@correct
def sum_of_products(A, B):
    check_same_shapes(A, B)
    return float(np.sum(A * B))


@correct
def numpy_float64(A, B):
    check_same_shapes(A, B)
    return np.float64(np.sum(A * B, dtype=np.float64))


@wrong("trace(Aᵀ B), which holds for matrices only")
def trace_of_transpose(A, B):
    check_same_shapes(A, B)
    return float(np.trace(A.T @ B))


@wrong("an einsum written for matrices only")
def einsum(A, B):
    check_same_shapes(A, B)
    return float(np.einsum("ij,ij->", A, B))


@correct
def einsum_any_shape(A, B):
    check_same_shapes(A, B)
    return float(np.einsum("i,i->", np.ravel(A), np.ravel(B)))


@correct
def vdot_after_check(A, B):
    check_same_shapes(A, B)
    return float(np.vdot(A, B))


@correct
def loops(A, B):
    check_same_shapes(A, B)
    total = 0.0
    for index in np.ndindex(np.shape(A)):
        total += float(A[index]) * float(B[index])
    return total


@correct
def torch_inside(A, B):
    import torch
    check_same_shapes(A, B)
    return float(torch.sum(torch.from_numpy(A) * torch.from_numpy(B)).item())


@correct
def chatty_and_warns(A, B):
    print("shapes:", A.shape, B.shape)
    warnings.warn("this is only a test", UserWarning)
    check_same_shapes(A, B)
    return float((A * B).sum())


@wrong("the matrix A * B, not summed")
def not_summed(A, B):
    check_same_shapes(A, B)
    return A * B


@wrong("trace(A @ B) instead of trace(Aᵀ B)")
def trace_without_transpose(A, B):
    check_same_shapes(A, B)
    return float(np.trace(A @ B))


@wrong("the matrix Aᵀ B instead of its trace")
def no_trace(A, B):
    check_same_shapes(A, B)
    return A.T @ B


@wrong("np.inner(A, B)")
def numpy_inner(A, B):
    check_same_shapes(A, B)
    return np.inner(A, B)


@wrong("a 0-d NumPy array instead of a Python float")
def zero_d_array(A, B):
    check_same_shapes(A, B)
    return np.array(np.sum(A * B))


@wrong("a NumPy float32")
def float32(A, B):
    check_same_shapes(A, B)
    return np.float32(np.sum(A * B))


@wrong("an int instead of a Python float")
def integer_for_int_inputs(A, B):
    check_same_shapes(A, B)
    return np.sum(A * B)


@wrong("the mean of A * B")
def mean(A, B):
    check_same_shapes(A, B)
    return float(np.mean(A * B))


@wrong("np.vdot (or ravel) pairs up the entries")
def vdot_unchecked(A, B):
    return float(np.vdot(A, B))


@wrong("* broadcast the two shapes")
def broadcasts(A, B):
    return float(np.sum(A * B))


@wrong("a matrix product (A @ B) instead of the Frobenius inner product")
def matmul(A, B):
    check_same_shapes(A, B)
    return A @ B


@wrong("not implemented yet")
def unimplemented(A, B):
    raise NotImplementedError()
