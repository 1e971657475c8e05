"""Comparison goes type, shape, dtype, then values, and says exactly what differs."""
import numpy as np
import pytest

from autograder.checking.compare import Mismatch, compare
from autograder.protocol.codec import Opaque


def test_equal_results_match():
    """Equal arrays, scalars and containers give no mismatch."""
    assert compare(np.arange(3.0), np.arange(3.0)) is None
    assert compare((np.float64(2.0), {"W": np.ones(2)}), (np.float64(2.0), {"W": np.ones(2)})) \
        is None


@pytest.mark.parametrize("got, expected, mismatch", [
    ([1.0, 2.0], np.array([1.0, 2.0]),
     Mismatch("type", "result should be a NumPy array, but it is a list")),
    (Opaque("torch.Tensor", "tensor([1.])", np.array([1.0])), np.array([1.0]),
     Mismatch("type", "result should be a NumPy array, but it is a torch.Tensor "
                                "(convert a tensor with .detach().numpy())")),
    (np.ones((4, 4)), np.ones(4),
     Mismatch("shape", "result has shape (4, 4), expected (4,)")),
    (np.ones((3, 1)), np.ones(3),
     Mismatch("shape", "result has shape (3, 1), expected (3,)")),
    (np.ones(3, np.float32), np.ones(3),
     Mismatch("dtype", "result has dtype float32, expected float64")),
    (np.array([1.0, 2.0, 3.5, 4.0]), np.array([1.0, 2.0, 3.0, 5.0]),
     Mismatch("values", "result: 2 of 4 entries differ (tolerance 1e-07 relative); "
                                  "first at [2]: got 3.5, expected 3")),
    ([np.ones(2), np.ones(2)], (np.ones(2), np.ones(2)),
     Mismatch("type", "result should be a tuple, but it is a list")),
    ((np.ones(2), np.zeros(2)), (np.ones(2), np.ones(2)),
     Mismatch("values", "result[1]: 2 of 2 entries differ (tolerance 1e-07 "
                                     "relative); first at [0]: got 0, expected 1")),
    ({"b": 1.0}, {"b": 1.0, "W": 2.0},
     Mismatch("keys", "result has keys ['b'], expected ['W', 'b']")),
    (3, 3.0, Mismatch("type", "result should be a Python float, but it is an int")),
    (np.array(3.0), 3.0,
     Mismatch("type", "result should be a Python float, but it is a numpy.ndarray")),
    ([3, 4], (3, 4), Mismatch("type", "result should be a tuple, but it is a list")),
], ids=["list-for-array", "tensor", "outer-product", "column", "float32", "values",
        "list-for-tuple", "second-item", "keys", "int-for-float", "0d-for-float",
        "list-shape"])
def test_first_difference_is_reported_in_full(got, expected, mismatch):
    """The first difference, coarse to fine, with a message for the student."""
    assert compare(got, expected) == mismatch


def test_nan_must_match_nan_and_nothing_else():
    """NaN where NaN is expected matches; NaN where a number is expected does not."""
    assert compare(np.array([np.nan, 1.0]), np.array([np.nan, 1.0])) is None
    found = compare(np.array([np.nan, 0.0]), np.array([0.0, 0.0]))
    assert found.kind == "values" and "got nan, expected 0" in found.message


def test_tolerance_scales_with_the_reference():
    """Rounding-level differences pass; a relative error of 1e-5 does not."""
    expected = np.array([1e6, 1.0])
    assert compare(expected * (1 + 1e-12), expected) is None
    assert compare(expected * (1 + 1e-5), expected) is not None


def test_integers_and_numpy_floats_are_numbers_where_due():
    """np.float64 is a Python float and np.int64 an int, so both are accepted."""
    assert compare(np.float64(2.0), 2.0) is None
    assert compare((np.int64(3), 4), (3, 4)) is None
    assert compare(True, 1).kind == "type"


def test_dtype_can_be_left_open_where_the_contract_does():
    """A path named in dtype_free compares values without its dtype."""
    assert compare((np.ones(2, np.int64), np.ones(2)), (np.ones(2), np.ones(2)),
                   dtype_free={"result[0]"}) is None
