"""Student answers to scale_rows(d, B)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(d, B):
    if len(d) != B.shape[0]:
        raise ValueError(f"len(d) = {len(d)} but B has {B.shape[0]} rows")


@correct
def column_axis(d, B):
    _check(d, B)
    return d[:, None] * B


@correct
def reshape_minus_one(d, B):
    _check(d, B)
    return d.reshape(-1, 1) * B


@correct
def loops(d, B):
    _check(d, B)
    out = np.empty(B.shape, dtype=np.result_type(d, B))
    for i in range(B.shape[0]):
        for j in range(B.shape[1]):
            out[i, j] = d[i] * B[i, j]
    return out


@correct
def einsum(d, B):
    _check(d, B)
    return np.einsum("i,ij->ij", d, B)


@correct
def diag_matmul(d, B):
    # Correct, only slower: it builds the m x m matrix diag(d).
    _check(d, B)
    return np.diag(d) @ B


@correct
def transpose_twice(d, B):
    _check(d, B)
    return (B.T * d).T


@wrong("has dtype")
def torch_inside(d, B):
    import torch
    _check(d, B)
    return (torch.from_numpy(d)[:, None] * torch.from_numpy(B)).numpy()


@correct
def chatty_and_warns(d, B):
    print("scaling", B.shape)
    warnings.warn("this is only a test", UserWarning)
    _check(d, B)
    return np.multiply(d[:, np.newaxis], B)


@wrong("the columns scaled instead of the rows")
def scales_columns(d, B):
    return d * B


@wrong("the columns scaled instead of the rows")
def scales_columns_explicitly(d, B):
    _check(d, B)
    return d[None, :] * B


@wrong("a vector-matrix product d @ B")
def vector_matrix(d, B):
    _check(d, B)
    return d @ B


@wrong("a matrix-vector product B @ d")
def matrix_vector(d, B):
    _check(d, B)
    return B @ d


@wrong("changed its input B in place")
def in_place(d, B):
    _check(d, B)
    B *= d[:, None]
    return B


@wrong("expected ValueError because len(d) is not the number of rows of B")
def no_length_check_broadcasts_anyway(d, B):
    return np.einsum("i,ij->ij", d[:B.shape[0]], B)


@wrong("a transposed result")
def transposed(d, B):
    _check(d, B)
    return B.T * d   # d lines up with the last axis of B.T, but never transposed back


@wrong("not implemented yet")
def unimplemented(d, B):
    raise NotImplementedError()


@wrong("expected ValueError because len(d) is not the number of rows of B",
       never=("Likely mistake",))
def relies_on_broadcasting_to_refuse(d, B):
    """d[:, None] * B fails for most wrong lengths, but not for a d of length 1."""
    return d[:, None] * B


@correct
def torch_inside_numpy_dtype(d, B):
    import torch
    _check(d, B)
    product = (torch.from_numpy(d)[:, None] * torch.from_numpy(B)).numpy()
    return product.astype(np.result_type(d, B), copy=False)
