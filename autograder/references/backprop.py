"""Assignment 06-backprop: a two-layer network on a batch, forward and backward by hand."""
import numpy as np

__all__ = ["mlp_loss_and_grads"]


def _check_arguments(X, y, W1, b1, W2, b2, mask):
    if np.ndim(X) != 2:
        raise ValueError(f"X must be a 2-d batch (N, D), got shape {np.shape(X)}")
    N, D = np.shape(X)
    if np.ndim(W1) != 2 or np.shape(W1)[0] != D:
        raise ValueError(f"W1 must have shape (D, H) = ({D}, H), got {np.shape(W1)}")
    H = np.shape(W1)[1]
    if np.ndim(W2) != 2 or np.shape(W2)[0] != H:
        raise ValueError(f"W2 must have shape (H, C) = ({H}, C), got {np.shape(W2)}")
    C = np.shape(W2)[1]
    for name, bias, size in (("b1", b1, H), ("b2", b2, C)):
        if np.shape(bias) != (size,):
            raise ValueError(f"{name} must have shape ({size},), got {np.shape(bias)}")
    if np.shape(y) != (N,):
        raise ValueError(f"y must have shape (N,) = ({N},), got {np.shape(y)}")
    if N and (np.min(y) < 0 or np.max(y) >= C):
        raise ValueError(f"labels must lie in [0, {C}), got values from {np.min(y)} "
                         f"to {np.max(y)}")
    if mask is not None and np.shape(mask) != (N, H):
        raise ValueError(f"mask must have shape (N, H) = ({N}, {H}), got {np.shape(mask)}")


def mlp_loss_and_grads(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    _check_arguments(X, y, W1, b1, W2, b2, mask)
    N = X.shape[0]
    rows = np.arange(N)
    z1 = X @ W1 + b1
    h = np.maximum(z1, 0)
    keep = mask / (1 - p) if mask is not None else 1.0
    h = h * keep
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)    # exp never overflows
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].mean()

    dscores = np.exp(log_probs)
    dscores[rows, y] -= 1
    dscores /= N
    dh = dscores @ W2.T * keep
    dz1 = dh * (z1 > 0)                                      # relu'(0) = 0
    return float(loss), {"W1": X.T @ dz1, "b1": dz1.sum(axis=0),
                         "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}
