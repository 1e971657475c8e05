"""Student answers to hadamard_all(*arrays)."""
import functools
import warnings

import numpy as np

from . import check_same_shapes, correct, wrong


@wrong("the result shares memory with the input argument 1")  # one array: itself
def loop(*arrays):
    check_same_shapes(*arrays)
    result = arrays[0]
    for array in arrays[1:]:
        result = result * array
    return result


@wrong("the result shares memory with the input argument 1")  # one array: itself
def reduce_multiply(*arrays):
    check_same_shapes(*arrays)
    return functools.reduce(np.multiply, arrays)


@correct
def prod_of_stack_with_dtype(*arrays):
    check_same_shapes(*arrays)
    return np.prod(np.stack(arrays), axis=0, dtype=np.result_type(*arrays))


@wrong("the result shares memory with the input argument 1")  # one array: itself
def einsum(*arrays):
    check_same_shapes(*arrays)
    letters = "abcdefgh"[:np.ndim(arrays[0])]
    return np.einsum(",".join([letters] * len(arrays)) + "->" + letters, *arrays)


@wrong("has dtype")
def torch_inside(*arrays):
    import torch
    check_same_shapes(*arrays)
    product = torch.from_numpy(np.array(arrays[0]))
    for array in arrays[1:]:
        product = product * torch.from_numpy(np.asarray(array))
    return product.numpy()


@wrong("has dtype")
def copy_then_in_place(*arrays):
    print("multiplying", len(arrays), "arrays")
    warnings.warn("this is only a test", UserWarning)
    check_same_shapes(*arrays)
    result = np.array(arrays[0], copy=True)
    for array in arrays[1:]:
        result *= array
    return result


@wrong("a chain of matrix products")
def matmul_chain(*arrays):
    check_same_shapes(*arrays)
    return functools.reduce(np.matmul, arrays)


@wrong("only the first two arrays multiplied")
def first_two(*arrays):
    check_same_shapes(*arrays)
    if len(arrays) == 1:
        return arrays[0]
    return arrays[0] * arrays[1]


@wrong("an element-wise sum instead of a product")
def element_sum(*arrays):
    check_same_shapes(*arrays)
    return sum(arrays[1:], arrays[0])


@wrong("the sum of all the products")
def summed(*arrays):
    check_same_shapes(*arrays)
    return np.sum(functools.reduce(np.multiply, arrays))


@wrong("no check for zero arrays")
def no_check_for_empty(*arrays):
    for array in arrays[1:]:
        if np.shape(array) != np.shape(arrays[0]):
            raise ValueError("shapes differ")
    result = 1
    for array in arrays:
        result = result * array
    return result


@wrong("no arrays were given")
def reduce_without_empty_check(*arrays):
    for array in arrays[1:]:
        if np.shape(array) != np.shape(arrays[0]):
            raise ValueError("shapes differ")
    return functools.reduce(np.multiply, arrays)


@wrong("the shapes differ")
def checks_only_first_two(*arrays):
    if not arrays:
        raise ValueError("give at least one array")
    if len(arrays) > 1 and np.shape(arrays[0]) != np.shape(arrays[1]):
        raise ValueError("shapes differ")
    return functools.reduce(np.multiply, arrays)


@wrong("widens small integer types")
def prod_without_dtype(*arrays):
    check_same_shapes(*arrays)
    return np.prod(np.stack(arrays), axis=0)


@wrong("changed its input argument 1 in place")
def in_place(*arrays):
    check_same_shapes(*arrays)
    result = arrays[0]
    for array in arrays[1:]:
        result *= array
    return result


@wrong("not implemented yet")
def unimplemented(*arrays):
    raise NotImplementedError()


@correct
def in_place_on_a_copy(*arrays):
    check_same_shapes(*arrays)
    result = np.array(arrays[0], dtype=np.result_type(*arrays))  # a copy: the caller's own
    for array in arrays[1:]:                                   # array is never written
        result *= array
    return result


@correct
def torch_inside_numpy_dtype(*arrays):
    import torch
    check_same_shapes(*arrays)
    product = torch.from_numpy(np.array(arrays[0], dtype=np.result_type(*arrays)))
    for array in arrays[1:]:
        product = product * torch.from_numpy(np.asarray(array))
    return product.numpy().astype(np.result_type(*arrays), copy=False)


@correct
def copy_in_the_promoted_dtype_then_in_place(*arrays):
    print("multiplying", len(arrays), "arrays")
    warnings.warn("this is only a test", UserWarning)
    check_same_shapes(*arrays)
    result = np.array(arrays[0], dtype=np.result_type(*arrays), copy=True)
    for array in arrays[1:]:
        result *= array
    return result
