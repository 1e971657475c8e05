"""The notebooks run: the solutions top to bottom with stable outputs (nbval), and the
students' release with every exercise unimplemented failing only in its check cell."""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.checking.course import ASSIGNMENTS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
INLINE_FIGURES = {"MPLBACKEND": "module://matplotlib_inline.backend_inline"}  # as in Jupyter


def test_solution_notebooks_run_with_the_outputs_they_show():
    """nbval re-runs every solution notebook and finds the stored outputs again."""
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-p", "no:cacheprovider",
                          "-q", "solutions"], cwd=ROOT, capture_output=True, text=True,
                         timeout=600, env={**os.environ, **INLINE_FIGURES})
    assert run.returncode == 0, run.stdout[-5000:]


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_an_untouched_release_fails_only_in_its_check_cells(assignment):
    """Every teaching cell of the student version runs; each check cell says "not
    implemented yet" and nothing else fails."""
    notebook_name, names = ASSIGNMENTS[assignment]
    path = ROOT / "notebooks" / assignment / notebook_name
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=120, allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    failing = []
    for cell in notebook.cells:
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        # A check cell; the written answers (markdown, graded by hand) run nothing.
        is_check = cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("grade")
        if is_check:
            assert errors, f"check cell {cell.source!r} passed on an unimplemented answer"
            shown = "".join(o.get("text", "") for o in cell.outputs if o["output_type"] == "stream")
            assert "is not implemented yet" in shown, shown
            failing.append(cell.source)
        else:
            assert not errors, f"{cell.source[:200]!r} failed: {errors[0]['evalue']}"
    assert sorted(failing) == sorted(f"check({name})" for name in names)
