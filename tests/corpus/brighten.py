"""Student answers to brighten(image, gain)."""
import warnings

import numpy as np

from . import correct, wrong


def _check(image, gain):
    if gain.shape != image.shape[:2]:
        raise ValueError(f"gain has shape {gain.shape}, expected {image.shape[:2]}")


def _per_channel(image, gain):
    return gain if image.ndim == 2 else gain[:, :, None]


@correct
def round_clip_cast(image, gain):
    _check(image, gain)
    return np.clip(np.round(image * _per_channel(image, gain)), 0, 255).astype(np.uint8)


@correct
def rint_and_newaxis(image, gain):
    _check(image, gain)
    g = gain[..., np.newaxis] if image.ndim == 3 else gain
    return np.rint(image.astype(np.float64) * g).clip(0, 255).astype(np.uint8)


@correct
def minimum_only(image, gain):
    # gain >= 0, so nothing goes below 0: clipping at 255 is enough.
    _check(image, gain)
    return np.minimum(np.round(image * _per_channel(image, gain)), 255).astype(np.uint8)


@correct
def always_three_axes(image, gain):
    _check(image, gain)
    stacked = image.reshape(image.shape[0], image.shape[1], -1)
    out = np.clip(np.round(stacked * gain[:, :, None]), 0, 255).astype(np.uint8)
    return out.reshape(image.shape)


@correct
def pixel_loops(image, gain):
    _check(image, gain)
    out = np.empty_like(image)
    for index in np.ndindex(image.shape):
        value = round(float(image[index]) * float(gain[index[0], index[1]]))  # halves to even
        out[index] = min(max(value, 0), 255)
    return out


@correct
def einsum(image, gain):
    _check(image, gain)
    scaled = np.einsum("ij,ij...->ij...", gain, image.astype(np.float64))
    return np.clip(np.round(scaled), 0, 255).astype(np.uint8)


@correct
def torch_inside(image, gain):
    import torch
    _check(image, gain)
    g = torch.from_numpy(gain)
    if image.ndim == 3:
        g = g.unsqueeze(-1)
    scaled = torch.from_numpy(image).double() * g
    return torch.round(scaled).clamp(0, 255).to(torch.uint8).numpy()


@correct
def chatty_and_warns(image, gain):
    print("brightening an image of shape", image.shape)
    warnings.warn("this is only a test", UserWarning)
    _check(image, gain)
    out = np.empty(image.shape)
    np.multiply(image, _per_channel(image, gain), out=out)
    np.round(out, out=out)
    np.clip(out, 0, 255, out=out)
    return out.astype(np.uint8)


@wrong("values above 255 wrapped around")
def cast_without_clip_or_round(image, gain):
    _check(image, gain)
    return (image * _per_channel(image, gain)).astype(np.uint8)


@wrong("values above 255 wrapped around")
def kept_in_uint8(image, gain):
    _check(image, gain)
    return np.multiply(image, _per_channel(image, gain), out=np.empty_like(image),
                       casting="unsafe")


@wrong("values above 255 wrapped around instead of being clipped")
def round_without_clip(image, gain):
    _check(image, gain)
    return np.round(image * _per_channel(image, gain)).astype(np.uint8)


@wrong("fractions truncated instead of rounded")
def truncates(image, gain):
    _check(image, gain)
    return np.clip(image * _per_channel(image, gain), 0, 255).astype(np.uint8)


@wrong("halves rounded up instead of to even")
def rounds_half_up(image, gain):
    _check(image, gain)
    return np.clip(image * _per_channel(image, gain) + 0.5, 0, 255).astype(np.uint8)


@wrong("result has dtype float64, expected uint8")
def returns_float(image, gain):
    _check(image, gain)
    return np.clip(np.round(image * _per_channel(image, gain)), 0, 255)


@wrong("gain lined up with the last two axes (W, C)")
def no_channel_axis(image, gain):
    _check(image, gain)
    return np.clip(np.round(image * gain), 0, 255).astype(np.uint8)


@wrong("gain indexed by (row, channel)")
def axis_in_the_middle(image, gain):
    _check(image, gain)
    g = gain if image.ndim == 2 else gain[:, None]
    return np.clip(np.round(image * g), 0, 255).astype(np.uint8)


@wrong("gain applied to one channel only")
def first_channel_only(image, gain):
    _check(image, gain)
    out = image.astype(np.float64)
    if image.ndim == 3:
        out[:, :, 0] = out[:, :, 0] * gain
    else:
        out = out * gain
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


@wrong("a channel axis added to gain for a grayscale (H, W) image")
def always_channel_axis(image, gain):
    _check(image, gain)
    return np.clip(np.round(image * gain[:, :, None]), 0, 255).astype(np.uint8)


@wrong("A uint8 array cannot hold the float products")
def in_place_multiply(image, gain):
    _check(image, gain)
    out = image.copy()
    out *= _per_channel(image, gain)
    return out


@wrong("expected ValueError because gain.shape is not image.shape[:2]")
def no_shape_check(image, gain):
    return np.clip(np.round(image * _per_channel(image, gain)), 0, 255).astype(np.uint8)


@wrong("not implemented yet")
def unimplemented(image, gain):
    raise NotImplementedError()
