"""Assignment 02-broadcasting: when `*` is not the Hadamard product."""
import numpy as np

__all__ = ["broadcast_shape", "scale_rows", "scale_cols", "squared_error", "brighten"]


def broadcast_shape(shape_a, shape_b):
    ndim = max(len(shape_a), len(shape_b))
    a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    result = []
    for m, n in zip(a, b):
        if m != n and 1 not in (m, n):
            raise ValueError(f"shapes {tuple(shape_a)} and {tuple(shape_b)} do not broadcast: "
                             f"{m} against {n}")
        result.append(int(n if m == 1 else m))
    return tuple(result)


def scale_rows(d, B):
    if np.ndim(d) != 1 or np.ndim(B) != 2 or len(d) != B.shape[0]:
        raise ValueError(f"d must have shape (m,) for B of shape (m, n); "
                         f"got {np.shape(d)} and {np.shape(B)}")
    return d[:, None] * B


def scale_cols(B, d):
    if np.ndim(d) != 1 or np.ndim(B) != 2 or len(d) != B.shape[1]:
        raise ValueError(f"d must have shape (n,) for B of shape (m, n); "
                         f"got {np.shape(B)} and {np.shape(d)}")
    return B * d[None, :]


def squared_error(y_pred, y_true):
    if np.size(y_pred) != np.size(y_true):
        raise ValueError(f"sizes differ: {np.shape(y_pred)} and {np.shape(y_true)}")
    return (np.reshape(y_pred, -1) - np.reshape(y_true, -1)) ** 2


def brighten(image, gain):
    if np.ndim(image) not in (2, 3) or np.shape(gain) != np.shape(image)[:2]:
        raise ValueError(f"gain must have shape (H, W) = {np.shape(image)[:2]}, "
                         f"got {np.shape(gain)}")
    per_channel = gain if image.ndim == 2 else gain[:, :, None]
    scaled = np.round(image.astype(np.float64) * per_channel)
    return np.clip(scaled, 0, 255).astype(np.uint8)
