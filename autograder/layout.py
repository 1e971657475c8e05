"""Where the kit's parts are, and which of them cross each trust boundary.

The package is split along those boundaries; these lists are the only place that says what
goes where, and tests/test_layout.py holds the imports to them:
- checking/ and protocol/ are what the student bundle ships (with the sanitized checks);
- protocol/ and sandbox/inside/ are all that may enter the sandbox;
- what decides a score (the checks, the references, the checking engine, the protocol, the
  sandbox, and the grading modules that read a notebook and choose which of its cells run
  and how it is graded) is what the results store's fingerprint covers.
"""
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent

SHIPPED_TO_STUDENTS = ("checking", "protocol")
STAGED_IN_SANDBOX = ("protocol", "sandbox/inside")
DECIDES_SCORES = ("checks", "references", "checking", "protocol", "sandbox",
                  "grading/notebooks.py", "grading/cell_facts.py", "grading/cell_selection.py",
                  "grading/submission.py")


def python_files(*places: str, suffixes: tuple[str, ...] = (".py",)) -> list[Path]:
    """The package's source files in these folders or files (relative to the package),
    sorted."""
    found: set[Path] = set()
    for place in (PACKAGE / place for place in places):
        found.update(place.rglob("*") if place.is_dir() else [place])
    return sorted(path for path in found
                  if path.suffix in suffixes and "__pycache__" not in path.parts)
