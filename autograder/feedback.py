"""Per-exercise feedback as text: a ✓/✗ line per check, the message and one hint.

All student-facing wording of reports lives here (the check messages themselves come
from autograder.expect and the check files).
"""
from .plugin import ExerciseResult

PASS, FAIL = "✓", "✗"


def _points(x: float) -> str:
    return f"{x:g}"


def summary_line(result: ExerciseResult) -> str:
    passed = sum(c.passed for c in result.checks)
    return (f"{result.name}: {passed}/{len(result.checks)} checks passed, "
            f"{_points(result.score)}/{_points(result.max_score)} points")


def exercise_feedback(result: ExerciseResult) -> str:
    """The whole report for one exercise, as the student reads it."""
    if not result.checks:
        return f"{result.name}: no checks ran"
    statuses = {c.status for c in result.checks}
    if statuses == {"not defined"}:
        return f"{FAIL} {result.checks[0].message}"
    if statuses == {"not implemented"}:
        return (f"{FAIL} {result.name} is not implemented yet: replace "
                f"`raise NotImplementedError()` with your code, then run this check again.")
    lines = [summary_line(result)]
    for check in result.checks:
        if check.passed:
            lines.append(f"  {PASS} {check.title}")
            continue
        lines.append(f"  {FAIL} {check.title}")
        lines += [f"      {text}" for text in (check.context, check.message, check.hint) if text]
    return "\n".join(lines)
