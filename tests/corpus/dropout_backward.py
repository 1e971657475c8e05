"""Student answers to dropout_backward(grad_out, mask, p)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def star(grad_out, mask, p):
    return grad_out * mask / (1 - p)


@correct
def where(grad_out, mask, p):
    return np.where(mask, grad_out / (1 - p), 0.0)


@correct
def float_mask_first(grad_out, mask, p):
    scale = mask.astype(grad_out.dtype) / (1 - p)
    return grad_out * scale


@correct
def loops_and_prints(grad_out, mask, p):
    print("backward through dropout, p =", p)
    warnings.warn("loops are slow", UserWarning)
    dx = np.zeros_like(grad_out)
    for index in np.ndindex(grad_out.shape):
        if mask[index]:
            dx[index] = grad_out[index] / (1 - p)
    return dx


@wrong("has dtype")
def torch_autograd(grad_out, mask, p):
    import torch
    x = torch.zeros(grad_out.shape, dtype=torch.float64, requires_grad=True)
    out = x * torch.from_numpy(mask) / (1 - p)
    out.backward(torch.from_numpy(grad_out))
    return x.grad.numpy()


@wrong("the 1/(1 - p) scaling missing")
def no_scaling(grad_out, mask, p):
    return grad_out * mask


@wrong("the mask ignored")
def mask_ignored(grad_out, mask, p):
    return grad_out / (1 - p)


@wrong("multiplying by (1 - p) instead of dividing")
def times_keep(grad_out, mask, p):
    return grad_out * mask * (1 - p)


@wrong("the mask inverted")
def inverted(grad_out, mask, p):
    return grad_out * ~mask / (1 - p)


@wrong("changed its input grad_out in place")
def in_place(grad_out, mask, p):
    grad_out *= mask / (1 - p)
    return grad_out


@wrong("the gradient passed through unchanged")
def passes_through(grad_out, mask, p):
    # "dropout has no weights, so the gradient just flows back"
    return grad_out.copy()


@wrong("p used as the keep probability (divided by p)")
def divides_by_p(grad_out, mask, p):
    return grad_out * mask / p


@wrong("not implemented yet")
def unimplemented(grad_out, mask, p):
    raise NotImplementedError()


@correct
def torch_autograd_in_the_input_dtype(grad_out, mask, p):
    import torch
    x = torch.zeros(grad_out.shape, dtype=torch.from_numpy(grad_out).dtype, requires_grad=True)
    out = x * torch.from_numpy(mask) / (1 - p)
    out.backward(torch.from_numpy(grad_out))
    return x.grad.numpy()
