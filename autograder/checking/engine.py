"""Run an exercise's pytest checks against a student's code; return its results.

The one entry point that both the notebook API (in-process caller) and the grade command
(child-process caller) use, so what is checked and scored has one source of truth.
"""
import contextlib
import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pytest

from autograder.checking.course import CHECKS_DIR, REGISTRY
from autograder.checking.errors import KitError
from autograder.checking.oracle import Oracle
from autograder.checking.plugin import ChecksPlugin
from autograder.checking.results import ExerciseResult
from autograder.protocol.calls import Caller

# Only what the checks need: no third-party plugins (nbval would import Jupyter), no cache
# writes next to the package, no fd-level capture inside a kernel, plain asserts, no
# tracebacks (the plugin keeps the messages; formatting costs 25 ms per failed check), and
# no unraisable-exception hunt (its gc.collect() costs 0.15 s per check with torch loaded),
# no log capture (a handler added and removed around every phase of every check).
PYTEST_ARGS = ["-q", "-s", "--tb=no", "--noconftest", "--assert=plain",
               "-p", "no:cacheprovider",
               "-p", "no:faulthandler", "-p", "no:stepwise", "-p", "no:legacypath",
               "-p", "no:unraisableexception", "-p", "no:threadexception",
               "-p", "no:logging",
               "-c", str(CHECKS_DIR / "pytest.ini"), "--rootdir", str(CHECKS_DIR)]


@contextlib.contextmanager
def _environment(**values: str | None) -> Iterator[None]:
    """Set (or, with None, remove) environment variables for a while: the instructor's own
    PYTEST_ADDOPTS (say -x) must not change what is checked and scored."""
    saved = {key: os.environ.get(key) for key in values}
    try:
        for key, value in values.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
        yield
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)


@dataclass(frozen=True)
class _Collected:
    """Checks as pytest collected them, in the order they run, with each case's points."""
    items: tuple[pytest.Function, ...]
    points: dict[str, float]
    full_points: dict[str, float]


class _Collector:
    def __init__(self) -> None:
        self.items: list[pytest.Function] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.items = [item for item in session.items if isinstance(item, pytest.Function)]


# What pytest collected, per list of check files and visibility: a grading worker collects
# each assignment's checks once (about 40 ms) and runs them for every notebook it grades.
_collected: dict[tuple[tuple[str, ...], bool], _Collected] = {}


def _collect(files: tuple[str, ...], hidden: bool, plugin: ChecksPlugin) -> _Collected:
    if (files, hidden) not in _collected:
        args = PYTEST_ARGS + ["--collect-only"] + ([] if hidden else ["-m", "not hidden"])
        collector = _Collector()
        log = io.StringIO()
        with _environment(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1", PYTEST_ADDOPTS=None), \
                contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
            code = pytest.main(args + list(files), plugins=[plugin, collector])
        if code is not pytest.ExitCode.OK:
            raise KitError(f"the checks could not be collected (pytest exit code {code}):\n"
                           f"{log.getvalue()}")
        _collected[files, hidden] = _Collected(tuple(collector.items), dict(plugin.points),
                                               dict(plugin.full_points))
    return _collected[files, hidden]


def run_checks(exercises: Sequence[str], caller: Caller, *, hidden: bool,
               oracle: Oracle | None = None) -> dict[str, ExerciseResult]:
    """Results of every check of `exercises` (public only unless `hidden`), in order.
    `oracle` answers for the references (autograder.checking.oracle); the default suits the
    install. Each check runs afresh: nothing of one call's results reaches the next."""
    unknown = [name for name in exercises if name not in REGISTRY]
    if unknown:
        raise KitError(f"no such exercise: {', '.join(unknown)}; "
                       f"known: {', '.join(sorted(REGISTRY))}")
    plugin = ChecksPlugin(caller, oracle)
    if hidden and not plugin.oracle.covers_hidden:
        raise KitError("the hidden checks are not in a student bundle: grade with the "
                       "course's kit, not with this copy")
    files = tuple(str(REGISTRY[name].checks_file) for name in exercises)
    checks = _collect(files, hidden, plugin)
    plugin.points, plugin.full_points = checks.points, checks.full_points
    # What a student's function prints in a check cell (the notebook API calls it here) is
    # not the checks' output, as under pytest's run.
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        for item in checks.items:
            plugin.run(item)
    return {name: plugin.results.get(name) or plugin.empty_result(name) for name in exercises}
