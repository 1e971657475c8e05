"""Checks of log_hadamard_all(*arrays): the product of equal-shape arrays as (sign, logabs)."""
import functools

import numpy as np
import pytest

from autograder.checking.cases import floats, ints
from autograder.checking.compare import compare
from autograder.checking.expect import (
    Case,
    cases,
    expect_no_warnings,
    expect_raises,
    expect_same,
    points,
)
from autograder.checking.mistakes import DoesNotApply, Mistake

SECTION_RANGE = "Numerical range: products in log space"
SECTION_SIGNS = "Signs and zeros in log space"


def _arrays_needed(arrays):
    if not arrays:
        raise DoesNotApply()
    return arrays


def _sign(arrays):
    return functools.reduce(np.multiply, [np.sign(a) for a in _arrays_needed(arrays)])


def _logabs(arrays):
    return sum(np.log(np.abs(a)) for a in _arrays_needed(arrays))


def _product(arrays):
    """The plain product, where it leaves the float range (else this mistake cannot show)."""
    product = functools.reduce(np.multiply, _arrays_needed(arrays))
    out_of_range = ~np.isfinite(product) | ((product == 0) & (_sign(arrays) != 0))
    if not np.any(out_of_range):
        raise DoesNotApply()
    return product


def _broadcast(*arrays):
    """The right answer, for arrays that only broadcast to a common shape."""
    if len({np.shape(a) for a in _arrays_needed(arrays)}) == 1:
        raise DoesNotApply()
    arrays = np.broadcast_arrays(*arrays)
    return _sign(arrays), _logabs(arrays)


def _where_wrong(model):
    """The model, applied only where it gives something else than the right answer: a sign
    mistake cannot show without negatives, nor a zero mistake without zeros."""
    def applied(*arrays):
        produced = model(*_arrays_needed(arrays))
        right = _sign(arrays), _logabs(arrays)
        if compare(produced, right, check_dtype=False) is None:
            raise DoesNotApply()
        return produced
    return applied


@_where_wrong
def _product_first(*arrays):
    product = _product(arrays)
    return np.sign(product), np.log(np.abs(product))


@_where_wrong
def _product_first_for_logabs(*arrays):
    return _sign(arrays), np.log(np.abs(_product(arrays)))


@_where_wrong
def _no_abs(*arrays):
    return _sign(arrays), sum(np.log(a) for a in arrays)


@_where_wrong
def _no_sign_no_abs(*arrays):
    return np.ones(np.shape(arrays[0])), sum(np.log(a) for a in arrays)


@_where_wrong
def _no_sign(*arrays):
    return np.ones(np.shape(arrays[0])), _logabs(arrays)


@_where_wrong
def _sign_by_division(*arrays):
    return functools.reduce(np.multiply, [a / np.abs(a) for a in arrays]), _logabs(arrays)


@_where_wrong
def _sign_from_negatives(*arrays):
    negatives = sum((np.asarray(a) < 0).astype(int) for a in arrays)
    return (-1.0) ** negatives, _logabs(arrays)


@_where_wrong
def _zeros_skipped(*arrays):
    return _sign(arrays), sum(np.log(np.abs(np.where(a == 0, 1, a))) for a in arrays)


PRODUCT_FIRST = "the plain product taken before the log, which overflows to inf or " \
                "underflows to 0"
PRODUCT_FIRST_HINT = "Never form the product: add log|x| of each factor, and multiply the signs."
MISTAKES = [
    Mistake(PRODUCT_FIRST, _product_first, PRODUCT_FIRST_HINT, SECTION_RANGE),
    Mistake(PRODUCT_FIRST, _product_first_for_logabs, PRODUCT_FIRST_HINT, SECTION_RANGE),
    Mistake("the log of a negative number (NaN): |x| is missing", _no_abs,
            "Take the log of the absolute value, np.log(np.abs(x)), and keep the sign apart.",
            SECTION_SIGNS),
    Mistake("the sign ignored and the log of a negative number taken (NaN)", _no_sign_no_abs,
            "Take the log of |x| and multiply the signs, np.sign(x), of all the factors.",
            SECTION_SIGNS),
    Mistake("the sign ignored (always +1)", _no_sign,
            "Multiply the signs of all the factors, np.sign(x): an odd number of negative "
            "factors makes the product negative.", SECTION_SIGNS),
    Mistake("a zero factor giving NaN instead of sign 0 and logabs -inf", _sign_by_division,
            "x / |x| is 0 / 0 = NaN for a zero: use np.sign(x), which is 0 there.",
            SECTION_SIGNS),
    Mistake("a zero factor not giving sign 0 (the sign counted from the negatives only)",
            _sign_from_negatives,
            "A zero factor makes the product 0: its sign is 0 (np.sign(0) is 0).",
            SECTION_SIGNS),
    Mistake("zero factors skipped: logabs must be -inf where a factor is 0", _zeros_skipped,
            "np.log(0) is -inf, which is right here: keep it (silence the warning with "
            "np.errstate(divide='ignore')).", SECTION_SIGNS),
    Mistake("log10 instead of the natural log", lambda *arrays: (_sign(arrays), _logabs(arrays)
                                                                  / np.log(10)),
            "logabs is the natural log, like numpy.linalg.slogdet's: np.log, not np.log10.",
            SECTION_RANGE),
    Mistake("(logabs, sign) returned instead of (sign, logabs)",
            lambda *arrays: (_logabs(arrays), _sign(arrays)),
            "Return the pair in the order of numpy.linalg.slogdet: (sign, logabs).",
            SECTION_RANGE),
    Mistake("only logabs returned, without the sign", lambda *arrays: _logabs(arrays),
            "Return a tuple (sign, logabs), as numpy.linalg.slogdet does.", SECTION_RANGE),
    Mistake("no shape check: the arrays were broadcast to a common shape", _broadcast,
            "Compare every shape with the first one and raise ValueError: * broadcasts "
            "(3,) with (1, 3) without a word.", SECTION_RANGE),
]


def _with_zeros(array, every=3):
    array = array.copy()
    array.flat[::every] = 0
    return array


# The kinds of input the statement allows; a public case tries each (checking/requirements.py).
KINDS = {"0-d", "1-d", "2-d", "3-d", "int64"}
PUBLIC = [
    Case("three 2x3 floats with negatives", tuple(floats((2, 3), s) for s in (161, 162, 163))),
    Case("one array: the sign and log|x| of each entry", (floats((2, 2), 164),)),
    Case("a zero factor: sign 0 and logabs -inf",
         (floats((2, 3), 165), _with_zeros(floats((2, 3), 166)), floats((2, 3), 167))),
    Case("huge factors (about 1e200) whose plain product overflows",
         tuple(floats((2, 3), s, scale=1e200) for s in (168, 169, 170))),
    Case("tiny factors (about 1e-200) whose plain product underflows to 0",
         tuple(floats((2, 3), s, scale=1e-200) for s in (171, 172, 173))),
    Case("0-d arrays", (np.array(-3.0), np.array(0.5), np.array(-2.0))),
    Case("int64 arrays with zeros and negatives",
         (ints((3, 4), 174), ints((3, 4), 175), ints((3, 4), 176))),
    Case("3-d arrays (2, 3, 4)", tuple(floats((2, 3, 4), s) for s in (177, 178))),
    Case("eight 1-d arrays of about 1e80 (a product near 1e640)",
         tuple(floats((5,), 179 + k, scale=1e80) for k in range(8))),
]
HIDDEN = [
    Case("1e300, 1e300 and 1e-300: the product overflows midway",
         (np.full((2, 2), 1e300), np.full((2, 2), -1e300), np.full((2, 2), 1e-300))),
    Case("random 4x4, four arrays, seed 199", tuple(floats((4, 4), 199 + k) for k in range(4))),
]


@points(1.5, hidden=1.25)
@pytest.mark.parametrize("case", cases(PUBLIC, HIDDEN))
def test_same_as_reference(student, reference, case):
    """Same (sign, logabs) as the reference, sign of any numeric dtype, and no warning."""
    call = expect_same(student, reference, case, dtype_free={"result[0]"})
    expect_no_warnings(student, case, call,
                       hint="Silence only what you mean to: wrap the log in "
                            "`with np.errstate(divide=\"ignore\"):` (log(0) = -inf is the "
                            "answer here), and warn of nothing else.")


INVALID = [
    (Case("ValueError for no arrays at all", ()), "no arrays were given"),
    (Case("ValueError for shapes (3,) and (1, 3), which * broadcasts",
          (floats((3,), 210), floats((1, 3), 211))), "the shapes differ"),
]
HIDDEN_INVALID = [
    (Case("ValueError for shapes (2, 3), (2, 3), (1, 3): only the third differs",
          (floats((2, 3), 212), floats((2, 3), 213), floats((1, 3), 214))), "the shapes differ"),
]


@points(0.5, hidden=0.25)
@pytest.mark.parametrize("case, why", cases(INVALID, HIDDEN_INVALID))
def test_rejects_invalid(student, case, why):
    """No arrays, or arrays of different shapes, raise ValueError."""
    expect_raises(student, ValueError, case, why=why, valid=PUBLIC[0])
