"""Grade submitted notebooks: one result row per notebook, whatever happens to it.

notebook file → (child process runs its code) → checks in a worker process → row of plain
data in the contract's JSON shape, and beside it each check's result (the class report,
the exports and Gradescope need them; the row has only each exercise's feedback text).
Neither depends on timing or order, so grading the same notebook twice gives the same.
"""
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from .child_process import NotebookProcess, SubmissionCrashed
from .engine import run_checks
from .exercises import exercises_of
from .feedback import exercise_feedback
from .notebooks import NotebookError, identify, read
from .results import Graded
from .sandbox import Sandbox


def find_notebooks(paths) -> list[Path]:
    """Each PATH as given: a notebook, or a folder searched for notebooks (checkpoints
    skipped). A path that does not exist still yields a row, saying so."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*.ipynb")
                            if ".ipynb_checkpoints" not in p.parts)
        else:
            found.append(path)
    return found


def not_graded(path: Path, reason: str, *, assignment=None, student=None) -> Graded:
    return Graded({"path": str(path), "student": student, "assignment": assignment,
                   "status": "error", "error": reason, "score": 0.0, "max_score": 0.0,
                   "exercises": {}})


def grade_notebook(path: Path, sandbox: Sandbox) -> Graded:
    """The contract's row for one notebook, and its checks, its code run in `sandbox`."""
    try:
        notebook = read(path)
    except NotebookError as error:  # still carol's 02-broadcasting, if the layout says so
        assignment, student = identify(path, {})
        return not_graded(path, str(error), assignment=assignment, student=student)
    if notebook.assignment is None:
        return not_graded(path, f"cannot tell which assignment {path.name!r} belongs to: "
                                "expected <student>/<assignment>/<notebook> or a notebook "
                                "named as in the course", student=notebook.student)
    names = [ex.name for ex in exercises_of(notebook.assignment)]
    process = NotebookProcess(notebook, sandbox)
    try:
        process.start()
        results = run_checks(names, process, hidden=True)
    except SubmissionCrashed as error:
        return not_graded(path, str(error), assignment=notebook.assignment,
                          student=notebook.student)
    finally:
        process.close()
    exercises = {name: {"score": r.score, "max_score": r.max_score,
                        "feedback": exercise_feedback(r)} for name, r in results.items()}
    row = {"path": str(path), "student": notebook.student,
           "assignment": notebook.assignment, "status": "graded", "error": None,
           "score": round(sum(e["score"] for e in exercises.values()), 6),
           "max_score": round(sum(e["max_score"] for e in exercises.values()), 6),
           "exercises": exercises}
    return Graded(row, {name: r.checks for name, r in results.items()})


_worker_sandbox: Sandbox | None = None  # each worker process's copy of the run's sandbox


def _start_worker(sandbox: Sandbox):
    global _worker_sandbox
    _worker_sandbox = sandbox
    # Ctrl-C is the parent's to handle: here pytest would catch it, and the notebook in
    # progress would come back as an error row while the run went on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def grade_safely(path: Path, sandbox: Sandbox) -> Graded:
    """grade_notebook, but the grader's own failure still gives the notebook a row."""
    try:
        return grade_notebook(path, sandbox)
    except Exception as error:
        return not_graded(path, f"the grader failed on this notebook: "
                                f"{type(error).__name__}: {error}")


def _grade_in_worker(path: Path) -> Graded:
    return grade_safely(path, _worker_sandbox)


def _graded(future, path: Path) -> Graded:
    try:
        return future.result()
    except Exception as error:  # a worker process that died (killed, out of memory)
        return not_graded(path, f"the grader's worker process failed: "
                                f"{type(error).__name__}: {error}")


def grade_each(notebooks: list[Path], sandbox: Sandbox, *, jobs: int | None = None,
               on_row: Callable[[Path, Graded], None]):
    """Grade `notebooks` in `jobs` worker processes (default: one per core), calling
    `on_row(path, graded)` here as each one is done, in no particular order.

    On Ctrl-C the notebooks not started yet are dropped; those in progress finish and reach
    `on_row` (their work is not wasted), then KeyboardInterrupt propagates.
    """
    if not notebooks:
        return
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(notebooks)))
    with ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker,
                             initargs=(sandbox,)) as pool:
        futures = {pool.submit(_grade_in_worker, path): path for path in notebooks}
        waiting = set(futures)
        try:
            for future in as_completed(futures):
                waiting.discard(future)
                on_row(futures[future], _graded(future, futures[future]))
        except BaseException as stop:  # grade no more (leaving the pool would wait for all)
            started = {future for future in waiting if not future.cancel()}
            if isinstance(stop, KeyboardInterrupt):
                for future in as_completed(started):
                    on_row(futures[future], _graded(future, futures[future]))
            raise
