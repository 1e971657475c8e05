"""Student answers to hadamard_into(A, B, out)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(A, B, out):
    if A.shape != B.shape or out.shape != A.shape:
        raise ValueError(f"shapes {A.shape}, {B.shape} and out {out.shape} must be equal")


@correct
def multiply_out(A, B, out):
    _check(A, B, out)
    return np.multiply(A, B, out=out)


@correct
def slice_assignment(A, B, out):
    _check(A, B, out)
    out[...] = A * B
    return out


@wrong("array is 0-dimensional")  # out[:] cannot index a 0-d out; out[...] can
def colon_assignment(A, B, out):
    _check(A, B, out)
    out[:] = A * B
    return out


@correct
def copyto(A, B, out):
    _check(A, B, out)
    np.copyto(out, A * B, casting="unsafe")
    return out


@correct
def loops(A, B, out):
    _check(A, B, out)
    for index in np.ndindex(out.shape):
        out[index] = A[index] * B[index]
    return out


@correct
def torch_inside(A, B, out):
    import torch
    _check(A, B, out)
    torch.mul(torch.from_numpy(A), torch.from_numpy(B), out=torch.from_numpy(out))
    return out


@correct
def chatty_and_warns(A, B, out):
    print("writing into out of shape", out.shape)
    warnings.warn("this is only a test", UserWarning)
    _check(A, B, out)
    np.multiply(A, B, out=out)
    return out


@wrong("a new array returned instead of writing into out")
def new_array(A, B, out):
    _check(A, B, out)
    out = A * B
    return out


@wrong("A ∘ B written into out, but None returned")
def returns_none(A, B, out):
    _check(A, B, out)
    np.multiply(A, B, out=out)


@wrong("another array returned instead of out itself")
def returns_copy(A, B, out):
    _check(A, B, out)
    np.multiply(A, B, out=out)
    return out.copy()


@wrong("A ∘ B added to the old contents of out")
def accumulates(A, B, out):
    _check(A, B, out)
    out += A * B
    return out


@wrong("a matrix product written into out")
def matmul_into(A, B, out):
    _check(A, B, out)
    np.matmul(A, B, out=out)
    return out


@wrong("changed its input A in place")
def writes_into_A(A, B, out):
    _check(A, B, out)
    A *= B
    out[...] = A
    return out


@wrong("the shapes of A and B differ")
def broadcasts(A, B, out):
    return np.multiply(A, B, out=out)


@wrong("out's shape differs")
def checks_only_A_and_B(A, B, out):
    if A.shape != B.shape:
        raise ValueError("A and B have different shapes")
    return np.multiply(A, B, out=out)


@wrong("out multiplied by A ∘ B instead of overwritten")
def multiplies_into_out(A, B, out):
    _check(A, B, out)
    out *= A * B
    return out


@wrong("not implemented yet")
def unimplemented(A, B, out):
    raise NotImplementedError()


@wrong("a new array returned instead of writing into out",
       never=("added to the old contents of out",))
def new_array_demo_mistake(A, B, out):
    """The demo class's typical mistake: a new array, out never touched."""
    return A * B


@wrong("out is A itself")
def starts_from_ones(A, B, out):
    if np.shape(A) != np.shape(B) or np.shape(out) != np.shape(A):
        raise ValueError("shapes differ")
    out.fill(1)          # right for a fresh out, but it wipes A when out is A
    out *= A
    out *= B
    return out

