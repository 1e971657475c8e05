"""Student answers to mlp_loss_and_grads(X, y, W1, b1, W2, b2, mask=None, p=0.0)."""
import warnings

import numpy as np

from . import correct, wrong


def _validate(X, y, W1, b1, W2, b2, mask=None):
    """The argument checks a careful student writes first."""
    if X.ndim != 2 or W1.ndim != 2 or W2.ndim != 2:
        raise ValueError("X, W1 and W2 must be 2-d")
    N, D = X.shape
    H, C = W2.shape
    if W1.shape != (D, H) or b1.shape != (H,) or b2.shape != (C,) or y.shape != (N,):
        raise ValueError("the shapes do not fit")
    if np.any(y < 0) or np.any(y >= C):
        raise ValueError(f"labels must be in [0, {C})")
    if mask is not None and mask.shape != (N, H):
        raise ValueError(f"mask has shape {mask.shape}, expected {(N, H)}")


def _log_softmax(scores):
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _backprop(X, y, W1, b1, W2, b2, mask=None, p=0.0, *, unstable=False, log_of_softmax=False,
              loss_as_array=False, bias_axis=0, bias_reduce="sum", sum_loss=False,
              divide_by_n=True, subtract_onehot=True, forward_scale=True, backward_mask=True,
              backward_scale=True, use_mask=True, relu_grad_at_zero=False, dW2_input="h",
              transpose_dW1=False, validate=True):
    """A vectorised answer that can go wrong in one place; each wrong answer below flips one
    switch (with the argument checks kept, so that it fails only on its mistake)."""
    if validate:
        _validate(X, y, W1, b1, W2, b2, mask)
    N = len(X)
    z1 = X @ W1 + b1
    relu = np.maximum(z1, 0)
    keep = 1.0
    if mask is not None and use_mask:
        keep = mask / (1 - p) if forward_scale else mask.astype(float)
    h = relu * keep
    scores = h @ W2 + b2
    if unstable:
        e = np.exp(scores)
        probs = e / e.sum(axis=1, keepdims=True)
        losses = -np.log(probs[np.arange(N), y])
    elif log_of_softmax:
        e = np.exp(scores - scores.max(axis=1, keepdims=True))
        probs = e / e.sum(axis=1, keepdims=True)
        losses = -np.log(probs[np.arange(N), y])
    else:
        probs = np.exp(_log_softmax(scores))
        losses = -_log_softmax(scores)[np.arange(N), y]
    loss = losses.sum() if sum_loss else losses.mean()
    dscores = probs.copy()
    if subtract_onehot:
        dscores[np.arange(N), y] -= 1
    if divide_by_n:
        dscores /= N
    dh = dscores @ W2.T
    if mask is not None and use_mask:
        if backward_mask:
            dh = dh * mask
        if backward_scale and forward_scale:
            dh = dh / (1 - p)
    dz1 = dh * ((z1 >= 0) if relu_grad_at_zero else (z1 > 0))
    reduce = np.sum if bias_reduce == "sum" else np.mean
    factor = {"h": h, "X": X, "z1": z1, "relu": relu}[dW2_input]
    grads = {"W1": dz1.T @ X if transpose_dW1 else X.T @ dz1,
             "b1": dz1 if bias_axis is None else reduce(dz1, axis=bias_axis),
             "W2": factor.T @ dscores,
             "b2": dscores if bias_axis is None else reduce(dscores, axis=bias_axis)}
    return (np.array(loss) if loss_as_array else float(loss)), grads


# ------------------------------------------------------------------------------ correct
@correct
def vectorised(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p)


@correct
def loops_over_the_batch(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    _validate(X, y, W1, b1, W2, b2, mask)
    N = X.shape[0]
    grads = {"W1": np.zeros_like(W1), "b1": np.zeros_like(b1),
             "W2": np.zeros_like(W2), "b2": np.zeros_like(b2)}
    loss = 0.0
    for n in range(N):
        z = X[n] @ W1 + b1
        keep = np.ones_like(z) if mask is None else mask[n] / (1 - p)
        h = np.maximum(z, 0) * keep
        s = h @ W2 + b2
        top = max(s)
        log_total = top + np.log(sum(np.exp(v - top) for v in s))
        loss += (log_total - s[y[n]]) / N
        ds = np.exp(s - log_total)
        ds[y[n]] -= 1
        ds /= N
        grads["W2"] += np.outer(h, ds)
        grads["b2"] += ds
        dz = (W2 @ ds) * keep * (z > 0)
        grads["W1"] += np.outer(X[n], dz)
        grads["b1"] += dz
    return loss, grads


@correct
def einsum_and_one_hot(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    if not (X.ndim == W1.ndim == W2.ndim == 2 and X.shape[1] == W1.shape[0]
            and W1.shape[1] == W2.shape[0] == b1.size and b1.ndim == 1
            and b2.shape == (W2.shape[1],) and y.shape == (X.shape[0],)):
        raise ValueError("shapes do not fit")
    if y.min() < 0 or y.max() >= W2.shape[1]:
        raise ValueError("label out of range")
    if mask is not None and mask.shape != (X.shape[0], W1.shape[1]):
        raise ValueError("mask shape")
    N = X.shape[0]
    onehot = np.eye(W2.shape[1])[y]
    z1 = np.einsum("nd,dh->nh", X, W1) + b1
    d = np.ones_like(z1) if mask is None else mask / (1 - p)
    h = np.where(z1 > 0, z1, 0.0) * d
    s = np.einsum("nh,hc->nc", h, W2) + b2
    m = s.max(axis=1, keepdims=True)
    lse = m + np.log(np.einsum("nc->n", np.exp(s - m)))[:, None]
    loss = float(np.einsum("nc,nc->", onehot, lse - s) / N)
    ds = (np.exp(s - lse) - onehot) / N
    dz = np.einsum("nc,hc->nh", ds, W2) * d * (z1 > 0)
    return loss, {"W2": np.einsum("nh,nc->hc", h, ds), "b2": np.einsum("nc->c", ds),
                  "W1": np.einsum("nd,nh->dh", X, dz), "b1": np.einsum("nh->h", dz)}


@correct
def torch_autograd_inside(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    import torch
    import torch.nn.functional as F
    _validate(X, y, W1, b1, W2, b2, mask)
    params = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True)
              for k, v in {"W1": W1, "b1": b1, "W2": W2, "b2": b2}.items()}
    h = torch.relu(torch.from_numpy(X) @ params["W1"] + params["b1"])
    if mask is not None:
        h = h * torch.from_numpy(mask) / (1 - p)
    loss = F.cross_entropy(h @ params["W2"] + params["b2"], torch.from_numpy(y).long())
    loss.backward()
    return loss.item(), {k: t.grad.numpy() for k, t in params.items()}


@correct
def chatty_logaddexp_and_warns(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    _validate(X, y, W1, b1, W2, b2, mask)
    print("batch", X.shape, "hidden", W1.shape[1], "classes", W2.shape[1])
    warnings.warn("only a test", UserWarning)
    with np.errstate(over="ignore"):
        np.exp(np.array([1000.0]))           # a harmless overflow warning, silenced
    z1 = X.dot(W1) + b1
    h = z1.clip(min=0)
    if mask is not None:
        h = h * mask * (1.0 / (1 - p))
    scores = h.dot(W2) + b2
    lse = np.logaddexp.reduce(scores, axis=1)
    loss = np.mean(lse - scores[np.arange(len(y)), y])
    print("loss", loss)
    dscores = np.exp(scores - lse[:, None])
    dscores[np.arange(len(y)), y] -= 1
    dscores = dscores / len(y)
    dh = dscores.dot(W2.T)
    if mask is not None:
        dh = dh * mask * (1.0 / (1 - p))
    dz1 = np.where(z1 > 0, dh, 0.0)
    return loss.item(), dict(W1=X.T.dot(dz1), b1=dz1.sum(0), W2=h.T.dot(dscores),
                             b2=dscores.sum(0))


@correct
def keepdims_then_reshape(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    _validate(X, y, W1, b1, W2, b2, mask)
    N = X.shape[0]
    scale = 1.0 if mask is None else mask / (1 - p)
    z1 = X @ W1 + b1[None, :]
    h = (z1 > 0) * z1 * scale
    scores = h @ W2 + b2[None, :]
    scores = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(scores)
    total = probs.sum(axis=1, keepdims=True)
    probs /= total
    loss = float(np.mean(np.log(total[:, 0]) - scores[np.arange(N), y]))
    probs[np.arange(N), y] -= 1
    dscores = probs / N
    db2 = dscores.sum(axis=0, keepdims=True).reshape(b2.shape)
    dz1 = (dscores @ W2.T) * scale * (z1 > 0)
    return loss, {"b2": db2, "W2": h.T @ dscores, "b1": dz1.sum(axis=0, keepdims=True)[0],
                  "W1": X.T @ dz1}


# ------------------------------------------------------------------------------ wrong
@wrong("no argument checks", never=("relu'(0) = 1",))
def no_validation(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, validate=False)


@wrong("the bias gradients not summed over the batch")
def bias_not_summed(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, bias_axis=None)


@wrong("the bias gradients not summed over the batch")
def db2_not_summed(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    loss, grads = _backprop(X, y, W1, b1, W2, b2, mask, p)
    _, unsummed = _backprop(X, y, W1, b1, W2, b2, mask, p, bias_axis=None)
    grads["b2"] = unsummed["b2"]
    return loss, grads


@wrong("the bias gradients summed over the wrong axis (axis=1)")
def bias_wrong_axis(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, bias_axis=1)


@wrong("the bias gradients averaged over the batch")
def bias_mean(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, bias_reduce="mean")


@wrong("the loss and gradients summed over the batch instead of averaged")
def sum_not_mean(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, sum_loss=True, divide_by_n=False)


@wrong("the gradients not divided by N")
def gradients_not_divided(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, divide_by_n=False)


@wrong("the one-hot of y not subtracted")
def no_onehot(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, subtract_onehot=False)


@wrong("the softmax taken over the batch (axis 0)")
def softmax_over_batch(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    _validate(X, y, W1, b1, W2, b2, mask)
    N = X.shape[0]
    z1 = X @ W1 + b1
    keep = 1.0 if mask is None else mask / (1 - p)
    h = np.maximum(z1, 0) * keep
    s = h @ W2 + b2
    e = np.exp(s - s.max(axis=0))
    probs = e / e.sum(axis=0)
    loss = -np.log(probs[np.arange(N), y]).mean()
    ds = probs.copy()
    ds[np.arange(N), y] -= 1
    ds /= N
    dz = ds @ W2.T * keep * (z1 > 0)
    return float(loss), {"W1": X.T @ dz, "b1": dz.sum(0), "W2": h.T @ ds, "b2": ds.sum(0)}


@wrong("an unstable softmax")
def unstable_softmax(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, unstable=True)


@wrong("the log of a softmax probability that underflowed to 0",
       never=("an unstable softmax",))
def log_of_the_softmax(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, log_of_softmax=True)


@wrong("the loss returned as an array or a tensor")
def loss_as_0d_array(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, loss_as_array=True)


@wrong("the mask ignored (no dropout applied)")
def mask_ignored(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, use_mask=False)


@wrong("the 1/(1 - p) scaling forgotten",
       never=("the mask forgotten in the backward pass", "missing from the backward pass"))
def no_scaling(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, forward_scale=False)


@wrong("the mask forgotten in the backward pass")
def mask_forgotten_in_backward(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, backward_mask=False, backward_scale=False)


@wrong("the mask forgotten in the backward pass")
def only_scaled_in_backward(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, backward_mask=False)


@wrong("the 1/(1 - p) scaling missing from the backward pass")
def scaling_missing_in_backward(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, backward_scale=False)


@wrong("relu'(0) = 1", never=("no argument checks",))
def relu_at_zero(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, relu_grad_at_zero=True)


@wrong("dW2 computed from X instead of h")
def dW2_from_X(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, dW2_input="X")


@wrong("dW2 computed from z1, before the relu")
def dW2_from_z1(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, dW2_input="z1")


@wrong("dW2 computed from h before dropout")
def dW2_before_dropout(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, dW2_input="relu")


@wrong("a weight gradient transposed")
def dW1_transposed(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    return _backprop(X, y, W1, b1, W2, b2, mask, p, transpose_dW1=True)


@wrong("a weight gradient transposed")
def dW2_transposed(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    loss, grads = _backprop(X, y, W1, b1, W2, b2, mask, p)
    grads["W2"] = grads["W2"].T.copy()
    return loss, grads


@wrong("has keys")
def other_keys(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    loss, grads = _backprop(X, y, W1, b1, W2, b2, mask, p)
    return loss, {"d" + k: v for k, v in grads.items()}


@wrong("not implemented yet")
def unimplemented(X, y, W1, b1, W2, b2, mask=None, p=0.0):
    raise NotImplementedError()
