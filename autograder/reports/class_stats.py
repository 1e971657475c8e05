"""A graded class as data, for the class report and the exports: each submission's row and
check results, read back from a grade run's output folder, and what follows from them:
score distributions, exercise pass rates, the common mistakes, what could not be graded,
and the student × assignment score sheet. Only `load` reads files; the rest is pure.
"""
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, REGISTRY
from autograder.checking.errors import KitError
from autograder.checking.results import CheckResult, Row, total
from autograder.grading.store import stored_row
from autograder.reports.roster import Student
from autograder.reports.run_reports import read_report_rows


def load(out: Path) -> list[Row]:
    """The submissions of a grade run's (or a merge's) output folder, in report order. A
    notebook refused before grading (nested in a student's folder, say) has no stored row:
    its error row is the report's."""
    rows = []
    for row in read_report_rows(out):
        try:
            rows.append(stored_row(out, row["path"]))
        except KitError:
            if row.get("status") != "error":
                raise
            rows.append(Row(row["path"], row.get("student"), row.get("assignment"),
                            error=str(row.get("error"))))
    return rows


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
    for assignment in _course_order({s.assignment for s in submissions}, ASSIGNMENTS):
        rows = [s for s in submissions if s.assignment == assignment]
        graded = [row for row in rows if row.graded]
        found.append(Scores(assignment, max((row.max_score for row in graded), default=0.0),
                            [row.score for row in graded], len(rows) - len(graded)))
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
    for name in _course_order({n for s in graded for n in s.exercises}, REGISTRY):
        scored = [s.exercises[name] for s in graded if name in s.exercises]
        stats.append(ExerciseStats(
            name, REGISTRY[name].assignment, len(scored),
            full_marks=sum(e.score == e.max_score for e in scored),
            not_done=sum(e.not_done for e in scored),
            mean_score=sum(e.score for e in scored) / len(scored),
            max_score=max(e.max_score for e in scored),
            checks_passed=sum(check.passed for e in scored for check in e.checks),
            checks_run=sum(len(e.checks) for e in scored)))
    return stats


@dataclass(frozen=True)
class HandGradedStats:
    """A cell graded by hand (a written answer) across the class."""
    assignment: str
    grade_id: str
    max_score: float
    submissions: int          # that hold it
    scores: list[float]       # of those with a grade (0 for an answer left unanswered)

    @property
    def pending(self) -> int:
        return self.submissions - len(self.scores)


def hand_graded_stats(submissions) -> list[HandGradedStats]:
    """Per cell graded by hand (course order of the assignments, then notebook order): how
    many submissions hold it, and the grades it has so far."""
    found: dict[tuple[str, str], HandGradedStats] = {}
    for submission in submissions:
        for cell in submission.by_hand if submission.assignment else ():
            stats = found.setdefault((submission.assignment, cell.grade_id), HandGradedStats(
                submission.assignment, cell.grade_id, cell.max_score, 0, []))
            found[submission.assignment, cell.grade_id] = HandGradedStats(
                stats.assignment, stats.grade_id, max(stats.max_score, cell.max_score),
                stats.submissions + 1,
                stats.scores + ([] if cell.score is None else [cell.score]))
    order = list(ASSIGNMENTS)
    return sorted(found.values(), key=lambda s: order.index(s.assignment))


def hand_graded_score(row: Row) -> float:
    """The points the row's cells graded by hand have so far (pending ones: none)."""
    return total(cell.score for cell in row.by_hand if cell.score is not None)


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
        for exercise, result in submission.exercises.items():
            for check in result.checks:
                if check.mistake and not check.passed:
                    named.add((exercise, check.mistake.name))
                    examples.setdefault((exercise, check.mistake.name), check)
        counts.update(named)
    order = list(REGISTRY)
    return [CommonMistake(name, exercise, count, examples[exercise, name])
            for (exercise, name), count in
            sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0][0]),
                                                     item[0][1]))]


@dataclass(frozen=True)
class Problem:
    row: Row
    reason: str


def problems(submissions) -> list[Problem]:
    """The submissions that could not be graded, and those graded with calls that never
    returned (a time limit, a process that died), with why."""
    found = []
    for submission in submissions:
        if not submission.graded:
            found.append(Problem(submission, submission.error or ""))
            continue
        reasons = []
        for exercise, result in submission.exercises.items():
            stopped = [c.stopped_because for c in result.checks if c.stopped]
            if stopped:
                reasons.append(f"{exercise}: {len(stopped)} of {len(result.checks)} checks "
                               f"stopped ({stopped[0]})")
        if reasons:
            found.append(Problem(submission, "; ".join(reasons)))
    return found


@dataclass
class ScoreSheet:
    """Students (the roster's, in its order, then the others by id) × assignments (course
    order): each cell the submission graded for it, if any, and notes for the instructor on
    submissions that fit no cell."""
    students: list[Student]
    assignments: list[str]
    cells: dict[tuple[str, str], Row] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def max_score(self, assignment: str) -> float | None:
        """The assignment's points, from a graded submission; None when none was graded."""
        return max((s.max_score for (_, a), s in self.cells.items()
                    if a == assignment and s.graded), default=None)


def score_sheet(submissions, roster: dict[str, Student]) -> ScoreSheet:
    """Only notebooks at <student>/<assignment>/<the assignment's notebook> fill a cell,
    as in nbgrader's gradebook (autograder/exports/nbgrader_gradebook.py)."""
    cells, notes = {}, []
    for row in submissions:
        student, assignment = row.student, row.assignment
        if not (student and assignment and Path(row.path).name == ASSIGNMENTS[assignment][0]):
            notes.append(f"left out {row.path}: not at <student>/<assignment>/<notebook>, "
                         f"so it belongs to no student")
        elif (student, assignment) in cells:
            notes.append(f"left out {row.path}: {student} already has "
                         f"{cells[student, assignment].path} for {assignment}")
        else:
            cells[student, assignment] = row
    others = sorted({student for student, _ in cells} - set(roster))
    if roster and others:
        notes.append(f"not in the roster, so without LMS ids: {', '.join(others)}")
    return ScoreSheet([*roster.values(), *map(Student, others)],
                      _course_order({a for _, a in cells}, ASSIGNMENTS), cells, notes)
