"""Plain-data encoding: what crosses from the student's process comes back exactly, and
nothing else comes back as more than a description."""
import json

import numpy as np
import pytest

from autograder.protocol import codec, probes


def roundtrip(obj, **kwargs):
    return codec.loads(codec.dumps(obj, **kwargs))


@pytest.mark.parametrize("array", [
    np.array([[1.5, -0.0], [np.nan, np.inf]]), np.array(3.0), np.arange(6, dtype=np.uint8),
    np.array([True, False]), np.zeros((0, 3)), np.ones((2, 1, 3), dtype=np.float32),
    np.array([1 + 2j]), np.arange(12).reshape(3, 4).T,
], ids=lambda a: f"{a.dtype}{a.shape}")
def test_arrays_come_back_bit_for_bit(array):
    """An array keeps its dtype, shape and every bit of its values (NaN, -0.0, inf)."""
    back = roundtrip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert back.tobytes() == np.ascontiguousarray(array).tobytes()


def test_numpy_scalars_stay_scalars_and_containers_keep_their_kind():
    """A NumPy scalar, a tuple, a list and a dict come back as the same kinds."""
    value = (np.float64(2.5), [1, 2.0, "x", None, True], {"W": np.float32(1)}, 10**30)
    back = roundtrip(value)
    assert type(back) is tuple and type(back[0]) is np.float64 and back[0] == 2.5
    assert back[1] == [1, 2.0, "x", None, True] and type(back[1][1]) is float
    assert type(back[2]["W"]) is np.float32 and back[3] == 10**30


def test_python_floats_keep_nan_and_infinity():
    """Non-finite Python floats survive strict JSON."""
    back = roundtrip([float("nan"), float("-inf")])
    assert np.isnan(back[0]) and back[1] == float("-inf")


def test_a_generator_continues_where_it_was():
    """A Generator arrives in the same state, so both sides draw the same numbers."""
    rng = np.random.default_rng(7)
    rng.random(3)
    back = roundtrip(rng)
    assert np.array_equal(back.random(5), rng.random(5))


def test_probe_functions_cross_by_name_and_others_do_not():
    """A probe function crosses by name; any other function becomes an opaque description."""
    assert roundtrip(probes.sum_of_squares) is probes.sum_of_squares
    assert isinstance(roundtrip(lambda x: x), codec.Opaque)


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # np.matrix, on purpose
def test_foreign_objects_become_descriptions():
    """A subclass, a tensor or a lying object comes back as an Opaque, never as itself."""
    import torch

    class Liar:
        def __eq__(self, other):
            return True

        def __repr__(self):
            raise RuntimeError("no")

    matrix = roundtrip(np.matrix([[1.0, 2.0]]))
    tensor = roundtrip(torch.tensor([1.0, 2.0]))
    liar = roundtrip(Liar())
    assert matrix.type_name == "numpy.matrix" and matrix.values.tolist() == [[1.0, 2.0]]
    assert tensor.type_name == "torch.Tensor" and tensor.values.tolist() == [1.0, 2.0]
    assert liar.type_name.endswith("Liar") and "repr failed" in liar.description
    assert isinstance(roundtrip(np.array([object()], dtype=object)), codec.Opaque)


def test_the_result_that_is_an_argument_says_so():
    """A result that *is* one of the arguments is encoded as a reference to it."""
    out = np.zeros(3)
    assert roundtrip(out, args=(np.ones(3), out)) == codec.ArgRef(1)


@pytest.mark.parametrize("forged", [
    {"__ndarray__": {"dtype": "|O", "shape": [1], "data": ""}},
    {"__pickle__": "gASV"},
    {"__generator__": {"bit_generator": "__class__", "state": {}}},
], ids=["object-array", "unknown-tag", "not-a-bit-generator"])
def test_forged_payloads_are_refused(forged):
    """Decoding refuses anything that is not one of the plain-data tags."""
    with pytest.raises(ValueError):
        codec.loads(json.dumps(forged))
