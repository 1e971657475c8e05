"""Argument checks shared by the references: the contract's ValueErrors, worded for students."""
import numpy as np


def same_shapes(*arrays):
    shapes = [np.shape(a) for a in arrays]
    if any(s != shapes[0] for s in shapes):
        raise ValueError(f"shapes differ: {', '.join(map(str, shapes))}; "
                         "the Hadamard product needs equal shapes")


def sigmoid(t):
    """Logistic function without overflow warnings for large |t|."""
    return np.exp(-np.logaddexp(0.0, -t))
