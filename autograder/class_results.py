"""A graded class as data, for the class report and the exports: each submission's row and
check results, read back from a grade run's output folder, and what follows from them:
score distributions, exercise pass rates, the common mistakes, what could not be graded,
and the student × assignment gradebook. Only `load` reads files; the rest is pure.
"""
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .diagnose import mistake_named
from .exercises import ASSIGNMENTS, REGISTRY
from .plugin import CheckResult
from .reports import read_report
from .results import Graded, stored_checks
from .roster import Student

# How a check reports a call that never returned: the child's time limit, or its process
# gone (autograder/_child.py, autograder/child_process.py), as "it raised <type>: <why>".
STOPPED = re.compile(r"raised (?:TimeoutError|ProcessStopped): (.*)")
NOT_DONE = {"not implemented", "not defined"}


def load(out: Path) -> list[Graded]:
    """The submissions of a grade run's (or a merge's) output folder, in report order."""
    return [Graded(row, stored_checks(out, row["path"])) for row in read_report(out)]


def _course_order(names, order) -> list[str]:
    wanted = set(names)
    return [name for name in order if name in wanted]


@dataclass(frozen=True)
class Scores:
    assignment: str
    max_score: float          # 0 when no submission of it was graded
    scores: list[float]       # of the graded submissions
    errors: int               # submissions that could not be graded


def scores_by_assignment(submissions) -> list[Scores]:
    """Per assignment that has a submission (course order), its graded scores."""
    found = []
    for assignment in _course_order({s.row["assignment"] for s in submissions}, ASSIGNMENTS):
        rows = [s.row for s in submissions if s.row["assignment"] == assignment]
        graded = [row for row in rows if row["status"] == "graded"]
        found.append(Scores(assignment, max((row["max_score"] for row in graded), default=0.0),
                            [row["score"] for row in graded], len(rows) - len(graded)))
    return found


@dataclass(frozen=True)
class ExerciseStats:
    name: str
    assignment: str
    graded: int               # graded submissions that have this exercise
    full_marks: int           # of them, how many scored its maximum
    not_done: int             # how many left it unimplemented or undefined
    mean_score: float
    max_score: float
    checks_passed: int
    checks_run: int


def exercise_stats(submissions) -> list[ExerciseStats]:
    """Per exercise of a graded submission (course order): how the class did on it."""
    stats = []
    graded = [s for s in submissions if s.graded]
    for name in _course_order({n for s in graded for n in s.row["exercises"]}, REGISTRY):
        scored = [s.row["exercises"][name] for s in graded if name in s.row["exercises"]]
        checks = [s.checks.get(name, []) for s in graded if name in s.row["exercises"]]
        stats.append(ExerciseStats(
            name, REGISTRY[name].assignment, len(scored),
            full_marks=sum(e["score"] == e["max_score"] for e in scored),
            not_done=sum(bool(c) and {check.status for check in c} <= NOT_DONE
                         for c in checks),
            mean_score=sum(e["score"] for e in scored) / len(scored),
            max_score=max(e["max_score"] for e in scored),
            checks_passed=sum(check.passed for c in checks for check in c),
            checks_run=sum(len(c) for c in checks)))
    return stats


@dataclass(frozen=True)
class CommonMistake:
    name: str
    exercise: str
    submissions: int          # how many made it (in one check or more)
    example: CheckResult      # a failed check that names it: the first, in report order


def common_mistakes(submissions) -> list[CommonMistake]:
    """The known mistakes the checks named, most frequent first."""
    counts = Counter()
    examples = {}
    for submission in submissions:
        named = set()
        for exercise, checks in submission.checks.items():
            for check in checks:
                name = mistake_named(check.hint) if not check.passed else None
                if name:
                    named.add((exercise, name))
                    examples.setdefault((exercise, name), check)
        counts.update(named)
    order = list(REGISTRY)
    return [CommonMistake(name, exercise, count, examples[exercise, name])
            for (exercise, name), count in
            sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0][0]),
                                                     item[0][1]))]


@dataclass(frozen=True)
class Problem:
    row: dict
    reason: str


def problems(submissions) -> list[Problem]:
    """The submissions that could not be graded, and those graded with calls that never
    returned (a time limit, a process that died), with why."""
    found = []
    for submission in submissions:
        if not submission.graded:
            found.append(Problem(submission.row, submission.row["error"]))
            continue
        reasons = []
        for exercise, checks in submission.checks.items():
            stopped = [m.group(1) for m in (STOPPED.search(c.message) for c in checks) if m]
            if stopped:
                reasons.append(f"{exercise}: {len(stopped)} of {len(checks)} checks stopped "
                               f"({stopped[0]})")
        if reasons:
            found.append(Problem(submission.row, "; ".join(reasons)))
    return found


@dataclass
class Gradebook:
    """Students (the roster's, in its order, then the others by id) × assignments (course
    order): each cell the submission graded for it, if any, and notes for the instructor on
    submissions that fit no cell."""
    students: list[Student]
    assignments: list[str]
    cells: dict[tuple[str, str], Graded] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def max_score(self, assignment: str) -> float | None:
        """The assignment's points, from a graded submission; None when none was graded."""
        return max((s.row["max_score"] for (_, a), s in self.cells.items()
                    if a == assignment and s.graded), default=None)


def gradebook(submissions, roster: dict[str, Student]) -> Gradebook:
    """Only notebooks at <student>/<assignment>/<the assignment's notebook> fill a cell,
    as in nbgrader's gradebook (autograder/gradebook_db.py)."""
    cells, notes = {}, []
    for submission in submissions:
        row = submission.row
        student, assignment = row["student"], row["assignment"]
        if not (student and assignment and Path(row["path"]).name == ASSIGNMENTS[assignment][0]):
            notes.append(f"left out {row['path']}: not at <student>/<assignment>/<notebook>, "
                         f"so it belongs to no student")
        elif (student, assignment) in cells:
            notes.append(f"left out {row['path']}: {student} already has "
                         f"{cells[student, assignment].row['path']} for {assignment}")
        else:
            cells[student, assignment] = submission
    others = sorted({student for student, _ in cells} - set(roster))
    if roster and others:
        notes.append(f"not in the roster, so without LMS ids: {', '.join(others)}")
    return Gradebook([*roster.values(), *map(Student, others)],
                     _course_order({a for _, a in cells}, ASSIGNMENTS), cells, notes)
