"""Grades as Gradescope wants them: results.json, a test per check, for one submission.

Written on Gradescope by `python -m autograder gradescope run`
(autograder.grading.gradescope), and per submission of a grade run by `python -m autograder
export DIR --to gradescope`. Hidden checks are shown once grades are published.
"""
from pathlib import Path

from autograder.checking.feedback import check_details, points_text
from autograder.checking.results import Row, total


def gradescope_results(submissions: list[Row]) -> dict:
    """Gradescope's results.json for one submission of one or more notebooks: a test per
    check (its feedback as output), the hidden ones visible once grades are published."""
    tests, lines = [], []
    for row in submissions:
        name = Path(row.path).name
        if not row.graded:
            lines.append(f"{name} could not be graded: {row.error}")
            continue
        lines.append(f"{name}: {points_text(row.score)}/{points_text(row.max_score)} "
                     f"points")
        tests += [{"name": f"{exercise}: {check.title}",
                   "score": check.points if check.passed else 0.0,
                   "max_score": check.points,
                   "status": "passed" if check.passed else "failed",
                   "output": "\n".join(check_details(check)),
                   "visibility": "after_published" if check.hidden else "visible"}
                  for exercise, result in row.exercises.items() for check in result.checks]
    return {"score": total(row.score for row in submissions),
            "output": "\n".join(lines), "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}
