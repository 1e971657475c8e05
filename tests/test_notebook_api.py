"""The notebook API: check() reports (HTML and its plain twin in IPython, text elsewhere) and
fails in one line, grade() returns the score, neither ever writes to stderr (nbgrader zeroes
a cell with stderr output)."""
import re
import warnings
from html import escape

import numpy as np
import pytest

from autograder import check, grade
from autograder.checking import display
from autograder.checking.course import REGISTRY
from autograder.checking.display import ChecksNotPassed, Report
from autograder.checking.engine import run_checks
from autograder.checking.errors import KitError
from autograder.checking.feedback import exercise_feedback, summary_line
from autograder.protocol.calls import InProcess
from autograder.references import REFERENCES


def hadamard(A, B):
    if A.shape != B.shape:
        raise ValueError(f"shapes {A.shape} and {B.shape} differ")
    warnings.warn("harmless", UserWarning)
    np.log(np.zeros(1))  # a NumPy RuntimeWarning, also harmless
    print("working...")
    return A * B


def test_a_passing_check_prints_ticks_returns_none_and_keeps_stderr_empty(capsys):
    """A correct answer gets a ✓ report on stdout, None as the cell's value, no stderr; the
    report says what the public checks are worth of the exercise's points."""
    assert check(hadamard) is None
    out, err = capsys.readouterr()
    assert err == ""
    assert re.match(r"hadamard: (\d+)/\1 checks passed, 2/2 points\n", out), out
    assert out.split("\n", 1)[1].startswith(
                          "public checks: 2 of this exercise's 3.75 points; hidden checks try "
                          "more inputs of the same kinds\n  ✓ 2x3 floats")
    assert "working..." not in out


def test_a_failing_check_names_the_mistake_and_fails_in_one_line(capsys):
    """A wrong answer gets ✗ lines with the named mistake, then an AssertionError that IPython
    shows as one line, not a traceback into the kit."""
    def matmul(A, B):
        return A @ B
    matmul.__name__ = "hadamard"
    with pytest.raises(ChecksNotPassed) as raised:
        check(matmul)
    assert isinstance(raised.value, AssertionError)
    assert raised.value._render_traceback_() == [
        f"✗ hadamard: {n} of {n} checks failed; the report above says which, and why"
        for n in [len(_result(matmul).checks)]]
    out, err = capsys.readouterr()
    assert err == ""
    assert "✗ 3x3 square, where A @ B has the same shape" in out
    assert "Likely mistake: a matrix product (A @ B) instead of the Hadamard product." in out


def test_the_released_stub_is_reported_as_not_implemented(capsys):
    """The stub nbgrader releases gets one clear line, not a wall of failures."""
    def hadamard(A, B):
        raise NotImplementedError()
    with pytest.raises(ChecksNotPassed, match="hadamard: not done yet"):
        check(hadamard)
    assert capsys.readouterr().out == (
        "✗ hadamard is not implemented yet: replace `raise NotImplementedError()` with your "
        "code, then run this check again.\n")


def _result(function, name="hadamard"):
    return run_checks([name], InProcess({name: function}), hidden=False)[name]


def test_the_html_report_has_the_facts_and_escapes_what_the_student_controls():
    """The HTML twin shows ✓/✗, the call, what went wrong and the hint, and escapes every
    text a student's code can reach (here an exception message)."""
    def hadamard(A, B):
        if np.shape(A) != np.shape(B):
            raise ValueError("the shapes differ")
        if A.ndim == 1:
            raise RuntimeError("<script>alert('x')</script> & <b>")
        return A @ B if A.shape == (3, 3) else A * B
    report = Report(_result(hadamard))
    html = report._repr_html_()
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;" in html
    checks = report.result.checks
    assert f"<strong>{escape(summary_line(report.result))}</strong>" in html
    assert "public checks: 2 of this exercise&#x27;s 3.75 points" in html
    assert html.count(">✓</span>") == len(checks) - 2 and html.count(">✗</span>") == 2
    assert "<code style=\"white-space: pre-wrap\">called hadamard(A, B) with A = " in html
    assert "got 1.8125, expected 0.5" in html
    assert "<strong>Likely mistake:</strong> a matrix product (A @ B)" in html
    assert str(report) == exercise_feedback(report.result)  # the plain twin


def test_in_ipython_the_report_is_displayed_with_html_and_its_plain_twin(monkeypatch):
    """In IPython, check() displays one object whose text/plain is the printed report."""
    from IPython.core.formatters import DisplayFormatter
    shown = []
    monkeypatch.setattr(display, "in_ipython", lambda: True)
    monkeypatch.setattr("IPython.display.display", shown.append)
    check(hadamard)
    [report] = shown
    data, _ = DisplayFormatter().format(report)
    assert data["text/plain"] == exercise_feedback(report.result)
    assert data["text/html"] == report._repr_html_()


def test_the_public_result_carries_the_points_of_the_hidden_checks():
    """A public run knows its exercise's full points: those of a graded run, for every
    exercise (what "public checks: 2 of this exercise's 3.75 points" says)."""
    public = run_checks(list(REGISTRY), InProcess(REFERENCES), hidden=False)
    graded = run_checks(list(REGISTRY), InProcess(REFERENCES), hidden=True)
    for name in REGISTRY:
        assert public[name].full_max_score == graded[name].max_score, name
        assert graded[name].full_max_score == graded[name].max_score, name
        assert public[name].max_score <= graded[name].max_score, name


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
    assert re.search(r"\n\d+ failed, 1 passed in ", run.stdout), run.stdout[-2000:]
    assert "Likely mistake: a matrix product (A @ B)" in run.stdout
