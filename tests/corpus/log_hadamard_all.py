"""Student answers to log_hadamard_all(*arrays)."""
import math
import warnings

import numpy as np

from . import check_same_shapes, correct, wrong


@correct
def loop(*arrays):
    check_same_shapes(*arrays)
    sign = np.ones(np.shape(arrays[0]))
    logabs = np.zeros(np.shape(arrays[0]))
    with np.errstate(divide="ignore"):
        for array in arrays:
            sign = sign * np.sign(array)
            logabs = logabs + np.log(np.abs(array))
    return sign, logabs


@correct
def stacked_with_int_sign(*arrays):
    check_same_shapes(*arrays)
    stack = np.stack([np.asarray(a, dtype=float) for a in arrays])
    sign = np.prod(np.sign(stack), axis=0).astype(np.int8)
    with np.errstate(divide="ignore"):
        logabs = np.sum(np.log(np.abs(stack)), axis=0)
    return sign, logabs


@correct
def counts_negatives_and_zeros(*arrays):
    check_same_shapes(*arrays)
    stack = np.stack([np.asarray(a, dtype=float) for a in arrays])
    negatives = np.sum(stack < 0, axis=0)
    has_zero = np.any(stack == 0, axis=0)
    sign = np.where(has_zero, 0, np.where(negatives % 2 == 1, -1, 1))
    logabs = np.where(has_zero, -np.inf,
                      np.sum(np.log(np.abs(np.where(stack == 0, 1.0, stack))), axis=0))
    return sign, logabs


@wrong("this exercise must warn of nothing")
def warns_on_log_of_zero(*arrays):
    print("combining", len(arrays), "arrays in log space")
    check_same_shapes(*arrays)
    sign = np.prod([np.sign(a) for a in arrays], axis=0)
    logabs = np.sum([np.log(np.abs(np.asarray(a, dtype=float))) for a in arrays], axis=0)
    return sign, logabs


@correct
def python_floats_per_entry(*arrays):
    check_same_shapes(*arrays)
    shape = np.shape(arrays[0])
    sign = np.empty(shape)
    logabs = np.empty(shape)
    for index in np.ndindex(shape):
        values = [float(a[index]) for a in arrays]
        if 0.0 in values:
            sign[index], logabs[index] = 0.0, -math.inf
        else:
            sign[index] = math.prod(math.copysign(1.0, v) for v in values)
            logabs[index] = math.fsum(math.log(abs(v)) for v in values)
    return sign, logabs


@correct
def torch_inside(*arrays):
    import torch
    check_same_shapes(*arrays)
    stack = torch.stack([torch.from_numpy(np.asarray(a, dtype=np.float64)) for a in arrays])
    sign = torch.prod(torch.sign(stack), dim=0)
    logabs = torch.sum(torch.log(torch.abs(stack)), dim=0)
    return sign.numpy(), logabs.numpy()


@wrong("the plain product taken before the log")
def product_first(*arrays):
    check_same_shapes(*arrays)
    product = arrays[0]
    for array in arrays[1:]:
        product = product * array
    return np.sign(product), np.log(np.abs(product))


@wrong("the log of a negative number (NaN): |x| is missing")
def no_abs(*arrays):
    check_same_shapes(*arrays)
    sign = np.prod([np.sign(a) for a in arrays], axis=0)
    return sign, np.sum([np.log(a) for a in arrays], axis=0)


@wrong("the sign ignored (always +1)")
def sign_ignored(*arrays):
    check_same_shapes(*arrays)
    return np.ones(np.shape(arrays[0])), sum(np.log(np.abs(a)) for a in arrays)


@wrong("the sign ignored and the log of a negative number taken")
def sign_ignored_and_no_abs(*arrays):
    check_same_shapes(*arrays)
    return np.ones(np.shape(arrays[0])), sum(np.log(a) for a in arrays)


@wrong("a zero factor giving NaN")
def sign_by_division(*arrays):
    check_same_shapes(*arrays)
    sign = np.prod([a / np.abs(a) for a in arrays], axis=0)
    return sign, sum(np.log(np.abs(a)) for a in arrays)


@wrong("a zero factor not giving sign 0")
def sign_from_negatives(*arrays):
    check_same_shapes(*arrays)
    negatives = sum((a < 0).astype(int) for a in arrays)
    return (-1.0) ** negatives, sum(np.log(np.abs(a)) for a in arrays)


@wrong("zero factors skipped")
def zeros_skipped(*arrays):
    check_same_shapes(*arrays)
    sign = np.prod([np.sign(a) for a in arrays], axis=0)
    logabs = sum(np.log(np.abs(np.where(a == 0, 1, a))) for a in arrays)
    return sign, logabs


@wrong("(logabs, sign) returned instead of (sign, logabs)")
def swapped(*arrays):
    check_same_shapes(*arrays)
    sign = np.prod([np.sign(a) for a in arrays], axis=0)
    return sum(np.log(np.abs(a)) for a in arrays), sign


@wrong("only logabs returned")
def only_logabs(*arrays):
    check_same_shapes(*arrays)
    return sum(np.log(np.abs(a)) for a in arrays)


@wrong("no arrays were given")
def no_check_for_empty(*arrays):
    for array in arrays[1:]:
        if np.shape(array) != np.shape(arrays[0]):
            raise ValueError("shapes differ")
    return (np.prod([np.sign(a) for a in arrays], axis=0),
            np.sum([np.log(np.abs(a)) for a in arrays], axis=0))


@wrong("no shape check: the arrays were broadcast")
def broadcasts(*arrays):
    if not arrays:
        raise ValueError("give at least one array")
    return (np.prod([np.sign(a) for a in np.broadcast_arrays(*arrays)], axis=0),
            sum(np.log(np.abs(a)) for a in arrays))


@wrong("not implemented yet")
def unimplemented(*arrays):
    raise NotImplementedError()


@correct
def silenced_with_catch_warnings(*arrays):
    check_same_shapes(*arrays)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)    # log(0) = -inf on purpose
        logs = [np.log(np.abs(a)) for a in arrays]
    return np.prod([np.sign(a) for a in arrays], axis=0), np.sum(logs, axis=0)


@wrong("this exercise must warn of nothing")
def naive_log_of_zero(*arrays):
    check_same_shapes(*arrays)
    return (np.prod([np.sign(a) for a in arrays], axis=0),
            np.sum([np.log(np.abs(a)) for a in arrays], axis=0))


@wrong("log10 instead of the natural log")
def base_ten_logs(*arrays):
    check_same_shapes(*arrays)
    with np.errstate(divide="ignore"):
        logs = [np.log10(np.abs(a)) for a in arrays]
    return np.prod([np.sign(a) for a in arrays], axis=0), np.sum(logs, axis=0)
