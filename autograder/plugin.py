"""The kit's pytest plugin: checks in, per-exercise scores and feedback out.

Checks live in autograder/checks/test_<exercise>.py. This plugin gives them two fixtures,
`student` (the student's function, reached through whichever caller the session was
built with) and `reference` (answered by the session's oracle: autograder.oracle), reads
their `points` and `hidden` markers, and records every outcome as a `CheckResult`. Both the
notebook API and the grade command run pytest with a `Grading` instance; power users can
run the same checks directly:

    pytest -p autograder.plugin --submission path/to/notebook.ipynb autograder/checks
"""
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import oracle as oracles
from .errors import CheckFailed, NotDefined, NotImplementedYet
from .exercises import REGISTRY
from .expect import Case, StudentFunction


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    title: str
    points: float
    hidden: bool
    status: str            # "passed", "failed", "not implemented", "not defined", "error"
    message: str = ""
    hint: str | None = None
    context: str = ""      # the call that failed, with its inputs

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass
class ExerciseResult:
    name: str
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.checks if c.passed), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.points for c in self.checks), 6)


def exercise_of(item) -> str:
    stem = Path(item.path).stem
    return stem.removeprefix("test_")


def check_title(item) -> str:
    """What the student reads for a check: the case's name, else the test's docstring."""
    callspec = getattr(item, "callspec", None)
    if callspec:  # the Case's own name: pytest's ids escape non-ASCII text such as "≈"
        cases = [value for value in callspec.params.values() if isinstance(value, Case)]
        return cases[0].name if cases else callspec.id
    return (item.function.__doc__ or item.name).strip().splitlines()[0].rstrip(".")


def _outcome(excinfo) -> dict:
    error = excinfo.value
    if isinstance(error, NotImplementedYet):
        return {"status": "not implemented", "message": error.message}
    if isinstance(error, NotDefined):
        return {"status": "not defined", "message": error.message}
    if isinstance(error, CheckFailed):
        return {"status": "failed", "message": error.message, "hint": error.hint,
                "context": error.context}
    # A broken check is the instructor's problem; the student sees that it was not their fault.
    return {"status": "error", "message": f"internal error in this check "
                                          f"({type(error).__name__}: {error}); tell your instructor"}


class Grading:
    """One grading run: the caller that reaches the student's code, the oracle that answers
    for the references (autograder.oracle.default() unless given), and the results."""

    def __init__(self, caller, oracle=None):
        self.caller = caller
        self.oracle = oracle or oracles.default()
        self.results: dict[str, ExerciseResult] = {}

    @pytest.fixture
    def student(self, request) -> StudentFunction:
        name = exercise_of(request.node)
        mistakes = self.oracle.mistakes(name, getattr(request.module, "MISTAKES", ()))
        return StudentFunction(name, self.caller, self.oracle.parameters(name),
                               REGISTRY[name].notebook, mistakes=mistakes)

    @pytest.fixture
    def reference(self, request):
        return self.oracle.reference(exercise_of(request.node))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or report.when == "setup" and report.failed:
            name = exercise_of(item)
            # A case's own @points (cases(..., hidden_points=...)) wins over its check's.
            callspec = getattr(item, "callspec", None)
            marker = next((m for m in getattr(callspec, "marks", ()) if m.name == "points"),
                          None) or item.get_closest_marker("points")
            points = float(marker.args[0]) if marker else 1.0
            outcome = {"status": "passed"} if report.passed else _outcome(call.excinfo)
            result = CheckResult(name, check_title(item), points,
                                 item.get_closest_marker("hidden") is not None, **outcome)
            self.results.setdefault(name, ExerciseResult(name)).checks.append(result)

    def pytest_terminal_summary(self, terminalreporter):
        from .feedback import exercise_feedback

        terminalreporter.section("feedback, as the student reads it")
        for result in self.results.values():
            terminalreporter.write_line(exercise_feedback(result))


def pytest_addoption(parser):
    parser.addoption("--submission", help="grade this notebook with the kit's checks")


def pytest_configure(config):
    config.addinivalue_line("markers", "points(n): what passing this check is worth")
    config.addinivalue_line("markers", "hidden: run when grading, not by a student's check cell")
    submission = config.getoption("submission", None)
    if submission and not config.pluginmanager.has_plugin("autograder-grading"):
        from .child_process import NotebookProcess
        from .notebooks import read
        from .sandbox import Sandbox

        sandbox = Sandbox()
        process = NotebookProcess(read(Path(submission)), sandbox)
        config.add_cleanup(sandbox.close)
        config.add_cleanup(process.close)
        config.pluginmanager.register(Grading(process), "autograder-grading")
