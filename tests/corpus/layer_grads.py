"""Student answers to layer_grads(u, W, x, b, activation="sigmoid")."""
import warnings

import numpy as np

from . import correct, wrong


def _derivative(z, activation):
    if activation == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if activation == "tanh":
        return 1 - np.tanh(z) ** 2
    if activation == "relu":
        return (z > 0).astype(float)
    raise ValueError(f"unknown activation {activation!r}")


@correct
def vectorised(u, W, x, b, activation="sigmoid"):
    z = W @ x + b
    dz = u * _derivative(z, activation)
    return {"b": dz, "W": np.outer(dz, x), "x": W.T @ dz}


@correct
def broadcasting_and_einsum(u, W, x, b, activation="sigmoid"):
    z = np.einsum("ij,j->i", W, x) + b
    dz = u * _derivative(z, activation)
    return {"b": dz, "W": dz[:, None] * x[None, :], "x": np.einsum("ij,i->j", W, dz)}


@correct
def loops(u, W, x, b, activation="sigmoid"):
    m, n = W.shape
    z = np.array([sum(W[i, j] * x[j] for j in range(n)) + b[i] for i in range(m)])
    dz = u * _derivative(z, activation)
    dW = np.zeros((m, n))
    dx = np.zeros(n)
    for i in range(m):
        for j in range(n):
            dW[i, j] = dz[i] * x[j]
            dx[j] += W[i, j] * dz[i]
    return {"b": dz, "W": dW, "x": dx}


@correct
def torch_autograd_inside(u, W, x, b, activation="sigmoid"):
    import torch
    f = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu}[activation]
    tW, tx, tb = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (W, x, b))
    s = torch.tensor(u, dtype=torch.float64) @ f(tW @ tx + tb)
    s.backward()
    return {"b": tb.grad.numpy(), "W": tW.grad.numpy(), "x": tx.grad.numpy()}


@correct
def chatty_and_warns(u, W, x, b, activation="sigmoid"):
    print("layer of", W.shape, activation)
    warnings.warn("this is only a test", UserWarning)
    grads = {}
    z = W.dot(x) + b
    grads["x"] = W.T.dot(u * _derivative(z, activation))
    grads["W"] = np.multiply.outer(u * _derivative(z, activation), x)
    grads["b"] = u * _derivative(z, activation)
    return grads


@wrong("dW transposed")
def dW_transposed(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x + b, activation)
    return {"b": dz, "W": np.outer(x, dz), "x": W.T @ dz}


@wrong("dx = W @ dz (W not transposed)")
def dx_not_transposed(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x + b, activation)
    return {"b": dz, "W": np.outer(dz, x), "x": W @ dz}


@wrong("dW = dz * x (element-wise)")
def dW_elementwise(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x + b, activation)
    return {"b": dz, "W": dz * x, "x": W.T @ dz}


@wrong("u ignored")
def u_ignored(u, W, x, b, activation="sigmoid"):
    dz = _derivative(W @ x + b, activation)
    return {"b": dz, "W": np.outer(dz, x), "x": W.T @ dz}


@wrong("f'(z) left out")
def no_derivative(u, W, x, b, activation="sigmoid"):
    return {"b": u.copy(), "W": np.outer(u, x), "x": W.T @ u}


@wrong("f'(z) evaluated at W x, without b")
def bias_forgotten(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x, activation)
    return {"b": dz, "W": np.outer(dz, x), "x": W.T @ dz}


@wrong("f(z) used where f'(z) is due")
def activation_not_derivative(u, W, x, b, activation="sigmoid"):
    z = W @ x + b
    a = {"sigmoid": 1 / (1 + np.exp(-z)), "tanh": np.tanh(z), "relu": np.maximum(z, 0)}
    dz = u * a[activation]
    return {"b": dz, "W": np.outer(dz, x), "x": W.T @ dz}


@wrong("relu'(0) = 1")
def relu_at_zero(u, W, x, b, activation="sigmoid"):
    z = W @ x + b
    dz = u * ((z >= 0) * 1.0 if activation == "relu" else _derivative(z, activation))
    return {"b": dz, "W": np.outer(dz, x), "x": W.T @ dz}


@wrong("a default activation other than sigmoid")
def default_relu(u, W, x, b, activation="relu"):
    return vectorised(u, W, x, b, activation)


@wrong("has keys")
def other_keys(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x + b, activation)
    return {"db": dz, "dW": np.outer(dz, x), "dx": W.T @ dz}


@wrong("a default activation other than sigmoid (tanh)")
def default_tanh(u, W, x, b, activation="tanh"):
    return vectorised(u, W, x, b, activation)


@wrong("not implemented yet")
def unimplemented(u, W, x, b, activation="sigmoid"):
    raise NotImplementedError()


@wrong("dx = W.T * dz (element-wise", never=("dx = W @ dz",))
def dx_elementwise(u, W, x, b, activation="sigmoid"):
    dz = u * _derivative(W @ x + b, activation)
    return {"b": dz, "W": np.outer(dz, x), "x": W.T * dz}
