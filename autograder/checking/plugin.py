"""The kit's pytest plugin: checks in, per-exercise scores and feedback out.

Checks live in autograder/checks/test_<exercise>.py. This plugin gives them two fixtures,
`student` (the student's function, reached through whichever caller the session was
built with) and `reference` (answered by the session's oracle: autograder.checking.oracle), reads
their `points` and `hidden` markers, and records every outcome as a `CheckResult`. The
engine (autograder.checking.engine) has pytest collect the checks and runs them through
`ChecksPlugin.run`; power users can run the same checks under pytest itself, which reports
through the same plugin (autograder.grading.pytest_submission).
"""
import functools
import inspect
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

import pluggy
import pytest

from autograder.checking import oracle as oracles
from autograder.checking.errors import CheckFailed, KitError, NotDefined, NotImplementedYet
from autograder.checking.expect import Case, StudentFunction
from autograder.checking.feedback import exercise_feedback
from autograder.checking.results import (
    CheckResult,
    ExerciseResult,
    KnownMistake,
    Status,
    Stop,
    total,
)
from autograder.protocol.calls import Caller

if TYPE_CHECKING:  # pytest does not export these types
    from _pytest.nodes import Node
    from _pytest.python import CallSpec2

# In a student bundle's check file: the exercise's points over all its checks, as the kit
# counted them (autograder.build.student_bundle), since its hidden checks are left out.
FULL_POINTS = "FULL_POINTS"


class _Outcome(TypedDict, total=False):
    """The facts of a check's end: CheckResult's fields beyond the check's own."""
    status: Status
    message: str
    hint: str | None
    context: str
    mistake: KnownMistake | None
    stopped: Stop | None
    stopped_because: str


def _hidden_case(item: pytest.Item) -> bool:
    """A hidden case of a check that also has public ones (cases(public, hidden))."""
    return any(mark.name == "hidden" for mark in getattr(getattr(item, "callspec", None),
                                                         "marks", ()))


def exercise_of(item: "Node") -> str:
    stem = Path(item.path).stem
    return stem.removeprefix("test_")


def check_title(item: pytest.Function) -> str:
    """What the student reads for a check: the case's name, else the test's docstring."""
    callspec: CallSpec2 | None = getattr(item, "callspec", None)  # parametrized checks only
    if callspec:  # the Case's own name: pytest's ids escape non-ASCII text such as "≈"
        cases = [value for value in callspec.params.values() if isinstance(value, Case)]
        return cases[0].name if cases else callspec.id
    return (item.function.__doc__ or item.name).strip().splitlines()[0].rstrip(".")


@functools.cache
def _argument_names(check: Callable[..., object]) -> tuple[str, ...]:
    """A check's parameters: read once per process, not for every notebook graded."""
    return tuple(inspect.signature(check).parameters)


def _outcome(error: BaseException) -> _Outcome:
    """The facts of a check that did not pass, from what it raised."""
    if isinstance(error, NotImplementedYet):
        return {"status": Status.NOT_IMPLEMENTED, "message": error.message}
    if isinstance(error, NotDefined):
        return {"status": Status.NOT_DEFINED, "message": error.message}
    if isinstance(error, CheckFailed):
        return {"status": Status.FAILED, "message": error.message, "hint": error.hint,
                "context": error.context, "mistake": error.mistake, "stopped": error.stopped,
                "stopped_because": error.stopped_because}
    # A broken check is the instructor's problem; the student sees that it was not their fault.
    return {"status": Status.ERROR,
            "message": f"internal error in this check ({type(error).__name__}: {error}); "
                       f"tell your instructor"}


class ChecksPlugin:
    """The checks' pytest plugin for one run: the caller that reaches the student's code,
    the oracle that answers for the references (autograder.checking.oracle.default() unless
    given), and the results."""

    def __init__(self, caller: Caller, oracle: oracles.Oracle | None = None) -> None:
        self.caller = caller
        self.oracle = oracle or oracles.default()
        self.results: dict[str, ExerciseResult] = {}
        self.points: dict[str, float] = {}  # each collected case's share of its check's
        self.full_points: dict[str, float] = {}  # each exercise's worth, hidden checks too

    def student_function(self, item: pytest.Function) -> StudentFunction:
        name = exercise_of(item)
        mistakes = self.oracle.mistakes(name, getattr(item.module, "MISTAKES", ()))
        return StudentFunction(name, self.caller, self.oracle.parameters(name),
                               mistakes=mistakes)

    def reference_function(self, item: pytest.Function) -> Callable[..., object]:
        return self.oracle.reference(exercise_of(item))

    @pytest.fixture
    def student(self, request: pytest.FixtureRequest) -> StudentFunction:
        assert isinstance(request.node, pytest.Function)  # the fixture of test functions
        return self.student_function(request.node)

    @pytest.fixture
    def reference(self, request: pytest.FixtureRequest) -> Callable[..., object]:
        assert isinstance(request.node, pytest.Function)
        return self.reference_function(request.node)

    def pytest_configure(self, config: pytest.Config) -> None:
        config.addinivalue_line("markers", "points(public, hidden=0): what the check is worth")
        config.addinivalue_line("markers", "hidden: run when grading, not by a student's "
                                           "check cell")

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, items: list[pytest.Function]) -> None:
        """Each case's share of its check's points, counted before `-m "not hidden"` leaves
        the hidden cases out, so that a check is worth the same in every run. The checks'
        items are all test functions. The pools add up to each exercise's full points, which
        a public run reports too (a student bundle, which has no hidden check to count,
        says them in its check files)."""
        groups: dict[tuple[Path, str, bool], list[pytest.Function]] = {}
        for item in items:
            groups.setdefault((item.path, item.originalname, _hidden_case(item)), []).append(item)
        pools: dict[str, list[float]] = {}
        for (path, name, hidden_case), members in groups.items():
            marker = members[0].get_closest_marker("points")
            if marker is None:
                raise KitError(f"{path.name}: {name} has no @points")
            pool = marker.kwargs.get("hidden", 0.0) if hidden_case else marker.args[0]
            if hidden_case and not pool:
                raise KitError(f"{path.name}: {name} has hidden cases but @points gives them "
                               f"no points (@points(public, hidden=...))")
            for member in members:
                self.points[member.nodeid] = round(pool / len(members), 9)
            pools.setdefault(exercise_of(members[0]), []).append(pool)
        self.full_points = {name: total(shares) for name, shares in pools.items()}
        for item in items:
            if hasattr(item.module, FULL_POINTS):
                self.full_points[exercise_of(item)] = getattr(item.module, FULL_POINTS)
        # Every public case runs before any hidden one: what a student's function records
        # of a hidden case's inputs can never show in a public check's visible output.
        items.sort(key=lambda item: item.get_closest_marker("hidden") is not None)

    def run(self, item: pytest.Function) -> None:
        """Run one collected check and record how it ended, as pytest's own run would: its
        cases' values and this plugin's fixtures are its arguments. A check takes no other
        fixture (tests/test_registry.py), so pytest's per-test machinery (reports, hooks,
        fixture scopes: about 1.5 ms a check) has nothing to add."""
        fixtures = {"student": self.student_function, "reference": self.reference_function}
        params = item.callspec.params if hasattr(item, "callspec") else {}
        try:
            arguments = {name: params[name] if name in params else fixtures[name](item)
                         for name in _argument_names(item.obj)}
            item.obj(**arguments)
        except KeyboardInterrupt:
            raise
        except BaseException as error:  # as pytest's runner: a SystemExit fails the check
            self.record(item, error)
        else:
            self.record(item, None)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(
            self, item: pytest.Function, call: pytest.CallInfo[None]
    ) -> Generator[None, pluggy.Result[pytest.TestReport], None]:
        outcome = yield
        report = outcome.get_result()
        if report.when == "call" or report.when == "setup" and report.failed:
            if report.passed:
                self.record(item, None)
            else:
                assert call.excinfo is not None  # pytest: a report that did not pass raised
                self.record(item, call.excinfo.value)

    def record(self, item: pytest.Function, error: BaseException | None) -> None:
        """A check's result: passed if it raised nothing, else the facts of what it raised."""
        name = exercise_of(item)
        facts: _Outcome = {"status": Status.PASSED} if error is None else _outcome(error)
        result = CheckResult(name, check_title(item), self.points[item.nodeid],
                             item.get_closest_marker("hidden") is not None, **facts)
        self.results.setdefault(name, self.empty_result(name)).checks.append(result)

    def empty_result(self, name: str) -> ExerciseResult:
        return ExerciseResult(name, full_max_score=self.full_points.get(name))

    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        terminalreporter.section("feedback, as the student reads it")
        for result in self.results.values():
            terminalreporter.write_line(exercise_feedback(result))
