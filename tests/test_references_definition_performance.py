"""The references of assignments 01-definition and 05-performance against independent oracles.

Each reference is compared, on many seeded generated inputs, with a computation that shares
no code with it: index loops over Python numbers, functools.reduce, np.trace(A.T @ B),
math.fsum, and for log_hadamard_all exact products in decimal arithmetic and in long double.
The contract's ValueErrors and edge cases (0-d, empty, zero factors, overflow) are tested too.
"""
import copy
import functools
import itertools
import math
import warnings
from decimal import Context, Decimal

import numpy as np
import pytest

from autograder.references.definition import frobenius_inner, hadamard, hadamard_all, hadamard_lists
from autograder.references.performance import hadamard_into, log_hadamard_all

SEEDS = range(30)
DTYPES = (np.float64, np.float32, np.int64, np.int32, np.uint8, np.int8)


def _shape(r, max_ndim=3, max_size=4):
    return tuple(int(n) for n in r.integers(0, max_size + 1, size=int(r.integers(0, max_ndim + 1))))


def _array(r, shape, dtype=np.float64):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return (r.standard_normal(shape) * 3).astype(dtype)
    info = np.iinfo(dtype)
    return r.integers(max(info.min, -50), min(info.max, 50) + 1, size=shape).astype(dtype)


def _different_shapes():
    """Pairs of shapes that differ, many of which NumPy would happily broadcast."""
    return [((2, 3), (3, 2)), ((3,), (3, 1)), ((2, 3), (1, 3)), ((3, 1), (1, 3)), ((), (1,)),
            ((4,), (1,)), ((2, 2), (2, 2, 1)), ((0, 3), (3,)), ((6,), (2, 3))]


# --- hadamard_lists -----------------------------------------------------------------------

def _nested(r, rows, cols, kind):
    def number():
        if kind == "int" or (kind == "mixed" and r.random() < 0.5):
            return int(r.integers(-20, 21))
        return float(r.standard_normal() * 5)
    return [[number() for _ in range(cols)] for _ in range(rows)]


@pytest.mark.parametrize("seed", SEEDS)
def test_hadamard_lists_matches_index_loops(seed):
    """Nested lists of ints, floats or both: the same numbers, of the same Python types, as
    an index loop, in new lists, with the inputs left alone."""
    r = np.random.default_rng(seed)
    for kind in ("int", "float", "mixed"):
        rows, cols = int(r.integers(0, 5)), int(r.integers(0, 5))
        A, B = _nested(r, rows, cols, kind), _nested(r, rows, cols, kind)
        A_before, B_before = copy.deepcopy(A), copy.deepcopy(B)
        got = hadamard_lists(A, B)
        expected = [[A[i][j] * B[i][j] for j in range(cols)] for i in range(rows)]
        assert type(got) is list and all(type(row) is list for row in got)
        assert got == expected
        assert [[type(x) for x in row] for row in got] == \
            [[type(x) for x in row] for row in expected]
        assert A == A_before and B == B_before
        assert all(row is not a and row is not b for row in got for a in A for b in B)


def test_hadamard_lists_empty_shapes():
    """[] is 0x0 and [[], []] is 2x0: each times itself is itself; they differ from each other."""
    assert hadamard_lists([], []) == []
    assert hadamard_lists([[], []], [[], []]) == [[], []]
    with pytest.raises(ValueError):
        hadamard_lists([], [[]])


def test_hadamard_lists_large_ints_stay_exact():
    """Python ints do not wrap around as int64 would."""
    assert hadamard_lists([[2 ** 62]], [[2 ** 62]]) == [[2 ** 124]]


@pytest.mark.parametrize("A, B", [
    ([[1, 2, 3], [4, 5, 6]], [[1, 2], [3, 4]]),
    ([[1, 2], [3, 4], [5, 6]], [[1, 2, 3], [4, 5, 6]]),
    ([[1, 2, 3]], [[1], [2], [3]]),
    ([[1, 2, 3], [4, 5]], [[1, 2, 3], [4, 5, 6]]),
    ([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5]]),
    ([[1, 2], [3]], [[4, 5], [6]]),
])
def test_hadamard_lists_rejects_different_or_ragged(A, B):
    """Lists of different shapes, or ragged lists, raise ValueError with a message."""
    with pytest.raises(ValueError, match=r"\w"):
        hadamard_lists(A, B)


# --- hadamard -------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_hadamard_matches_loops(seed):
    """Any shape (0-d to 3-d, empty included) and dtype: each entry is the product of the two
    entries at that index, in NumPy's promoted dtype."""
    r = np.random.default_rng(seed)
    for dtype_a, dtype_b in itertools.product(DTYPES[:3], repeat=2):
        shape = _shape(r)
        A, B = _array(r, shape, dtype_a), _array(r, shape, dtype_b)
        got = hadamard(A, B)
        assert got.shape == shape and got.dtype == np.result_type(A, B)
        for index in np.ndindex(shape):
            assert got[index] == A[index] * B[index]


@pytest.mark.parametrize("shape_a, shape_b", _different_shapes())
def test_hadamard_rejects_different_shapes(shape_a, shape_b):
    with pytest.raises(ValueError, match="shapes differ"):
        hadamard(np.ones(shape_a), np.ones(shape_b))


# --- hadamard_all ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_hadamard_all_matches_reduce(seed):
    """1 to 5 arrays of one shape: exactly functools.reduce(np.multiply, arrays), same dtype,
    the inputs unchanged, and the result never one of the inputs."""
    r = np.random.default_rng(seed)
    for count in range(1, 6):
        dtype = DTYPES[int(r.integers(len(DTYPES)))]
        shape = _shape(r)
        arrays = [_array(r, shape, dtype) for _ in range(count)]
        before = [a.copy() for a in arrays]
        got = hadamard_all(*arrays)
        with np.errstate(over="ignore"):
            expected = functools.reduce(np.multiply, arrays)
        assert np.shape(got) == shape
        assert np.asarray(got).dtype == np.asarray(expected).dtype
        np.testing.assert_array_equal(got, expected)
        for a, b in zip(arrays, before):
            np.testing.assert_array_equal(a, b)
        assert not any(np.shares_memory(got, a) for a in arrays)


def test_hadamard_all_mixed_dtypes_promote_like_reduce():
    """int64, float64 and uint8 together promote as the left-to-right product does."""
    arrays = [np.arange(6).reshape(2, 3), np.full((2, 3), 0.5), np.full((2, 3), 3, np.uint8)]
    got = hadamard_all(*arrays)
    assert got.dtype == np.float64
    np.testing.assert_array_equal(got, np.arange(6).reshape(2, 3) * 1.5)


def test_hadamard_all_uint8_wraps_around():
    a = np.array([200, 16], np.uint8)
    got = hadamard_all(a, a, np.array([1, 2], np.uint8))
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, [(200 * 200) % 256, (16 * 16 * 2) % 256])


def test_hadamard_all_of_one_array_is_a_copy():
    a = np.arange(4.0)
    got = hadamard_all(a)
    got[0] = 99.0
    assert a[0] == 0.0


# hadamard_all and log_hadamard_all share one contract for their arguments.
PRODUCTS_OF_ARRAYS = pytest.mark.parametrize("function", [hadamard_all, log_hadamard_all],
                                             ids=lambda function: function.__name__)


@PRODUCTS_OF_ARRAYS
def test_products_of_arrays_reject_no_arrays(function):
    with pytest.raises(ValueError, match="at least one"):
        function()


@PRODUCTS_OF_ARRAYS
@pytest.mark.parametrize("shape_a, shape_b", _different_shapes())
@pytest.mark.parametrize("position", range(3))
def test_products_of_arrays_reject_different_shapes(function, shape_a, shape_b, position):
    """One array of another shape, in any position, raises ValueError."""
    arrays = [np.ones(shape_a)] * 3
    arrays[position] = np.ones(shape_b)
    with pytest.raises(ValueError, match="shapes differ"):
        function(*arrays)


# --- frobenius_inner ------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_frobenius_inner_matches_trace_and_fsum(seed):
    """Matrices of floats or ints: a Python float equal to trace(Aᵀ B) and to the exactly
    rounded sum of the products (math.fsum)."""
    r = np.random.default_rng(seed)
    for dtype in (np.float64, np.int64):
        shape = (int(r.integers(0, 6)), int(r.integers(0, 6)))
        A, B = _array(r, shape, dtype), _array(r, shape, dtype)
        before = A.copy(), B.copy()
        got = frobenius_inner(A, B)
        assert type(got) is float
        by_trace = float(np.trace(A.T.astype(float) @ B.astype(float)))
        by_fsum = math.fsum(float(a) * float(b) for a, b in zip(A.ravel(), B.ravel()))
        scale = math.fsum(abs(float(a) * float(b)) for a, b in zip(A.ravel(), B.ravel()))
        assert got == pytest.approx(by_fsum, rel=1e-12, abs=1e-12 * scale)
        assert got == pytest.approx(by_trace, rel=1e-12, abs=1e-12 * scale)
        np.testing.assert_array_equal(A, before[0])
        np.testing.assert_array_equal(B, before[1])


def test_frobenius_inner_of_int_matrices_is_exact():
    A = np.array([[1, -2], [3, 4]])
    B = np.array([[5, 6], [-7, 8]])
    got = frobenius_inner(A, B)
    assert type(got) is float and got == 1 * 5 - 2 * 6 - 3 * 7 + 4 * 8


def test_frobenius_inner_of_empty_matrices_is_zero():
    got = frobenius_inner(np.zeros((0, 3)), np.zeros((0, 3)))
    assert type(got) is float and got == 0.0


@pytest.mark.parametrize("shape_a, shape_b", _different_shapes())
def test_frobenius_inner_rejects_different_shapes(shape_a, shape_b):
    """Different shapes raise ValueError, also where the sizes agree or * broadcasts."""
    with pytest.raises(ValueError, match="shapes differ"):
        frobenius_inner(np.ones(shape_a), np.ones(shape_b))


# --- hadamard_into --------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_hadamard_into_writes_into_out_and_returns_it(seed):
    """The result is `out` itself, which now holds the loop's products in out's own dtype;
    A and B are unchanged."""
    r = np.random.default_rng(seed)
    for dtype, out_dtype in [(np.float64, np.float64), (np.int64, np.int64),
                             (np.uint8, np.uint8), (np.int64, np.float64)]:
        shape = _shape(r)
        A, B = _array(r, shape, dtype), _array(r, shape, dtype)
        out = np.array(_array(r, shape, out_dtype) + 7)  # garbage: nothing passes by accident
        before = A.copy(), B.copy()
        address = out.__array_interface__["data"][0]
        got = hadamard_into(A, B, out)
        assert got is out
        assert out.dtype == out_dtype and out.shape == shape
        assert out.__array_interface__["data"][0] == address
        with np.errstate(over="ignore"):  # uint8 wraps around, as it must
            for index in np.ndindex(shape):
                assert out[index] == out_dtype(A[index] * B[index])
        np.testing.assert_array_equal(A, before[0])
        np.testing.assert_array_equal(B, before[1])


def test_hadamard_into_a_view_writes_through_to_its_base():
    base = np.zeros((4, 4))
    view = base[::2, 1::2]
    hadamard_into(np.full((2, 2), 2.0), np.full((2, 2), 3.0), view)
    np.testing.assert_array_equal(base[::2, 1::2], np.full((2, 2), 6.0))
    assert base.sum() == 24.0


def test_hadamard_into_0d():
    out = np.zeros(())
    assert hadamard_into(np.array(2.0), np.array(-3.0), out) is out and out == -6.0


@pytest.mark.parametrize("shape_a, shape_b", _different_shapes())
def test_hadamard_into_rejects_different_shapes_and_leaves_out_alone(shape_a, shape_b):
    out = np.full(shape_a, 5.0)
    with pytest.raises(ValueError, match="shapes differ"):
        hadamard_into(np.ones(shape_a), np.ones(shape_b), out)
    assert np.all(out == 5.0)


@pytest.mark.parametrize("out_shape", [(2, 3), (1, 3), (3, 1), (), (4,)])
def test_hadamard_into_rejects_out_of_another_shape(out_shape):
    """An out whose shape differs from A's and B's raises, even where np.multiply would
    broadcast into it."""
    out = np.full(out_shape, 5.0)
    with pytest.raises(ValueError, match="shapes differ"):
        hadamard_into(np.ones(3), np.ones(3), out)
    assert np.all(out == 5.0)


# --- log_hadamard_all -----------------------------------------------------------------------

DECIMAL = Context(prec=50, Emax=10 ** 6, Emin=-10 ** 6)


def _exact(values):
    """(sign, log|product|) of Python floats, from their exact product in decimal."""
    product = functools.reduce(DECIMAL.multiply, (Decimal(v) for v in values), Decimal(1))
    if product == 0:
        return 0.0, -math.inf
    return (1.0 if product > 0 else -1.0), float(DECIMAL.ln(abs(product)))


def _wide_floats(r, shape, zeros=0.1):
    """Signed floats from 1e-300 to 1e300, some exactly zero."""
    magnitudes = 10.0 ** r.uniform(-300, 300, size=shape)
    values = np.array(r.choice([-1.0, 1.0], size=shape) * magnitudes)
    values[r.random(shape) < zeros] = 0.0
    return values


def _check_against(got, oracle_sign, oracle_logabs):
    sign, logabs = got
    np.testing.assert_array_equal(sign, oracle_sign)
    np.testing.assert_allclose(logabs, oracle_logabs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_log_hadamard_all_matches_exact_decimal_products(seed):
    """Factors from 1e-300 to 1e300 with zeros: sign and log|product| equal those of the exact
    product, far beyond float64's range (a zero factor: sign 0, logabs -inf)."""
    r = np.random.default_rng(seed)
    for count in range(1, 7):
        shape = _shape(r, max_ndim=2)
        arrays = [_wide_floats(r, shape) for _ in range(count)]
        got = log_hadamard_all(*arrays)
        oracle = [_exact([float(a[index]) for a in arrays]) for index in np.ndindex(shape)]
        _check_against(got, np.reshape([s for s, _ in oracle], shape),
                       np.reshape([log for _, log in oracle], shape))


@pytest.mark.skipif(np.log10(np.finfo(np.longdouble).max) < 4000,
                    reason="long double is no wider than double here")
@pytest.mark.parametrize("seed", SEEDS)
def test_log_hadamard_all_matches_long_double_products(seed):
    """The same factors, multiplied in 80-bit long double (range 1e±4932), which holds
    products that overflow or underflow float64."""
    r = np.random.default_rng(seed)
    arrays = [_wide_floats(r, (3, 4), zeros=0.05) for _ in range(5)]
    product = functools.reduce(np.multiply, [a.astype(np.longdouble) for a in arrays])
    with np.errstate(divide="ignore"):
        oracle_logabs = np.log(np.abs(product)).astype(np.float64)
    _check_against(log_hadamard_all(*arrays), np.sign(product).astype(np.float64),
                   oracle_logabs)


@pytest.mark.parametrize("seed", SEEDS)
def test_log_hadamard_all_matches_math_prod_in_range(seed):
    """Ordinary factors (floats, or ints) whose product stays in range: sign and log|x| of
    math.prod over Python numbers; the inputs are unchanged."""
    r = np.random.default_rng(seed)
    for dtype in (np.float64, np.int64):
        shape = _shape(r)
        arrays = [_array(r, shape, dtype) for _ in range(int(r.integers(1, 5)))]
        before = [a.copy() for a in arrays]
        sign, logabs = log_hadamard_all(*arrays)
        assert np.shape(sign) == shape and np.shape(logabs) == shape
        for index in np.ndindex(shape):
            product = math.prod(a[index].item() for a in arrays)
            assert sign[index] == (product > 0) - (product < 0)
            if product == 0:
                assert logabs[index] == -math.inf
            else:
                assert logabs[index] == pytest.approx(math.log(abs(product)), rel=1e-12,
                                                      abs=1e-12)
        for a, b in zip(arrays, before):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int16, np.float32])
def test_log_hadamard_all_small_dtypes_in_full_precision(dtype):
    """Small dtypes (np.log of int8 or uint8 is only float16; np.abs(int8(-128)) wraps) still
    give float64 logs of the true magnitudes."""
    info = np.iinfo(dtype) if np.dtype(dtype).kind in "iu" else None
    values = [info.min, info.max, 3, 0] if info else [-1e30, 3.0, 7.5, 0.0]
    a = np.array(values, dtype=dtype)
    b = np.array([2, 1, 3, 5], dtype=dtype)
    sign, logabs = log_hadamard_all(a, b)
    assert logabs.dtype == np.float64
    for i, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        product = x * y
        assert sign[i] == (product > 0) - (product < 0)
        expected = math.log(abs(product)) if product else -math.inf
        assert logabs[i] == pytest.approx(expected, rel=1e-12)


def test_log_hadamard_all_where_the_plain_product_fails():
    """1e200³ overflows and 1e-200³ underflows in float64; 1e300 · 1e300 · 1e-300 overflows
    midway. Log space gets all three right, signs included."""
    huge = np.array([1e200, -1e200])
    tiny = np.array([1e-200, -1e-200])
    sign, logabs = log_hadamard_all(huge, huge, huge)
    np.testing.assert_array_equal(sign, [1.0, -1.0])
    np.testing.assert_allclose(logabs, 600 * math.log(10), rtol=1e-14)
    sign, logabs = log_hadamard_all(tiny, tiny, tiny)
    np.testing.assert_array_equal(sign, [1.0, -1.0])
    np.testing.assert_allclose(logabs, -600 * math.log(10), rtol=1e-14)
    sign, logabs = log_hadamard_all(np.array(1e300), np.array(-1e300), np.array(1e-300))
    assert sign == -1.0 and logabs == pytest.approx(300 * math.log(10), rel=1e-14)


def test_log_hadamard_all_zero_factor():
    """A zero anywhere gives sign 0 and logabs -inf, even next to a huge factor."""
    sign, logabs = log_hadamard_all(np.array([0.0, 2.0, -0.0]), np.array([1e300, 0.0, -3.0]))
    np.testing.assert_array_equal(sign, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(logabs, [-np.inf, -np.inf, -np.inf])


def test_log_hadamard_all_0d_and_sign_values():
    sign, logabs = log_hadamard_all(np.array(-3.0), np.array(0.5), np.array(-2.0))
    assert np.shape(sign) == () and sign == 1.0 and logabs == pytest.approx(math.log(3.0))
    signs, _ = log_hadamard_all(np.array([-1.0, 2.0, 0.0, -4.0]))
    assert set(np.unique(signs)) <= {-1.0, 0.0, 1.0}


def test_log_hadamard_all_raises_no_floating_point_warning():
    """Zeros and extreme values, with every NumPy floating-point error raising and warnings
    as errors: the reference still answers."""
    arrays = [np.array([0.0, 1e300, -1e-300, 5.0])] * 4
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        sign, logabs = log_hadamard_all(*arrays)
    np.testing.assert_array_equal(sign, [0.0, 1.0, 1.0, 1.0])
    assert logabs[0] == -np.inf and np.all(np.isfinite(logabs[1:]))
