"""`nbgrader autograde`, graded by the kit: a preprocessor that takes the place of nbgrader's
Execute (see nbgrader_config.py).

Stock nbgrader runs the student's notebook in a kernel and reads each graded cell's score
from what the cell displays, so one line of student code can change how its result is read
(a display formatter, `ast_node_interactivity`, a function that walks up to the check's
frame). Here nothing of the notebook runs in nbgrader's process or kernel: the notebook is
graded exactly as `python -m autograder grade` grades it (its code in the kit's sandbox,
the checks in this process), and each check cell then shows the kit's score as its only
result, which nbgrader's SaveAutoGrades records as partial credit. The student's own kernel
(check cells, nbgrader's Validate) is untouched: this runs only under `nbgrader autograde`.

The kit grades every exercise of the assignment whatever cells the notebook has, but nbgrader
records a score only for the grade cells it finds: a check cell the notebook lacks (deleted,
or a notebook never made from the release) is added back, after grading, so that its
exercise's score counts as it does in `python -m autograder grade`.
"""
import atexit
import shutil
import tempfile
from pathlib import Path

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbformat.v4.nbbase import random_cell_id
from traitlets import Bool

from autograder.checking.feedback import exercise_feedback
from autograder.checking.results import ExerciseResult, Row
from autograder.grading.submission import grade_safely
from autograder.sandbox.starter import Sandbox

CHECK_PREFIX = "check_"   # a check cell's grade_id is check_<exercise>


def _stage(notebook, resources: dict, folder: Path) -> Path:
    """The notebook, with the regular files of its folder, laid out as
    <student>/<assignment>/<notebook>.ipynb under `folder`: the layout the kit grades."""
    info = resources["nbgrader"]
    # nbgrader's ids are safe folder names (it made folders of them already).
    target = folder / info["student"] / info["assignment"]
    target.mkdir(parents=True)
    source = Path(resources.get("metadata", {}).get("path") or ".")
    for entry in source.iterdir() if source.is_dir() else ():
        if entry.suffix != ".ipynb" and entry.is_file() and not entry.is_symlink():
            shutil.copy(entry, target / entry.name)
    path = target / f"{info['notebook']}.ipynb"
    nbformat.write(notebook, path)
    return path


def _score_output(score: float, feedback: str) -> list:
    """What a check cell shows: the kit's feedback as text, then the score as the cell's
    result (the one value nbgrader reads)."""
    return [nbformat.v4.new_output("stream", name="stdout", text=feedback + "\n"),
            nbformat.v4.new_output("execute_result", data={"text/plain": repr(score)},
                                   execution_count=1)]


def _error_output(reason: str) -> list:
    return [nbformat.v4.new_output("error", ename="NotGraded", evalue=reason,
                                   traceback=[f"not graded: {reason}"])]


def show_row(notebook, row: Row) -> None:
    """Write the row into the notebook's cells: each check cell gets its exercise's score,
    every other code cell no output (its code ran in the sandbox, not here)."""
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        grade = cell.metadata.get("nbgrader", {})
        grade_id = str(grade.get("grade_id", ""))
        if not grade.get("grade") or not grade_id.startswith(CHECK_PREFIX):
            cell.outputs = []
            continue
        result: ExerciseResult | None = row.exercises.get(grade_id[len(CHECK_PREFIX):])
        if row.error is not None or result is None:
            cell.outputs = _error_output(row.error or f"no exercise named "
                                                      f"{grade_id[len(CHECK_PREFIX):]!r}")
        else:
            points = float(grade.get("points", result.max_score))
            cell.outputs = _score_output(min(result.score, points), exercise_feedback(result))


def restore_checks(notebook, resources: dict) -> None:
    """Add the check cells that the notebook lacks at its end, from nbgrader's gradebook, as
    nbgrader's own OverwriteCells.add_missing_cells makes them (which places each after the
    cell before it in the release, and fails on a notebook that lacks that one too)."""
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import OverwriteCells

    info = resources["nbgrader"]
    present = {cell.metadata.get("nbgrader", {}).get("grade_id") for cell in notebook.cells}
    with Gradebook(info["db_url"]) as gradebook:
        source = gradebook.find_notebook(info["notebook"], info["assignment"])
        for grade_cell in source.grade_cells:
            if not grade_cell.name.startswith(CHECK_PREFIX) or grade_cell.name in present:
                continue
            cell = OverwriteCells().missing_cell_transform(
                gradebook.find_source_cell(grade_cell.name, info["notebook"],
                                           info["assignment"]), grade_cell.max_score)
            if (notebook.nbformat, notebook.nbformat_minor) >= (4, 5):
                cell.id = random_cell_id()
            notebook.cells.append(cell)


_sandboxes: list[Sandbox] = []


def _sandbox(log) -> Sandbox:
    """One sandbox for the whole nbgrader run (nbgrader makes a new preprocessor for each
    notebook): its fork server starts, and imports numpy and torch, once."""
    if not _sandboxes:
        sandbox = Sandbox()
        for warning in sandbox.warnings:
            log.warning(warning)
        atexit.register(sandbox.close)
        _sandboxes.append(sandbox)
    return _sandboxes[0]


class GradeWithTheKit(Preprocessor):
    """nbgrader's Execute, replaced: the notebook graded by the kit, in its sandbox."""

    enabled = Bool(True)   # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        with tempfile.TemporaryDirectory(prefix="nbgrader-kit-") as folder:
            row = grade_safely(_stage(nb, resources, Path(folder)), _sandbox(self.log))
        restore_checks(nb, resources)
        show_row(nb, row)
        return nb, resources
