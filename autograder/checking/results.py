"""The grader's results as typed facts: a check's, an exercise's, and a notebook's row.

Facts, not text: which known mistake a check recognised, whether and why a call of the
student's function was stopped, each check's points and visibility. Words are made from
them once, at the edge (autograder.checking.feedback for students, the reports and exports
for instructors), and nothing parses them back. No pytest here: the results store, the
reports and the exports read results without loading the checking engine.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum


class Status(str, Enum):
    """How a check ended."""
    PASSED = "passed"
    FAILED = "failed"
    NOT_IMPLEMENTED = "not implemented"  # the function still raises NotImplementedError
    NOT_DEFINED = "not defined"          # the notebook does not define the function
    ERROR = "error"                      # the check itself broke: the instructor's problem


class Stop(str, Enum):
    """Why a call of the student's function never returned."""
    TIME_LIMIT = "time limit"
    PROCESS_GONE = "process gone"        # the notebook's process died or misbehaved


@dataclass(frozen=True)
class KnownMistake:
    """A mistake a check recognised in the student's answer."""
    name: str          # "a matrix product (A @ B) instead of the Hadamard product"
    hint: str          # one sentence: what to do instead
    section: str = ""  # the heading of the exercise's notebook that teaches it


@dataclass(frozen=True)
class CheckResult:
    exercise: str
    title: str
    points: float
    hidden: bool
    status: Status
    message: str = ""
    hint: str | None = None              # advice beyond the known mistake's own
    context: str = ""                    # the call that failed, with its inputs
    mistake: KnownMistake | None = None
    stopped: Stop | None = None          # a call in this check never returned
    stopped_because: str = ""

    @property
    def passed(self) -> bool:
        return self.status is Status.PASSED


def total(points: Iterable[float]) -> float:
    """A sum of points as every score is kept: to 6 decimals, so sums of shares add up."""
    return round(sum(points), 6)


@dataclass
class ExerciseResult:
    name: str
    checks: list[CheckResult] = field(default_factory=list)
    # What the exercise is worth with all its checks, hidden ones too: more than max_score
    # when only the public checks ran (a check cell). None where not known (stored rows).
    full_max_score: float | None = None

    @property
    def score(self) -> float:
        return total(c.points for c in self.checks if c.passed)

    @property
    def max_score(self) -> float:
        return total(c.points for c in self.checks)

    @property
    def not_done(self) -> bool:
        """Left unimplemented or undefined: every check says so."""
        return bool(self.checks) and all(
            c.status in (Status.NOT_IMPLEMENTED, Status.NOT_DEFINED) for c in self.checks)


@dataclass(frozen=True)
class HandGraded:
    """A cell that a person grades in nbgrader's formgrader (a written answer), not the
    checks: its points are never in the row's score or max_score."""
    grade_id: str                  # its nbgrader grade_id, "written_<topic>"
    max_score: float
    score: float | None = None     # None: pending, no grade yet; 0 for an unanswered cell

    @property
    def pending(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class Row:
    """One notebook's result: the contract's row, with every check's result behind it.
    `error` says why a notebook could not be graded; then it has no exercises. `by_hand`
    lists the notebook's cells graded by hand, with their grades where known."""
    path: str
    student: str | None
    assignment: str | None
    exercises: dict[str, ExerciseResult] = field(default_factory=dict)
    error: str | None = None
    by_hand: tuple[HandGraded, ...] = ()
    # Graded after running every cell, or only those the answers need (the fast path of
    # autograder.grading.cell_selection): the same row either way.
    every_cell: bool = True

    @property
    def graded(self) -> bool:
        return self.error is None

    @property
    def status(self) -> str:
        return "graded" if self.graded else "error"

    @property
    def score(self) -> float:
        return total(e.score for e in self.exercises.values())

    @property
    def max_score(self) -> float:
        return total(e.max_score for e in self.exercises.values())
