"""Grade one submitted notebook: its row, whatever happens to it.

notebook file → (its code runs in a sandboxed child process) → the checks, here → a typed
Row (autograder.checking.results) with every check's result. Nothing depends on timing or
order, so grading the same notebook twice gives the same row.
"""
import dataclasses
from dataclasses import dataclass
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, exercises_of
from autograder.checking.engine import run_checks
from autograder.checking.results import Row
from autograder.grading.cell_selection import cells_to_run
from autograder.grading.notebooks import Notebook, NotebookError, identify, read
from autograder.protocol.calls import Call
from autograder.sandbox.notebook_process import NotebookProcess, SubmissionCrashed
from autograder.sandbox.starter import Sandbox


@dataclass(frozen=True)
class Found:
    """A notebook under a PATH given, and why it is not graded (None: it is)."""
    path: Path
    refused: str | None = None


def _refusal(path: Path, root: Path) -> str | None:
    """Why a notebook found in the folder `root` is not graded, or None.

    The student and the assignment come from the top of the layout the instructor gave,
    root/<student>/<assignment>/<notebook>.ipynb, and only the assignment's own notebook
    counts: nothing a student puts in their folder (a copy, a nested
    <other student>/<assignment>/ folder) can make a row for anyone, themselves included.
    """
    depth = len(path.relative_to(root).parts)
    if depth > 3:
        return (f"nested below <student>/<assignment>/ in the folder given "
                f"({path.relative_to(root).as_posix()}): only "
                f"<student>/<assignment>/<notebook>.ipynb is graded")
    assignment = path.parent.name
    if assignment in ASSIGNMENTS and path.name != ASSIGNMENTS[assignment][0]:
        return (f"another notebook in the {assignment} folder: only "
                f"{ASSIGNMENTS[assignment][0]} is graded there")
    return None


def find_notebooks(paths) -> list[Found]:
    """Each PATH as given: a notebook, or a folder searched for notebooks (checkpoints
    skipped), each with the reason it is not graded, if any. A path that does not exist
    still yields a row, saying so."""
    found = []
    for path in map(Path, paths):
        if path.is_dir() and not path.is_symlink():
            notebooks = sorted(p for p in path.rglob("*.ipynb")
                               if ".ipynb_checkpoints" not in p.parts)
            found += [Found(p, _refusal(p, path)) for p in notebooks]
        else:
            found.append(Found(path))
    return found


def not_graded(path: Path, reason: str, *, assignment=None, student=None, by_hand=()) -> Row:
    return Row(str(path), student, assignment, error=reason, by_hand=by_hand)


def grade_notebook(path: Path, sandbox: Sandbox, *, every_cell: bool = False) -> Row:
    """The contract's row for one notebook, and its checks, its code run in `sandbox`:
    only the cells its answers need (autograder.grading.cell_selection), or `every_cell`."""
    try:
        notebook = read(path)
    except NotebookError as error:  # still carol's 02-broadcasting, if the layout says so
        assignment, student = identify(path, {})
        return not_graded(path, str(error), assignment=assignment, student=student)
    if notebook.assignment is None:
        return not_graded(path, f"cannot tell which assignment {path.name!r} belongs to: "
                                "expected <student>/<assignment>/<notebook> or a notebook "
                                "named as in the course", student=notebook.student)
    needed = None if every_cell else cells_to_run(notebook)
    if needed is not None:
        row, doubtful = _run(dataclasses.replace(notebook, cells=needed), sandbox)
        if not doubtful:
            return dataclasses.replace(row, every_cell=False)
    return _run(notebook, sandbox)[0]


class _Watched:
    """A caller that notices what may mean a skipped cell was needed after all: a function
    not defined, a NameError or an AttributeError."""

    def __init__(self, inner: NotebookProcess) -> None:
        self.inner = inner
        self.doubtful = False

    def defines(self, name: str) -> bool:
        found = self.inner.defines(name)
        self.doubtful |= not found
        return found

    def call(self, name: str, args: tuple, kwargs: dict) -> Call:
        call = self.inner.call(name, args, kwargs)
        raised = call.raised
        self.doubtful |= raised is not None and (raised.is_a(NameError) or
                                                 raised.is_a(AttributeError))
        return call


def _run(notebook: Notebook, sandbox: Sandbox) -> tuple[Row, bool]:
    """The notebook's row with these of its cells run, and whether the checks met what may
    mean a cell left out was needed."""
    names = [ex.name for ex in exercises_of(notebook.assignment)]
    process = NotebookProcess(notebook, sandbox)
    watched = _Watched(process)
    try:
        process.start()
        results = run_checks(names, watched, hidden=True)
    except SubmissionCrashed as error:
        return not_graded(notebook.path, str(error), assignment=notebook.assignment,
                          student=notebook.student, by_hand=notebook.by_hand), False
    finally:
        process.close()
    return Row(str(notebook.path), notebook.student, notebook.assignment, results,
               by_hand=notebook.by_hand), watched.doubtful


def grade_safely(path: Path, sandbox: Sandbox) -> Row:
    """grade_notebook, but the grader's own failure still gives the notebook a row."""
    try:
        return grade_notebook(path, sandbox)
    except Exception as error:
        return not_graded(path, f"the grader failed on this notebook: "
                                f"{type(error).__name__}: {error}")
