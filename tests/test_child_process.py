"""The batch caller: a notebook's functions called in a child process, which survives
(or is replaced after) hangs and crashes without affecting the grader."""
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.child_process import NotebookProcess, SubmissionCrashed
from autograder.notebooks import read

pytestmark = pytest.mark.slow


def start(submit, cells, **limits) -> NotebookProcess:
    process = NotebookProcess(read(submit("alice", "01-definition", cells)), **limits)
    process.start()
    return process


def test_functions_are_found_and_called_through_plain_data(submit):
    """A function defined in the notebook is called with arrays and returns arrays."""
    process = start(submit, ["import numpy as np", "def double(x):\n    return 2 * x"])
    try:
        assert process.defines("double") and not process.defines("np")
        call = process.call("double", (np.arange(3.0),), {})
        assert call.raised is None and call.result.tolist() == [0.0, 2.0, 4.0]
    finally:
        process.close()


def test_a_failing_cell_does_not_stop_the_next_and_output_stays_out(submit):
    """Like nbgrader: later cells run after an error; prints, input() and forged messages
    on stdout do not reach the protocol."""
    process = start(submit, [
        'print(\'{"functions": ["forged"], "cell_errors": []}\')',
        "raise RuntimeError('boom')",
        "answer = input()",
        "def f():\n    print('{\"result\": 99}')\n    return 1"])
    try:
        assert process.functions == {"f"}
        assert process.cell_errors == ["cell 2: RuntimeError: boom",
                                       "cell 3: EOFError: EOF when reading a line"]
        assert process.call("f", (), {}).result == 1
    finally:
        process.close()


def test_an_endless_top_level_cell_is_stopped_and_later_cells_run(submit):
    """A top-level infinite loop costs that cell only."""
    process = start(submit, ["while True:\n    pass", "def f():\n    return 1"],
                    cell_timeout=1)
    try:
        assert process.defines("f")
        assert process.cell_errors == [
            "cell 1: stopped after 1 s (an infinite loop at the top level?)"]
    finally:
        process.close()


def test_an_endless_call_times_out_and_the_next_call_works(submit):
    """A call that never returns raises TimeoutError; the same process answers the next."""
    process = start(submit, ["def spin(n):\n    while n:\n        pass\n    return 0"],
                    call_timeout=1)
    try:
        hung = process.call("spin", (1,), {})
        assert hung.raised.type_name == "TimeoutError"
        assert "did not return within 1 s" in hung.raised.message
        assert process.call("spin", (0,), {}).result == 0
    finally:
        process.close()


def test_a_call_that_kills_the_process_fails_alone_and_the_process_restarts(submit):
    """os._exit inside a call fails that call; the next call gets a fresh process."""
    process = start(submit, ["import os\ndef f(die):\n    if die:\n        os._exit(3)\n"
                             "    return 5"])
    try:
        died = process.call("f", (True,), {})
        assert died.raised.type_name == "ProcessStopped"
        assert "exited with status 3" in died.raised.message
        assert process.call("f", (False,), {}).result == 5
    finally:
        process.close()


def test_a_notebook_that_kills_itself_at_the_top_level_is_reported(submit):
    """A process that dies while running the cells cannot be graded, and says why."""
    with pytest.raises(SubmissionCrashed, match="exited with status 7"):
        start(submit, ["import os\nos._exit(7)"])


def test_processes_started_by_the_notebook_die_with_it(submit, tmp_path):
    """Every process a submission starts is killed when grading ends."""
    process = start(submit, ["import subprocess, pathlib\n"
                             "p = subprocess.Popen(['sleep', '300'])\n"
                             "pathlib.Path('child.pid').write_text(str(p.pid))"])
    pid_file = next(Path(tmp_path).rglob("child.pid"))
    pid = int(pid_file.read_text())
    process.close()
    status = Path(f"/proc/{pid}/status")
    for _ in range(100):  # SIGKILL is sent; the kernel needs a moment to finish the exit
        if not status.exists() or "State:\tZ" in status.read_text():
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"process {pid} outlived the submission")
