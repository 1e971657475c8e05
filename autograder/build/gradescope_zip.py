"""The kit as a Gradescope autograder zip (`make gradescope`):

    python -m autograder gradescope build dist/gradescope-autograder.zip [--assignment A]

The zip holds gradescope/setup.sh and gradescope/run_autograder, the whole `autograder`
package (references, hidden checks and mistake models included: Gradescope grades on its
own servers, where students cannot read them), the pinned requirements the grader needs,
and gradescope.json, which says which assignment the zip grades (null: whichever the
notebook's name says). Entries have fixed dates, so the same kit builds the same bytes.
On Gradescope, run_autograder grades with autograder.grading.gradescope.
"""
import json
import zipfile
from pathlib import Path

from autograder.build.student_bundle import requirements
from autograder.grading.gradescope import CONFIG
from autograder.layout import PACKAGE, ROOT

SCRIPTS = ROOT / "gradescope"
# Tools for the instructor and the kit's tests; the grader never imports them.
NOT_FOR_GRADING = {"jupyterlab", "notebook", "nbgrader", "nbval", "playwright",
                   "kubernetes-validate", "ruff", "mypy"}
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
