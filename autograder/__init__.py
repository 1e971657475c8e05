"""The Hadamard course kit's autograder.

In a notebook:
    from autograder import check, grade
    check(hadamard)     # runs the public checks, shows a report, fails the cell if any failed
    grade(hadamard)     # all checks (hidden ones too, where present): the score as a float

Importing the package itself stays cheap (no pytest, no references): the grading child
process imports its plain-data modules without loading the checking engine.
"""

import os

__all__ = ["check", "grade"]


def _run(function, *, hidden: bool):
    from autograder.checking.engine import run_checks
    from autograder.protocol.calls import InProcess

    name = getattr(function, "__name__", None)
    return run_checks([name], InProcess({name: function}), hidden=hidden)[name]


def check(function) -> None:
    """Run this exercise's public checks and show the report (HTML in JupyterLab, text
    elsewhere); if any failed, make the cell fail with one line (ChecksNotPassed, an
    AssertionError that IPython shows without a traceback).

    Returns None, so nbgrader never sees a bool as the cell's result. Under `nbgrader
    autograde` it does nothing: the cell's hidden `grade(...)` scores it (a raise here would
    zero the cell and lose the partial credit).
    """
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        return
    from autograder.checking.display import Report

    report = Report(_run(function, hidden=False))
    report.show()
    if not report.passed:
        raise report.failure() from None


def grade(function) -> float:
    """Run every check of this exercise and return its score, for nbgrader's partial credit."""
    from autograder.checking.feedback import exercise_feedback

    result = _run(function, hidden=True)
    print(exercise_feedback(result))
    return result.score
