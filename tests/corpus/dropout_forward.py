"""Student answers to dropout_forward(x, p, rng, train=True).

The correct ones draw their masks from rng in every common way: none may lose a mark.
"""
import copy
import warnings

import numpy as np

from . import correct, wrong


def _check_p(p):
    if not 0 <= p < 1:
        raise ValueError(f"p must be in [0, 1), got {p}")


@correct
def random_at_least_p(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


@correct
def random_above_p(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x, np.ones_like(x, dtype=bool)   # x itself, not a copy
    mask = rng.random(x.shape) > p
    return x * mask / (1 - p), mask


@correct
def random_below_keep(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.full(x.shape, True)
    keep = 1 - p
    mask = rng.random(size=x.shape) < keep
    return np.where(mask, x / keep, 0.0).astype(x.dtype), mask


@correct
def uniform(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return np.array(x), np.ones(x.shape, dtype=np.bool_)
    mask = rng.uniform(0.0, 1.0, x.shape) >= p
    return mask * x / (1.0 - p), mask


@correct
def binomial(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.binomial(1, 1 - p, size=x.shape).astype(bool)
    return x * mask / (1 - p), mask


@correct
def choice(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.choice([True, False], size=x.shape, p=[1 - p, p])
    return x * mask * (1 / (1 - p)), mask


@correct
def loops_and_warns(x, p, rng, train=True):
    _check_p(p)
    print("dropout with p =", p, "train =", train)
    warnings.warn("loops are slow", UserWarning)
    mask = np.ones(x.shape, dtype=bool)
    out = x.copy()
    if train:
        draws = rng.random(x.shape)
        for index in np.ndindex(x.shape):
            mask[index] = draws[index] >= p
            out[index] = x[index] / (1 - p) if mask[index] else 0
    return out, mask


@correct
def torch_inside(x, p, rng, train=True):
    import torch
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    out = torch.from_numpy(x) * torch.from_numpy(mask) / (1 - p)
    return out.numpy(), mask


@wrong("dropout without the 1/(1 - p) scaling")
def no_scaling(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask, mask


@wrong("multiplying by (1 - p) instead of dividing")
def times_keep(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask * (1 - p), mask


@wrong("p used as the keep probability (kept fraction ≈ p)")
def keep_probability(x, p, rng, train=True):   # CS231n's convention
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) < p
    return x * mask / (1 - p), mask


@wrong("p used as the keep probability")
def keep_probability_scaled(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) < p
    with np.errstate(divide="ignore", invalid="ignore"):
        return x * mask / p, mask


@wrong("the drop mask returned instead of the keep mask")
def drop_mask(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    dropped = rng.random(x.shape) < p
    return x * ~dropped / (1 - p), dropped


@wrong("a mask not drawn from rng")
def global_random(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = np.random.rand(*x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("a mask not drawn from rng")
def fixed_seed(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = np.random.default_rng(0).random(x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("rng was not advanced")
def copy_of_rng(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = copy.deepcopy(rng).random(x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("dropping at eval time (train=False)")
def ignores_train(x, p, rng, train=True):
    _check_p(p)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("scaling at eval time (train=False)")
def scales_at_eval(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x * (1 - p), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("drawing from rng at eval time (train=False)")
def draws_at_eval(x, p, rng, train=True):
    _check_p(p)
    mask = rng.random(x.shape) >= p
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    return x * mask / (1 - p), mask


@wrong("the mask has dtype float64, expected bool")
def float_mask(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape)
    mask = (rng.random(x.shape) >= p).astype(float)
    return x * mask / (1 - p), mask


@wrong("result[0] has dtype float64, expected float32")
def float64_scales(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * (mask / (1 - p)), mask


@wrong("the result should be a tuple (out, mask)")
def out_only(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy()
    return x * (rng.random(x.shape) >= p) / (1 - p)


@wrong("expected ValueError")
def no_validation(x, p, rng, train=True):
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    with np.errstate(all="ignore"):
        return x * mask / (1 - p), mask


@wrong("changed its input x in place")
def in_place(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x, np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    x *= mask / (1 - p)
    return x, mask


@wrong("not implemented yet")
def unimplemented(x, p, rng, train=True):
    raise NotImplementedError()


@wrong("ValueError for p = NaN")
def comparisons_let_nan_through(x, p, rng, train=True):
    if p < 0 or p >= 1:        # every comparison with NaN is False
        raise ValueError(f"p must satisfy 0 <= p < 1, got {p}")
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = rng.random(x.shape) >= p
    return x * mask / (1 - p), mask


@wrong("p used as the keep probability, with the scaling folded into a float mask")
def keep_probability_float_mask(x, p, rng, train=True):
    _check_p(p)
    if not train:
        return x.copy(), np.ones(x.shape, dtype=bool)
    mask = (rng.random(x.shape) < p) / p      # the keep-probability habit of some notes
    return x * mask, mask
