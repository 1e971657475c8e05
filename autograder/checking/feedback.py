"""Feedback as text: per exercise a ✓/✗ line per check, the message and one hint (and, for a
check cell's public run, what those checks are worth of the exercise's points); per
submission a page of its exercises' reports (autograder.reports.run_reports writes it as
Markdown or HTML). A check cell shows the same report as HTML (autograder.checking.display).

All student-facing wording of reports lives here (the check messages themselves come
from autograder.checking.expect and the check files): the results are facts, and this is
where they become text.
"""
from pathlib import Path

from autograder.checking.course import REGISTRY
from autograder.checking.results import CheckResult, ExerciseResult, KnownMistake, Row, Status

PASS, FAIL = "✓", "✗"


def points_text(x: float) -> str:
    """Scores as short as they can be, to the 6 decimals the rows keep: 7.5, 10, 0."""
    return f"{x:.6f}".rstrip("0").rstrip(".")


def summary_line(result: ExerciseResult) -> str:
    passed = sum(c.passed for c in result.checks)
    return (f"{result.name}: {passed}/{len(result.checks)} checks passed, "
            f"{points_text(result.score)}/{points_text(result.max_score)} points")


def public_share_line(result: ExerciseResult) -> str | None:
    """What the public checks are worth, where a run had only them and hidden checks add more
    (else None): a check cell's "2/2 points" is not the exercise's full marks."""
    full = result.full_max_score
    if full is None or full <= result.max_score:
        return None
    return (f"public checks: {points_text(result.max_score)} of this exercise's "
            f"{points_text(full)} points; hidden checks try more inputs of the same kinds")


def one_line_report(result: ExerciseResult) -> str | None:
    """The whole report where one line says it all (nothing done, nothing ran), else None."""
    if not result.checks:
        return f"{result.name}: no checks ran"
    statuses = {c.status for c in result.checks}
    if statuses == {Status.NOT_DEFINED}:
        return f"{FAIL} {result.checks[0].message}"
    if statuses == {Status.NOT_IMPLEMENTED}:
        return (f"{FAIL} {result.name} is not implemented yet: replace "
                f"`raise NotImplementedError()` with your code, then run this check again.")
    return None


def verdict(result: ExerciseResult) -> str:
    """One line under a check cell's report that did not pass (the cell fails on it)."""
    failed = sum(not c.passed for c in result.checks)
    if not result.checks or result.not_done:
        return f"{FAIL} {result.name}: not done yet"
    return (f"{FAIL} {result.name}: {failed} of {len(result.checks)} checks failed; the report "
            f"above says which, and why")


def exercise_feedback(result: ExerciseResult) -> str:
    """The whole report for one exercise, as the student reads it."""
    short = one_line_report(result)
    if short is not None:
        return short
    lines = [summary_line(result)]
    share = public_share_line(result)
    if share:
        lines.append(share)
    for check in result.checks:
        if check.passed:
            lines.append(f"  {PASS} {check.title}")
            continue
        lines += failed_check(check)
    return "\n".join(lines)


def failed_check(check: CheckResult) -> list[str]:
    """A failed check's lines in an exercise's report: ✗ and its title, then its details."""
    return [f"  {FAIL} {check.title}", *(f"      {text}" for text in check_details(check))]


LIKELY = "Likely mistake:"


def advice(mistake: KnownMistake, exercise: str) -> str:
    """A known mistake named for the student, with the section of the exercise's notebook
    that teaches it."""
    return f"{LIKELY} {mistake_advice(mistake, exercise)}"


def mistake_advice(mistake: KnownMistake, exercise: str) -> str:
    """advice() after its label: the mistake, what to do instead and where to read about it."""
    where = f' See "{mistake.section}" in {REGISTRY[exercise].notebook}.' \
        if mistake.section else ""
    return f"{mistake.name}. {mistake.hint}{where}"


def check_details(check: CheckResult) -> list[str]:
    """What a failed check tells the student, line by line: the call, what went wrong, the
    known mistake and any other advice (each where there is one)."""
    hints = [advice(check.mistake, check.exercise) if check.mistake else "", check.hint or ""]
    return [text for text in (check.context, check.message, " ".join(filter(None, hints)))
            if text]


def submission_feedback(row: Row) -> list[tuple[str, str]]:
    """One submission's feedback page, from its row, as (kind, text) blocks: "title", "text",
    "heading", and "report" (each exercise's report above, shown as it is)."""
    score = f"{points_text(row.score)}/{points_text(row.max_score)} points"
    blocks = [("title", f"{Path(row.path).name}: {score}")]
    about = [f"{label}: {value}" for value, label in ((row.student, "Student"),
                                                     (row.assignment, "Assignment")) if value]
    if about:
        blocks.append(("text", " · ".join(about)))
    if not row.graded:
        blocks.append(("text", f"This notebook could not be graded: {row.error}"))
    for name, exercise in row.exercises.items():
        blocks.append(("heading", f"{name}: {points_text(exercise.score)}/"
                                  f"{points_text(exercise.max_score)} points"))
        blocks.append(("report", exercise_feedback(exercise)))
    return blocks
