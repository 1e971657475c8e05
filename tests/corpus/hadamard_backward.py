"""Student answers to hadamard_backward(grad_out, A, B)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def star(grad_out, A, B):
    return grad_out * B, grad_out * A


@correct
def multiply(grad_out, A, B):
    dA = np.multiply(grad_out, B)
    dB = np.multiply(grad_out, A)
    return (dA, dB)


@correct
def loops(grad_out, A, B):
    dtype = np.result_type(grad_out, A, B)
    dA = np.empty(np.shape(A), dtype=dtype)
    dB = np.empty(np.shape(B), dtype=dtype)
    for index in np.ndindex(dA.shape):
        dA[index] = grad_out[index] * B[index]
        dB[index] = grad_out[index] * A[index]
    return dA, dB


@correct
def einsum(grad_out, A, B):
    if np.ndim(A) == 0:
        return np.multiply(grad_out, B), np.multiply(grad_out, A)
    letters = "abcdefgh"[:np.ndim(A)]
    spec = f"{letters},{letters}->{letters}"
    return np.einsum(spec, grad_out, B), np.einsum(spec, grad_out, A)


@wrong("has dtype")
def torch_autograd_inside(grad_out, A, B):
    import torch
    if np.result_type(grad_out, A, B).kind != "f":
        return grad_out * B, grad_out * A       # integers have no autograd: by hand
    a = torch.tensor(A, requires_grad=True)
    b = torch.tensor(B, requires_grad=True)
    (a * b).backward(torch.tensor(grad_out))
    return a.grad.numpy().astype(np.float64), b.grad.numpy().astype(np.float64)


@correct
def chatty_and_warns(grad_out, A, B):
    print("backward through", np.shape(A))
    warnings.warn("this is only a test", UserWarning)
    dA = grad_out.copy()
    dA *= B                                      # in place on a copy: fine
    return dA, grad_out * A


@wrong("the gradients swapped")
def swapped(grad_out, A, B):
    return grad_out * A, grad_out * B


@wrong("the upstream gradient ignored")
def upstream_ignored(grad_out, A, B):
    return B.copy(), A.copy()


@wrong("matrix products as in a linear layer")
def linear_layer(grad_out, A, B):
    return grad_out @ B.T, A.T @ grad_out


@wrong("grad_out ∘ A ∘ B")
def times_product(grad_out, A, B):
    C = A * B
    return grad_out * C, grad_out * C


@wrong("dB = dA")
def same_twice(grad_out, A, B):
    dA = grad_out * B
    return dA, dA


@wrong("should be a tuple")
def returns_list(grad_out, A, B):
    return [grad_out * B, grad_out * A]


@wrong("changed its input grad_out in place")
def in_place(grad_out, A, B):
    dB = grad_out * A
    grad_out *= B
    return grad_out, dB


@wrong("dtype float64, expected int64")
def always_float(grad_out, A, B):
    return (np.asarray(grad_out * B, dtype=np.float64), np.asarray(grad_out * A, dtype=np.float64))


@wrong("not implemented yet")
def unimplemented(grad_out, A, B):
    raise NotImplementedError()


@correct
def torch_autograd_in_the_input_dtype(grad_out, A, B):
    import torch
    dtype = np.result_type(grad_out, A, B)
    if dtype.kind != "f":
        return grad_out * B, grad_out * A       # integers have no autograd: by hand
    a = torch.tensor(A.astype(dtype), requires_grad=True)
    b = torch.tensor(B.astype(dtype), requires_grad=True)
    (a * b).backward(torch.tensor(grad_out.astype(dtype)))
    return a.grad.numpy(), b.grad.numpy()
