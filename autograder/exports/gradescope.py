"""Grades as Gradescope wants them: results.json, a test per check, for one submission.

On Gradescope, run_autograder (gradescope/) calls `python -m autograder gradescope run`:
every notebook under /autograder/submission/ is graded as `grade` would, and
/autograder/results/results.json gets a test per check. Hidden checks are shown once grades
are published. AUTOGRADER_ROOT moves /autograder, for the tests. `python -m autograder
export DIR --to gradescope` writes the same results.json per submission of a grade run.
"""
import json
import sys
import tempfile
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS
from autograder.checking.feedback import check_details, points_text
from autograder.checking.results import Row, total
from autograder.files import json_text, write_atomically
from autograder.grading.submission import find_notebooks, grade_safely
from autograder.layout import ROOT
from autograder.sandbox.starter import Sandbox

CONFIG = "gradescope.json"  # in the autograder zip: which assignment it grades


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


def configured_assignment() -> str | None:
    """The assignment the zip was built for; None in a checkout of the kit (no zip)."""
    config = ROOT / CONFIG
    return json.loads(config.read_text(encoding="utf-8"))["assignment"] \
        if config.exists() else None


def _nothing_graded(output: str) -> dict:
    return {**gradescope_results([]), "output": output}


def run(root: Path, *, assignment: str | None) -> dict:
    """Grade the submission in `root`/submission/, write `root`/results/results.json and
    return what it holds."""
    found = find_notebooks([root / "submission"]) if (root / "submission").is_dir() else []
    notebooks = [entry.path for entry in found]
    expected = ASSIGNMENTS[assignment][0] if assignment else None
    if expected:  # the right name wins; else one notebook, whatever a download renamed it to
        notebooks = [p for p in notebooks if p.name == expected] or notebooks
    results = None
    if not notebooks:
        results = _nothing_graded(f"No notebook (.ipynb) in this submission: upload "
                                  f"{expected or 'your notebook'}.")
    elif len(notebooks) > 1:  # one upload, one grade: copies are never graded and added
        results = _nothing_graded(f"Upload one notebook, {expected or 'yours'}; this "
                                  f"submission has "
                                  f"{len(notebooks)}: "
                                  f"{', '.join(sorted(p.name for p in notebooks))}.")
    if results is None:
        sandbox = Sandbox()
        for warning in sandbox.warnings:
            print(warning, file=sys.stderr)
        try:
            with tempfile.TemporaryDirectory() as folder:
                if expected:  # <assignment>/<notebook> tells the grader which assignment
                    place = Path(folder, assignment, expected)
                    place.parent.mkdir()
                    place.write_bytes(notebooks[0].read_bytes())
                    notebooks = [place]
                results = gradescope_results([grade_safely(p, sandbox) for p in notebooks])
        finally:
            sandbox.close()
    write_atomically(root / "results" / "results.json", json_text(results))
    return results
