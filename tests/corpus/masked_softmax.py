"""Student answers to masked_softmax(scores, mask, axis=-1)."""
import warnings

import numpy as np

from . import correct, wrong


@correct
def where_inf(scores, mask, axis=-1):
    s = np.where(mask, scores, -np.inf)
    top = np.max(s, axis=axis, keepdims=True)
    top = np.where(np.isneginf(top), 0.0, top)
    e = np.exp(s - top)
    total = e.sum(axis=axis, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total > 0)


@correct
def nan_to_num_after(scores, mask, axis=-1):
    # A RuntimeWarning for fully masked rows (inf - inf), then NaN replaced: right values.
    s = np.where(mask, scores, -np.inf)
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    weights = e / e.sum(axis=axis, keepdims=True)
    return np.nan_to_num(weights, nan=0.0)


@correct
def large_negative_then_zero(scores, mask, axis=-1):
    mask = np.broadcast_to(mask, scores.shape)
    s = np.where(mask, scores, -1e9)
    e = np.exp(s - s.max(axis=axis, keepdims=True)) * mask
    total = e.sum(axis=axis, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)


@wrong("has dtype")
def loops_over_slices(scores, mask, axis=-1):
    print("masked softmax over axis", axis)
    warnings.warn("loops are slow", UserWarning)
    mask = np.broadcast_to(mask, scores.shape)
    s = np.moveaxis(scores, axis, -1)
    m = np.moveaxis(mask, axis, -1)
    out = np.zeros(s.shape)
    for index in np.ndindex(s.shape[:-1]):
        kept = s[index][m[index]]
        if kept.size == 0:
            continue
        e = np.exp(kept - kept.max())
        out[index][m[index]] = e / e.sum()
    return np.moveaxis(out, -1, axis)


@correct
def logsumexp(scores, mask, axis=-1):
    s = np.where(mask, scores, -np.inf)
    with np.errstate(invalid="ignore"):
        top = np.max(s, axis=axis, keepdims=True)
        safe = np.where(np.isfinite(top), top, 0.0)
        lse = safe + np.log(np.sum(np.exp(s - safe), axis=axis, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.exp(s - lse)
    return np.where(np.isfinite(lse), weights, 0.0)


@correct
def torch_masked_fill(scores, mask, axis=-1):
    import torch
    s = torch.from_numpy(scores)
    m = torch.from_numpy(np.broadcast_to(mask, scores.shape).copy())
    weights = torch.softmax(s.masked_fill(~m, float("-inf")), dim=axis)
    return torch.nan_to_num(weights, nan=0.0).numpy()


def _stable(s, axis):
    e = np.exp(s - s.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@wrong("a multiplicative mask: softmax(scores) * mask, not renormalised")
def multiplicative(scores, mask, axis=-1):
    return _stable(scores, axis) * mask


@wrong("softmax(scores * mask)")
def scores_times_mask(scores, mask, axis=-1):
    return _stable(scores * mask, axis)


@wrong("NaN on a fully masked row")
def nan_when_empty(scores, mask, axis=-1):
    return _stable(np.where(mask, scores, -np.inf), axis)


@wrong("NaN on a fully masked row")
def nan_when_empty_mask_after(scores, mask, axis=-1):
    s = np.where(mask, scores, -np.inf)
    e = np.exp(s - s.max(axis=axis, keepdims=True)) * mask
    return e / e.sum(axis=axis, keepdims=True)


@wrong("an unstable softmax (no max subtraction)")
def unstable(scores, mask, axis=-1):
    e = np.exp(scores) * mask
    total = e.sum(axis=axis, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)


@wrong("an unstable softmax (no max subtraction)")
def unstable_where(scores, mask, axis=-1):
    e = np.where(mask, np.exp(scores), 0.0)
    total = e.sum(axis=axis, keepdims=True)
    return np.divide(e, total, out=np.zeros_like(e), where=total != 0)


@wrong("masked entries set to a large negative number like -1e9")
def minus_1e9(scores, mask, axis=-1):
    return _stable(np.where(mask, scores, -1e9), axis)


@wrong("renormalised over the kept ones")
def renormalised(scores, mask, axis=-1):
    weights = _stable(scores, axis) * mask
    total = weights.sum(axis=axis, keepdims=True)
    return np.where(total > 0, weights / np.where(total > 0, total, 1.0), 0.0)


@wrong("masked entries not exactly 0")
def log_epsilon(scores, mask, axis=-1):
    s = scores + np.log(mask + 1e-12)
    weights = _stable(s, axis)
    return np.where(np.any(mask, axis=axis, keepdims=True), weights, 0.0)


@wrong("ignoring `axis`")
def last_axis_only(scores, mask, axis=-1):
    s = np.where(mask, scores, -np.inf)
    top = np.max(s, axis=-1, keepdims=True)
    e = np.exp(s - np.where(np.isfinite(top), top, 0.0))
    total = e.sum(axis=-1, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)


@wrong("the mask inverted")
def inverted_mask(scores, mask, axis=-1):
    s = np.where(mask, -np.inf, scores)
    top = np.max(s, axis=axis, keepdims=True)
    e = np.exp(s - np.where(np.isfinite(top), top, 0.0))
    total = e.sum(axis=axis, keepdims=True)
    return np.where(total > 0, e / np.where(total > 0, total, 1.0), 0.0)


@wrong("not implemented yet")
def unimplemented(scores, mask, axis=-1):
    raise NotImplementedError()


@correct
def loops_over_slices_like_scores(scores, mask, axis=-1):
    mask = np.broadcast_to(mask, scores.shape)
    s = np.moveaxis(scores, axis, -1)
    m = np.moveaxis(mask, axis, -1)
    out = np.zeros_like(s)
    for index in np.ndindex(s.shape[:-1]):
        kept = s[index][m[index]]
        if kept.size:
            e = np.exp(kept - kept.max())
            out[index][m[index]] = e / e.sum()
    return np.moveaxis(out, -1, axis)


@wrong("the largest score masked")
def softmax_then_mask_and_renormalise(scores, mask, axis=-1):
    shifted = np.exp(scores - np.max(scores, axis=axis, keepdims=True))
    kept = np.where(mask, shifted, 0.0)    # exp(1e3 - 1e4) underflows to 0 before the mask
    total = np.sum(kept, axis=axis, keepdims=True)
    return np.where(total > 0, kept / np.where(total > 0, total, 1.0), 0.0)
