"""A Gradescope submission graded where Gradescope runs the autograder.

On Gradescope, run_autograder (gradescope/) calls `python -m autograder gradescope run`:
the one notebook under /autograder/submission/ is graded as `grade` would, and
/autograder/results/results.json gets a test per check (autograder.exports.gradescope).
AUTOGRADER_ROOT moves /autograder, for the tests.
"""
import json
import sys
import tempfile
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS
from autograder.exports.gradescope import gradescope_results
from autograder.files import json_text, write_atomically
from autograder.grading.submission import find_notebooks, grade_safely
from autograder.layout import ROOT
from autograder.sandbox.starter import Sandbox

CONFIG = "gradescope.json"  # in the autograder zip: which assignment it grades


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
