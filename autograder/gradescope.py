"""The kit as a Gradescope autograder.

    make gradescope [ASSIGNMENT=01-definition]
    # = python -m autograder.gradescope build dist/gradescope-autograder.zip [--assignment A]

The zip holds gradescope/setup.sh and gradescope/run_autograder, the whole `autograder`
package (references, hidden checks and mistake models included: Gradescope grades on its
own servers, where students cannot read them), the pinned requirements the grader needs,
and gradescope.json, which says which assignment the zip grades (null: whichever the
notebook's name says). Entries have fixed dates, so the same kit builds the same bytes.

On Gradescope, run_autograder calls `python -m autograder.gradescope run`: every notebook
under /autograder/submission/ is graded as `grade` would, and /autograder/results/
results.json gets a test per check (autograder.exports.gradescope_results). Hidden checks
are shown once grades are published. AUTOGRADER_ROOT moves /autograder, for the tests.
"""
import argparse
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from .bundle import requirements
from .exercises import ASSIGNMENTS
from .exports import gradescope_results, results_json
from .grading import find_notebooks, grade_safely
from .results import write_atomically
from .sandbox import REDUCED_ISOLATION, Sandbox

PACKAGE = Path(__file__).resolve().parent
SCRIPTS = PACKAGE.parent / "gradescope"
CONFIG = "gradescope.json"
# Tools for the instructor and the kit's tests; the grader never imports them.
NOT_FOR_GRADING = {"jupyterlab", "notebook", "nbgrader", "nbval", "playwright"}
EXECUTABLE, REGULAR = 0o100755 << 16, 0o100644 << 16  # zip's external_attr: mode in high bits


def _package_files():
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield f"autograder/{path.relative_to(PACKAGE).as_posix()}", path.read_bytes()


def build(zip_path: Path, *, assignment: str | None = None) -> Path:
    """Write the autograder zip for `assignment` (None: any notebook of the course)."""
    entries = [("setup.sh", (SCRIPTS / "setup.sh").read_bytes(), EXECUTABLE),
               ("run_autograder", (SCRIPTS / "run_autograder").read_bytes(), EXECUTABLE),
               ("requirements.txt", requirements(NOT_FOR_GRADING).encode(), REGULAR),
               (CONFIG, json.dumps({"assignment": assignment}).encode() + b"\n", REGULAR)]
    entries += [(name, data, REGULAR) for name, data in _package_files()]
    zip_path = Path(zip_path)
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = mode
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return zip_path


def _configured_assignment() -> str | None:
    """The assignment the zip was built for; None in a checkout of the kit (no zip)."""
    config = PACKAGE.parent / CONFIG
    return json.loads(config.read_text(encoding="utf-8"))["assignment"] \
        if config.exists() else None


def _nothing_graded(output: str) -> dict:
    return {**gradescope_results([]), "output": output}


def run(root: Path, *, assignment: str | None) -> dict:
    """Grade the submission in `root`/submission/, write `root`/results/results.json and
    return what it holds."""
    notebooks = find_notebooks([root / "submission"]) if (root / "submission").is_dir() else []
    expected = ASSIGNMENTS[assignment][0] if assignment else None
    if expected:  # the right name wins; else one notebook, whatever a download renamed it to
        notebooks = [p for p in notebooks if p.name == expected] or notebooks
    results = None
    if not notebooks:
        results = _nothing_graded(f"No notebook (.ipynb) in this submission: upload "
                                  f"{expected or 'your notebook'}.")
    elif expected and len(notebooks) > 1:
        results = _nothing_graded(f"Upload one notebook, {expected}; this submission has "
                                  f"{len(notebooks)}: "
                                  f"{', '.join(sorted(p.name for p in notebooks))}.")
    if results is None:
        sandbox = Sandbox()
        if not sandbox.isolated:
            print(REDUCED_ISOLATION, file=sys.stderr)
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
    write_atomically(root / "results" / "results.json", results_json(results))
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope",
                                     description="The kit as a Gradescope autograder.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_command = commands.add_parser("build", help="write the autograder zip")
    build_command.add_argument("zip_path", type=Path, metavar="ZIP")
    build_command.add_argument("--assignment", choices=list(ASSIGNMENTS),
                               help="the assignment it grades (default: whichever the "
                                    "notebook's file name says)")
    commands.add_parser("run", help="grade $AUTOGRADER_ROOT/submission (default "
                                    "/autograder): what run_autograder does on Gradescope")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(f"wrote {build(args.zip_path, assignment=args.assignment)}")
    else:
        run(Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")),
            assignment=_configured_assignment())
    return 0


if __name__ == "__main__":
    sys.exit(main())
