"""The notebook API: check() reports and raises, grade() returns the score, neither ever
writes to stderr (nbgrader zeroes a cell with stderr output)."""
import warnings

import numpy as np
import pytest

from autograder import check, grade
from autograder.checking.errors import KitError


def hadamard(A, B):
    if A.shape != B.shape:
        raise ValueError(f"shapes {A.shape} and {B.shape} differ")
    warnings.warn("harmless", UserWarning)
    np.log(np.zeros(1))  # a NumPy RuntimeWarning, also harmless
    print("working...")
    return A * B


def test_a_passing_check_prints_ticks_returns_none_and_keeps_stderr_empty(capsys):
    """A correct answer gets a ✓ report on stdout, None as the cell's value, no stderr."""
    assert check(hadamard) is None
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("hadamard: 8/8 checks passed, 2/2 points\n  ✓ 2x3 floats")
    assert "working..." not in out


def test_a_failing_check_names_the_mistake_and_raises(capsys):
    """A wrong answer gets ✗ lines with the named mistake, then an AssertionError."""
    def matmul(A, B):
        return A @ B
    matmul.__name__ = "hadamard"
    with pytest.raises(AssertionError, match="hadamard: some checks failed"):
        check(matmul)
    out, err = capsys.readouterr()
    assert err == ""
    assert "✗ 3x3 square, where A @ B has the same shape" in out
    assert "Likely mistake: a matrix product (A @ B) instead of the Hadamard product." in out


def test_the_released_stub_is_reported_as_not_implemented(capsys):
    """The stub nbgrader releases gets one clear line, not a wall of failures."""
    def hadamard(A, B):
        raise NotImplementedError()
    with pytest.raises(AssertionError):
        check(hadamard)
    assert capsys.readouterr().out == (
        "✗ hadamard is not implemented yet: replace `raise NotImplementedError()` with your "
        "code, then run this check again.\n")


def test_grade_returns_the_score_over_all_checks_as_a_float(capsys):
    """grade() runs hidden checks too and returns a float for nbgrader's partial credit."""
    score = grade(hadamard)
    assert type(score) is float and score == 3.75
    assert capsys.readouterr().err == ""


def test_an_unknown_function_is_an_instructor_error():
    """Checking a function that is not an exercise says which exercises exist."""
    def hadamrd(A, B):
        return A * B
    with pytest.raises(KitError, match="no such exercise: hadamrd; known: "):
        check(hadamrd)


@pytest.mark.slow
def test_plain_pytest_grades_a_notebook_with_the_plugin(submit):
    """`pytest -p autograder.grading.pytest_submission --submission NB` runs the same checks
    and feedback."""
    import os
    import subprocess
    import sys

    from autograder.checking.course import REGISTRY

    path = submit("bob", "01-definition", ["def hadamard(A, B):\n    return A @ B"])
    run = subprocess.run([sys.executable, "-m", "pytest",
                          "-p", "autograder.grading.pytest_submission",
                          "--submission", str(path), str(REGISTRY["hadamard"].checks_file),
                          "-q", "-p", "no:cacheprovider"],
                         capture_output=True, text=True, cwd=path.parent, timeout=120,
                         env={k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"})
    assert run.returncode == 1
    assert "14 failed, 1 passed" in run.stdout
    assert "Likely mistake: a matrix product (A @ B)" in run.stdout
