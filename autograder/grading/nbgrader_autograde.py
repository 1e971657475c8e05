"""`nbgrader autograde`, graded by the kit: preprocessors that take the place of nbgrader's
Execute (see nbgrader_config.py).

Stock nbgrader runs the student's notebook in a kernel and reads each graded cell's score
from what the cell displays, so one line of student code can change how its result is read
(a display formatter, `ast_node_interactivity`, a function that walks up to the check's
frame). Here nothing of the notebook runs in nbgrader's process or kernel: the notebook is
graded exactly as `python -m autograder grade` grades it (its code in the kit's sandbox,
the checks in this process), and each check cell then shows the kit's score as its only
result, which nbgrader's SaveAutoGrades records as partial credit. The student's own kernel
(check cells, nbgrader's Validate) is untouched: this runs only under `nbgrader autograde`.

Both run in nbgrader's first pass over a submission (its sanitize_preprocessors), around
nbgrader's own: GradeWithTheKit first, on the notebook as submitted (the file the kit would
grade, in its folder), ShowTheKitsScores last, on the cells nbgrader's pass made. In
between, nbgrader puts back the release's cells (OverwriteCells) from each cell's nbgrader
metadata, which is the student's to edit: so GradeWithTheKit, once the kit has graded the
notebook, puts back every cell's nbgrader metadata from nbgrader's gradebook (the release's
cells), and a notebook whose metadata was changed (a check cell no longer graded, a grade id
moved, copied or made up, other points) is read by nbgrader as the release's cells, graded
as the kit grades it: neither more nor, through nbgrader's failing on it, less.

The kit grades every exercise of the assignment whatever cells the notebook has, but nbgrader
records a score only for the grade cells it finds: a check cell the notebook lacks (deleted,
or a notebook never made from the release) is added back, after grading, so that its
exercise's score counts as it does in `python -m autograder grade`.
"""
import atexit
import json
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor
from nbformat.v4.nbbase import random_cell_id
from traitlets import Bool

from autograder.checking.feedback import exercise_feedback
from autograder.checking.results import ExerciseResult, Row
from autograder.grading.submission import grade_safely
from autograder.sandbox.starter import Sandbox

CHECK_PREFIX = "check_"   # a check cell's grade_id is check_<exercise>
ROW = "kit_row"   # the kit's row for the notebook, in nbgrader's resources


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


def release_metadata(gradebook, notebook: str, assignment: str) -> dict[str, dict]:
    """The nbgrader metadata of each of the release's cells, by grade id, as nbgrader's
    gradebook has it (the source's cells: OverwriteCells checks a notebook against these)."""
    from nbgrader.nbgraderformat import SCHEMA_VERSION

    source = gradebook.find_notebook(notebook, assignment)
    points = {cell.name: cell.max_score for cell in [*source.grade_cells, *source.task_cells]}
    grades = {cell.name for cell in source.grade_cells}
    solutions = {cell.name for cell in source.solution_cells}
    tasks = {cell.name for cell in source.task_cells}
    return {cell.name: {"grade": cell.name in grades, "grade_id": cell.name,
                        "locked": cell.locked, "solution": cell.name in solutions,
                        "task": cell.name in tasks, "checksum": cell.checksum,
                        "cell_type": cell.cell_type, "schema_version": SCHEMA_VERSION,
                        **({"points": points[cell.name]} if cell.name in points else {})}
            for cell in source.source_cells}


def restore_metadata(notebook, resources: dict) -> None:
    """Every cell's nbgrader metadata as the release has it: the release's own for the first
    cell that bears each of its grade ids, none for any other cell (a grade id the release
    lacks or seen before, metadata that is not a dict), so that nbgrader's own steps
    (DeduplicateIds, OverwriteCells, CheckCellMetadata, SaveAutoGrades) read only the
    release's cells, and none of them fails on the notebook."""
    from nbgrader.api import Gradebook

    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        release = release_metadata(gradebook, info["notebook"], info["assignment"])
    seen = set()
    for cell in notebook.cells:
        grade = cell.metadata.pop("nbgrader", None)
        grade_id = grade.get("grade_id") if isinstance(grade, dict) else None
        if isinstance(grade_id, str) and grade_id in release and grade_id not in seen:
            seen.add(grade_id)
            cell.metadata["nbgrader"] = nbformat.from_dict(release[grade_id])


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


class ReadAsTheKit(NotebookExporter):
    """nbgrader's exporter, but a notebook whose own or a cell's metadata is missing or not a
    dict is read with {} there: nbformat cannot read it, so nbgrader would fail a notebook
    that the kit grades (which reads no such metadata)."""

    def from_file(self, file_stream, resources=None, **kw):
        text = file_stream.read()
        try:
            document = json.loads(text)
        except (ValueError, RecursionError):
            document = None   # nbformat says what is wrong
        if isinstance(document, dict) and document.get("nbformat") == 4:
            cells = document.get("cells")
            parts = [document, *(cells if isinstance(cells, list) else ())]
            mended = [part for part in parts
                      if isinstance(part, dict) and not isinstance(part.get("metadata"), dict)]
            for part in mended:
                part["metadata"] = {}
            text = json.dumps(document) if mended else text
        return self.from_notebook_node(nbformat.reads(text, as_version=4),
                                       resources=resources, **kw)


class GradeWithTheKit(Preprocessor):
    """nbgrader's Execute, replaced: the notebook graded by the kit, in its sandbox, as it
    was submitted; then its nbgrader metadata put back as the release has it. First of
    nbgrader's sanitize_preprocessors: the notebook is the one in the submission's folder."""

    enabled = Bool(True)   # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        folder, name = resources["metadata"]["path"], resources["nbgrader"]["notebook"]
        resources[ROW] = grade_safely(Path(folder) / f"{name}.ipynb", _sandbox(self.log))
        restore_metadata(nb, resources)
        return nb, resources


class ShowTheKitsScores(Preprocessor):
    """Each check cell shows the kit's score for its exercise (the check cells the notebook
    lacks added back): last of nbgrader's sanitize_preprocessors, on the cells nbgrader's
    own steps left."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        restore_checks(nb, resources)
        show_row(nb, resources[ROW])
        return nb, resources
