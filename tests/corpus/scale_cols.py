"""Student answers to scale_cols(B, d)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(B, d):
    if len(d) != B.shape[1]:
        raise ValueError(f"len(d) = {len(d)} but B has {B.shape[1]} columns")


@correct
def broadcast(B, d):
    _check(B, d)
    return B * d


@correct
def row_axis(B, d):
    _check(B, d)
    return B * d[np.newaxis, :]


@correct
def loops(B, d):
    _check(B, d)
    out = np.empty(B.shape, dtype=np.result_type(B, d))
    for i in range(B.shape[0]):
        for j in range(B.shape[1]):
            out[i, j] = B[i, j] * d[j]
    return out


@correct
def einsum(B, d):
    _check(B, d)
    return np.einsum("ij,j->ij", B, d)


@correct
def diag_matmul(B, d):
    # Correct, only slower: it builds the n x n matrix diag(d).
    _check(B, d)
    return B @ np.diag(d)


@wrong("has dtype")
def torch_inside(B, d):
    import torch
    _check(B, d)
    return torch.mul(torch.from_numpy(B), torch.from_numpy(d)).numpy()


@correct
def chatty_and_warns(B, d):
    print("scaling", B.shape)
    warnings.warn("this is only a test", UserWarning)
    _check(B, d)
    return np.multiply(B, d)


@wrong("the rows scaled instead of the columns")
def scales_rows(B, d):
    _check(B, d)
    return B * d[:, None]


@wrong("the rows scaled instead of the columns")
def scales_rows_unchecked(B, d):
    return d.reshape(-1, 1) * B


@wrong("a matrix-vector product B @ d")
def matrix_vector(B, d):
    _check(B, d)
    return B @ d


@wrong("a vector-matrix product d @ B")
def vector_matrix(B, d):
    _check(B, d)
    return d @ B


@wrong("changed its input B in place")
def in_place(B, d):
    _check(B, d)
    B *= d
    return B


@wrong("expected ValueError because len(d) is not the number of columns of B")
def truncates_d(B, d):
    return B * d[:B.shape[1]]


@wrong("a transposed result")
def transposed(B, d):
    _check(B, d)
    return B.T * d[:, None]   # row j of B.T is column j of B, but never transposed back


@wrong("not implemented yet")
def unimplemented(B, d):
    raise NotImplementedError()


@wrong("expected ValueError because len(d) is not the number of columns of B",
       never=("Likely mistake",))
def relies_on_broadcasting_to_refuse(B, d):
    """B * d fails for most wrong lengths, but not for a d of length 1."""
    return B * d


@correct
def torch_inside_numpy_dtype(B, d):
    import torch
    _check(B, d)
    product = torch.mul(torch.from_numpy(B), torch.from_numpy(d)).numpy()
    return product.astype(np.result_type(B, d), copy=False)
