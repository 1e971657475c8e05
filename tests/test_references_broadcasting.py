"""The references of assignment 02-broadcasting against independent oracles.

Each reference is compared, on many seeded generated inputs, with a computation that shares
no code with it: np.broadcast_shapes, diag matrices and matrix products, explicit loops.
"""
import itertools

import numpy as np
import pytest

from autograder.references.broadcasting import (
    brighten,
    broadcast_shape,
    scale_cols,
    scale_rows,
    squared_error,
)

SEEDS = range(40)


def _shapes(max_ndim, sizes):
    for ndim in range(max_ndim + 1):
        yield from itertools.product(sizes, repeat=ndim)


# --- broadcast_shape -----------------------------------------------------------------------

def _numpy_says(shape_a, shape_b):
    """np.broadcast_shapes's answer, or ValueError (the class) when it refuses."""
    try:
        return np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        return ValueError


def _reference_says(shape_a, shape_b):
    try:
        return broadcast_shape(shape_a, shape_b)
    except ValueError:
        return ValueError


def test_broadcast_shape_every_small_pair():
    """Every pair of shapes with up to 3 axes of sizes 0 to 3: same tuple, or both refuse."""
    shapes = list(_shapes(3, (0, 1, 2, 3)))
    refused = 0
    for shape_a, shape_b in itertools.product(shapes, repeat=2):
        expected = _numpy_says(shape_a, shape_b)
        got = _reference_says(shape_a, shape_b)
        assert got == expected, (shape_a, shape_b, got, expected)
        if expected is ValueError:
            refused += 1
        else:
            assert type(got) is tuple and all(type(n) is int for n in got)
    assert refused > 1000  # the ValueError side is exercised as much as the other


@pytest.mark.parametrize("seed", SEEDS)
def test_broadcast_shape_random_longer_shapes(seed):
    """Seeded shapes of up to 6 axes, built to broadcast or nearly so, agree with NumPy."""
    r = np.random.default_rng(seed)
    for _ in range(50):
        ndim = int(r.integers(0, 7))
        full = r.integers(0, 6, size=ndim)
        pair = []
        for _side in range(2):
            k = int(r.integers(0, ndim + 1))
            sizes = full[ndim - k:].copy()
            sizes[r.random(k) < 0.3] = 1
            sizes[r.random(k) < 0.1] = r.integers(0, 6)  # sometimes breaks compatibility
            pair.append(tuple(int(n) for n in sizes))
        assert _reference_says(*pair) == _numpy_says(*pair), pair


def test_broadcast_shape_value_error_says_why():
    with pytest.raises(ValueError, match=r"\(3,\).*\(4,\)"):
        broadcast_shape((3,), (4,))


def test_broadcast_shape_accepts_lists_and_numpy_ints():
    assert broadcast_shape([2, 1], (np.int64(3),)) == (2, 3)
    assert all(type(n) is int for n in broadcast_shape((np.int64(2), 1), (3,)))


# --- scale_rows and scale_cols ----------------------------------------------------------

def _matrix_and_vector(seed, *, along):
    r = np.random.default_rng(seed)
    m, n = (int(x) for x in r.integers(0, 7, size=2))
    if r.random() < 0.3:
        B = r.integers(-9, 10, size=(m, n))
        d = r.integers(-9, 10, size=(m if along == "rows" else n))
    else:
        B = r.standard_normal((m, n))
        d = r.standard_normal(m if along == "rows" else n)
    return d, B


@pytest.mark.parametrize("seed", SEEDS)
def test_scale_rows_is_diag_d_times_B(seed):
    d, B = _matrix_and_vector(seed, along="rows")
    before = (d.copy(), B.copy())
    got = scale_rows(d, B)
    expected = np.diag(d) @ B
    assert got.shape == B.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(d, before[0])
    np.testing.assert_array_equal(B, before[1])


@pytest.mark.parametrize("seed", SEEDS)
def test_scale_cols_is_B_times_diag_d(seed):
    d, B = _matrix_and_vector(seed, along="cols")
    before = (d.copy(), B.copy())
    got = scale_cols(B, d)
    expected = B @ np.diag(d)
    assert got.shape == B.shape and got.dtype == expected.dtype
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    np.testing.assert_array_equal(d, before[0])
    np.testing.assert_array_equal(B, before[1])


@pytest.mark.parametrize("d_len, B_shape", [(3, (2, 3)), (4, (3, 3)), (0, (1, 2)), (2, (3, 2))])
def test_scale_rows_rejects_wrong_length(d_len, B_shape):
    with pytest.raises(ValueError):
        scale_rows(np.ones(d_len), np.ones(B_shape))


@pytest.mark.parametrize("B_shape, d_len", [((3, 2), 3), ((3, 3), 4), ((2, 1), 0), ((2, 3), 2)])
def test_scale_cols_rejects_wrong_length(B_shape, d_len):
    with pytest.raises(ValueError):
        scale_cols(np.ones(B_shape), np.ones(d_len))


# --- squared_error -----------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_squared_error_is_an_explicit_loop(seed):
    r = np.random.default_rng(seed)
    n = int(r.integers(0, 9))
    values = [r.integers(-9, 10, size=n) if r.random() < 0.25 else r.standard_normal(n)
              for _ in range(2)]
    shaped = [v.reshape(-1, 1) if r.random() < 0.5 else v for v in values]
    got = squared_error(*shaped)
    expected = [(values[0][i] - values[1][i]) ** 2 for i in range(n)]
    assert got.shape == (n,)
    assert got.dtype == np.result_type(*values)
    np.testing.assert_allclose(got, np.array(expected, dtype=got.dtype), rtol=1e-15, atol=0)


@pytest.mark.parametrize("shape_p, shape_t", [((4,), (4, 1)), ((4, 1), (4,)), ((1,), (1, 1))])
def test_squared_error_never_outer(shape_p, shape_t):
    assert squared_error(np.ones(shape_p), np.zeros(shape_t)).shape == (np.prod(shape_p),)


@pytest.mark.parametrize("shape_p, shape_t", [((4,), (5,)), ((4,), (5, 1)), ((3, 1), (2, 1))])
def test_squared_error_rejects_different_sizes(shape_p, shape_t):
    with pytest.raises(ValueError):
        squared_error(np.ones(shape_p), np.ones(shape_t))


# --- brighten ------------------------------------------------------------------------------

def _brighten_by_loop(image, gain):
    """Per pixel and channel: Python's round (halves to even), then clip to [0, 255]."""
    out = np.empty(image.shape, dtype=np.uint8)
    for index in np.ndindex(*image.shape):
        value = round(int(image[index]) * float(gain[index[0], index[1]]))
        out[index] = min(max(value, 0), 255)
    return out


def _gain(r, shape, kind):
    if kind == "zero":
        return np.zeros(shape)
    if kind == "one":
        return np.ones(shape)
    if kind == "halves":  # exact multiples of 0.25: many products end in exactly .5
        return r.integers(0, 13, size=shape) / 4
    if kind == "fractional":
        return r.uniform(0.0, 1.0, size=shape)
    if kind == "large":
        return r.uniform(50.0, 5000.0, size=shape)
    return r.uniform(0.0, 3.0, size=shape)


@pytest.mark.parametrize("kind", ["zero", "one", "halves", "fractional", "large", "mixed"])
@pytest.mark.parametrize("seed", range(8))
def test_brighten_is_a_pixel_loop(seed, kind):
    r = np.random.default_rng(seed)
    height, width = (int(x) for x in r.integers(1, 7, size=2))
    channels = [(), (1,), (3,), (4,)][seed % 4]
    image = r.integers(0, 256, size=(height, width) + channels).astype(np.uint8)
    gain = _gain(r, (height, width), kind)
    before = (image.copy(), gain.copy())
    got = brighten(image, gain)
    assert got.dtype == np.uint8 and got.shape == image.shape
    np.testing.assert_array_equal(got, _brighten_by_loop(image, gain))
    np.testing.assert_array_equal(image, before[0])
    np.testing.assert_array_equal(gain, before[1])


def test_brighten_rounds_halves_to_even_and_clips():
    image = np.array([[1, 3, 5, 7, 200, 255]], dtype=np.uint8)
    gain = np.array([[0.5, 0.5, 0.5, 0.5, 2.0, 1.5]])
    np.testing.assert_array_equal(brighten(image, gain), [[0, 2, 2, 4, 255, 255]])


@pytest.mark.parametrize("image_shape, gain_shape",
                         [((3, 4), (1, 4)), ((3, 4), (4, 3)), ((3, 4, 3), (3, 1)),
                          ((2, 3, 3), (2, 3, 3)), ((3, 4), ()), ((5,), (5,))])
def test_brighten_rejects_gain_of_wrong_shape(image_shape, gain_shape):
    with pytest.raises(ValueError):
        brighten(np.zeros(image_shape, dtype=np.uint8), np.ones(gain_shape))
