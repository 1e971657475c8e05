"""Read a submitted notebook: its code cells, its assignment, its student. Never executes.

Plain JSON parsing (nbformat's import alone costs most of a second per process), with a
clear `NotebookError` for everything that is not a readable notebook.
"""
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, assignment_of_notebook
from autograder.checking.errors import KitError

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024


class NotebookError(KitError):
    """This file cannot be graded as a notebook; the message says why."""


@dataclass(frozen=True)
class CodeCell:
    index: int          # position among all cells, counting from 1 as Jupyter users do
    source: str
    is_test: bool       # an nbgrader test cell (grade, not solution): a check, not student code


@dataclass(frozen=True)
class Notebook:
    path: Path
    cells: tuple[CodeCell, ...]
    assignment: str | None
    student: str | None


def _source(value) -> str:
    if isinstance(value, list):
        return "".join(str(part) for part in value)
    if isinstance(value, str):
        return value
    raise NotebookError("a cell's source is neither text nor a list of lines")


def _raw_cells(document: dict) -> list:
    if not isinstance(document, dict) or "nbformat" not in document:
        raise NotebookError("this JSON file is not a Jupyter notebook (no 'nbformat' field)")
    version = document.get("nbformat")
    if version == 4:
        cells = document.get("cells")
    elif version == 3:  # old notebooks: cells inside worksheets, code under "input"
        cells = [dict(cell, source=cell.get("input", ""))
                 for sheet in document.get("worksheets", []) if isinstance(sheet, dict)
                 for cell in sheet.get("cells", []) if isinstance(cell, dict)]
    else:
        raise NotebookError(f"unsupported notebook format version {version!r}")
    if not isinstance(cells, list):
        raise NotebookError("the notebook has no list of cells")
    return cells


def code_cells(document: dict) -> tuple[CodeCell, ...]:
    found = []
    for index, cell in enumerate(_raw_cells(document), start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata", {})
        nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        is_test = isinstance(nbgrader, dict) and bool(nbgrader.get("grade")) \
            and not nbgrader.get("solution")
        found.append(CodeCell(index, _source(cell.get("source", "")), is_test))
    return tuple(found)


def identify(path: Path, document: dict) -> tuple[str | None, str | None]:
    """(assignment, student) from nbgrader's layout <student>/<assignment>/<notebook>,
    else from the notebook's file name."""
    parent = path.parent.name
    if parent in ASSIGNMENTS:
        student = path.parent.parent.name or None
        return parent, student
    return assignment_of_notebook(path.name), None


def read(path: Path) -> Notebook:
    # Regular files only: a symlink would make another file (another student's notebook,
    # anything the grader can read) this submission's, and a pipe or a device (/dev/zero)
    # would block the grader or never end.
    if path.is_symlink():
        raise NotebookError("the file is a symbolic link; only regular files are graded")
    if path.is_dir():
        raise NotebookError("it is a directory, not a notebook")
    if path.exists() and not path.is_file():
        raise NotebookError("it is not a regular file (a pipe or a device?), not a notebook")
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise NotebookError(f"the file is {size / 2**20:.0f} MiB; notebooks over "
                                f"{MAX_NOTEBOOK_BYTES // 2**20} MiB are not graded")
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError("the file is not UTF-8 text (is it a notebook at all?)") from None
    except OSError as error:
        raise NotebookError(f"cannot read the file: {error.strerror}") from None
    if not text.strip():
        raise NotebookError("the file is empty")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"the notebook is not valid JSON (line {error.lineno}, "
                            f"column {error.colno}: {error.msg}); it may be truncated") from None
    except RecursionError:
        raise NotebookError("the notebook's JSON is nested too deeply to be a notebook") from None
    assignment, student = identify(path, document)
    return Notebook(path, code_cells(document), assignment, student)
