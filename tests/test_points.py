"""Points per check, shared by its cases: adding or removing a case never changes what a
check, or an exercise, is worth (so it always matches the notebook's nbgrader points)."""
import pytest

from autograder.checking.engine import PYTEST_ARGS
from autograder.checking.plugin import ChecksPlugin
from autograder.protocol.calls import InProcess

CHECKS = """
import pytest
from autograder.checking.expect import Case, cases, points

@points(2.5, hidden=1.5)
@pytest.mark.parametrize("case", cases(
    [Case(f"public {{k}}", (k,)) for k in range({public})],
    [Case(f"hidden {{k}}", (k,)) for k in range({hidden})]))
def test_cases(case):
    assert case.args[0] != 1, "the second case of each kind fails"

@points(1)
def test_plain():
    pass
"""


def graded(folder, public: int, hidden: int) -> ChecksPlugin:
    """A check file of `public` and `hidden` cases, run by pytest with the kit's plugin."""
    path = folder / "test_hadamard.py"
    path.write_text(CHECKS.format(public=public, hidden=hidden))
    plugin = ChecksPlugin(InProcess({}))
    # importlib: each test's file is a module of its own, though all are test_hadamard.py
    pytest.main(PYTEST_ARGS + ["--import-mode=importlib", str(path)], plugins=[plugin])
    return plugin


@pytest.mark.parametrize("public, hidden", [(2, 2), (3, 5), (7, 2)])
def test_an_exercise_is_worth_the_same_whatever_its_number_of_cases(tmp_path, public, hidden):
    result = graded(tmp_path, public, hidden).results["hadamard"]
    assert result.max_score == 5.0
    assert result.score == pytest.approx(5.0 - 2.5 / public - 1.5 / hidden)
