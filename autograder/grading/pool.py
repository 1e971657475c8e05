"""Grade many notebooks at once: a pool of worker processes, one sandbox each, every row
handed back here as soon as it is done, and Ctrl-C handled without losing finished work."""
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from autograder.checking.results import Row
from autograder.grading.submission import grade_safely, not_graded
from autograder.sandbox.starter import Sandbox

_worker_sandbox: Sandbox | None = None  # each worker process's copy of the run's sandbox


def _start_worker(sandbox: Sandbox):
    global _worker_sandbox
    _worker_sandbox = sandbox
    # Ctrl-C is the parent's to handle: here pytest would catch it, and the notebook in
    # progress would come back as an error row while the run went on.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The sandbox's fork server imports numpy and torch while this worker imports its own.
    sandbox.prepare()


def _grade_in_worker(path: Path) -> Row:
    return grade_safely(path, _worker_sandbox)


def _graded(future, path: Path) -> Row:
    try:
        return future.result()
    except Exception as error:  # a worker process that died (killed, out of memory)
        return not_graded(path, f"the grader's worker process failed: "
                                f"{type(error).__name__}: {error}")


def grade_each(notebooks: list[Path], sandbox: Sandbox, *, jobs: int | None = None,
               on_row: Callable[[Path, Row], None]):
    """Grade `notebooks` in `jobs` worker processes (default: one per core), calling
    `on_row(path, row)` here as each one is done, in no particular order.

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
