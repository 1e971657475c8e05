"""Student answers to autograd_hadamard_grads(A, B, grad_out)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def backward_with_gradient(A, B, grad_out):
    import torch
    a = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    C = a * b
    C.backward(torch.tensor(grad_out, dtype=torch.float64))
    return a.grad.numpy(), b.grad.numpy()


@correct
def autograd_grad(A, B, grad_out):
    import torch
    a = torch.from_numpy(np.asarray(A, dtype=np.float64)).requires_grad_()
    b = torch.from_numpy(np.asarray(B, dtype=np.float64)).requires_grad_()
    g = torch.from_numpy(np.asarray(grad_out, dtype=np.float64))
    dA, dB = torch.autograd.grad(a * b, (a, b), grad_outputs=g)
    return dA.detach().numpy(), dB.detach().numpy()


@correct
def weighted_sum_backward(A, B, grad_out):
    import torch
    a = torch.as_tensor(A, dtype=torch.float64).clone().requires_grad_(True)
    b = torch.as_tensor(B, dtype=torch.float64).clone().requires_grad_(True)
    loss = (a * b * torch.as_tensor(grad_out, dtype=torch.float64)).sum()
    loss.backward()
    return a.grad.detach().cpu().numpy().copy(), b.grad.detach().cpu().numpy().copy()


@correct
def convert_then_require_grad(A, B, grad_out):
    import torch
    a = torch.tensor(A).double().requires_grad_()     # a leaf: requires_grad_ comes last
    b = torch.tensor(B).double().requires_grad_()
    (a * b).backward(gradient=torch.tensor(grad_out).double())
    dA, dB = a.grad.numpy(), b.grad.numpy()
    return dA, dB


@correct
def chatty_and_warns(A, B, grad_out):
    print("autograd on", np.shape(A))
    warnings.warn("this is only a test", UserWarning)
    return backward_with_gradient(A, B, grad_out)


@wrong("convert a tensor with .detach().numpy()")
def returns_tensors(A, B, grad_out):
    import torch
    a = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    (a * b).backward(torch.tensor(grad_out, dtype=torch.float64))
    return a.grad, b.grad


@wrong("float32 results")
def float32(A, B, grad_out):
    import torch
    a = torch.tensor(A, dtype=torch.float32, requires_grad=True)
    b = torch.tensor(B, dtype=torch.float32, requires_grad=True)
    (a * b).backward(torch.tensor(grad_out, dtype=torch.float32))
    return a.grad.numpy(), b.grad.numpy()


@wrong("float32 results")
def from_numpy_keeps_float32(A, B, grad_out):
    import torch
    a = torch.from_numpy(A).requires_grad_()
    b = torch.from_numpy(B).requires_grad_()
    (a * b).backward(torch.from_numpy(grad_out))
    return a.grad.numpy(), b.grad.numpy()


@wrong("the gradients swapped")
def swapped(A, B, grad_out):
    dA, dB = backward_with_gradient(A, B, grad_out)
    return dB, dA


@wrong("grad_out ignored")
def backward_on_sum(A, B, grad_out):
    import torch
    a = torch.tensor(A, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(B, dtype=torch.float64, requires_grad=True)
    (a * b).sum().backward()
    return a.grad.numpy(), b.grad.numpy()


@wrong("None gradients")
def not_leaves(A, B, grad_out):
    import torch
    a = torch.tensor(A, dtype=torch.float64, requires_grad=True).float()
    b = torch.tensor(B, dtype=torch.float64, requires_grad=True).float()
    (a * b).backward(torch.tensor(grad_out, dtype=torch.float32))
    return a.grad, b.grad


@wrong("not implemented yet")
def unimplemented(A, B, grad_out):
    raise NotImplementedError()
