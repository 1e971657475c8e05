"""Read a submitted notebook: its code cells, its assignment, its student. Never executes.

Plain JSON parsing (nbformat's import alone costs most of a second per process), with a
clear `NotebookError` for everything that is not a readable notebook.
"""
import errno
import json
import math
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, assignment_of_notebook
from autograder.checking.errors import KitError
from autograder.checking.results import HandGraded

MAX_NOTEBOOK_BYTES = 20 * 1024 * 1024
# What nbgrader's release puts in a written answer's cell (ClearSolutions.text_stub).
ANSWER_STUB = "YOUR ANSWER HERE"


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
    by_hand: tuple[HandGraded, ...] = ()


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


def _points(value) -> float | None:
    try:
        points = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return points if math.isfinite(points) and points >= 0 else None


def hand_graded(document: dict) -> tuple[HandGraded, ...]:
    """The cells a person grades, as nbgrader's metadata marks them: answers that are both
    solution and grade cells (written answers) and tasks. An answer left as the release
    gave it scores 0 at once, as under nbgrader; the others wait for a grade (score None)."""
    found: dict[str, HandGraded] = {}
    for cell in _raw_cells(document):
        meta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        nbgrader = meta.get("nbgrader", {}) if isinstance(meta, dict) else {}
        if not isinstance(nbgrader, dict) or not (
                nbgrader.get("task") or (nbgrader.get("grade") and nbgrader.get("solution"))):
            continue
        grade_id, points = nbgrader.get("grade_id"), _points(nbgrader.get("points"))
        if not isinstance(grade_id, str) or points is None or grade_id in found:
            continue
        unanswered = not nbgrader.get("task") \
            and _source(cell.get("source", "")).strip() in ("", ANSWER_STUB)
        found[grade_id] = HandGraded(grade_id, points, 0.0 if unanswered else None)
    return tuple(found.values())


def identify(path: Path, document: dict) -> tuple[str | None, str | None]:
    """(assignment, student) from nbgrader's layout <student>/<assignment>/<notebook>,
    else from the notebook's file name."""
    parent = path.parent.name
    if parent in ASSIGNMENTS:
        student = path.parent.parent.name or None
        return parent, student
    return assignment_of_notebook(path.name), None


def read_bytes_safely(path: Path, max_bytes: int = MAX_NOTEBOOK_BYTES) -> bytes:
    """The bytes of a regular file, examined without following a link and opened without
    blocking: a symlink could make another file (another student's notebook) this
    submission's, and a pipe or a device (/dev/zero) would block the grader or never end.
    NotebookError says what the path is instead."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotebookError("the file is a symbolic link; only regular files are "
                                "graded") from None
        if error.errno == errno.EISDIR:
            raise NotebookError("it is a directory, not a notebook") from None
        raise NotebookError(f"cannot read the file: {error.strerror}") from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        raise NotebookError("it is a directory, not a notebook" if stat.S_ISDIR(status.st_mode)
                            else "it is not a regular file (a pipe or a device?), not a "
                                 "notebook")
    with os.fdopen(descriptor, "rb") as file:
        if status.st_size > max_bytes:
            raise NotebookError(f"the file is {status.st_size / 2**20:.0f} MiB; notebooks "
                                f"over {max_bytes // 2**20} MiB are not graded")
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:  # grew while it was read
        raise NotebookError(f"the file is over {max_bytes // 2**20} MiB; it is not graded")
    return data


def read(path: Path) -> Notebook:
    try:
        text = read_bytes_safely(path).decode("utf-8")
    except UnicodeDecodeError:
        raise NotebookError("the file is not UTF-8 text (is it a notebook at all?)") from None
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
    return Notebook(path, code_cells(document), assignment, student, hand_graded(document))
