"""The batch caller: a notebook's functions called in a child process, which survives
(or is replaced after) hangs and crashes without affecting the grader."""
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.grading.notebooks import read
from autograder.sandbox.notebook_process import NotebookProcess, SubmissionCrashed
from autograder.sandbox.starter import Limits, Sandbox, bubblewrap_works

pytestmark = pytest.mark.slow


@pytest.fixture(params=["bubblewrap", "plain"])
def start(request, submit):
    """start(cells, **limits): a started NotebookProcess, sandboxed by bubblewrap or not."""
    if request.param == "bubblewrap" and not bubblewrap_works():
        pytest.skip("bubblewrap cannot run here")
    started = []

    def start_process(cells, **limits) -> NotebookProcess:
        sandbox = Sandbox(Limits(**limits), isolate=request.param == "bubblewrap",
                          preload=("numpy",))
        started.append(sandbox)
        process = NotebookProcess(read(submit("alice", "01-definition", cells)), sandbox)
        started.append(process)
        process.start()
        return process
    yield start_process
    for thing in reversed(started):
        thing.close()


def test_functions_are_found_and_called_through_plain_data(start):
    """A function defined in the notebook is called with arrays and returns arrays."""
    process = start(["import numpy as np", "def double(x):\n    return 2 * x"])
    try:
        assert process.defines("double") and not process.defines("np")
        call = process.call("double", (np.arange(3.0),), {})
        assert call.raised is None and call.result.tolist() == [0.0, 2.0, 4.0]
    finally:
        process.close()


def test_a_failing_cell_does_not_stop_the_next_and_output_stays_out(start):
    """Like nbgrader: later cells run after an error; prints, input() and forged messages
    on stdout do not reach the protocol."""
    process = start([
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


def test_an_endless_top_level_cell_is_stopped_and_later_cells_run(start):
    """A top-level infinite loop costs that cell only."""
    process = start(["while True:\n    pass", "def f():\n    return 1"],
                    cell_seconds=1)
    try:
        assert process.defines("f")
        assert process.cell_errors == [
            "cell 1: stopped after 1 s (an infinite loop at the top level?)"]
    finally:
        process.close()


def test_an_endless_call_times_out_and_the_next_call_works(start):
    """A call that never returns raises TimeoutError; the same process answers the next."""
    process = start(["def spin(n):\n    while n:\n        pass\n    return 0"],
                    call_seconds=1)
    try:
        hung = process.call("spin", (1,), {})
        assert hung.raised.type_name == "TimeoutError"
        assert "did not return within 1 s" in hung.raised.message
        assert process.call("spin", (0,), {}).result == 0
    finally:
        process.close()


def test_a_call_that_kills_the_process_fails_alone_and_the_process_restarts(start):
    """os._exit inside a call fails that call; the next call gets a fresh process."""
    process = start(["import os\ndef f(die):\n    if die:\n        os._exit(3)\n"
                             "    return 5"])
    try:
        died = process.call("f", (True,), {})
        assert died.raised.type_name == "ProcessStopped"
        assert "exited with status 3" in died.raised.message
        assert process.call("f", (False,), {}).result == 5
    finally:
        process.close()


def test_a_notebook_that_kills_itself_at_the_top_level_is_reported(start):
    """A process that dies while running the cells cannot be graded, and says why."""
    with pytest.raises(SubmissionCrashed, match="exited with status 7"):
        start(["import os\nos._exit(7)"])


def sleeping(marker: str) -> list[int]:
    """Host pids of `sleep <marker>` processes that are still alive (not zombies)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            cmdline = (status.parent / "cmdline").read_bytes().split(b"\0")
            alive = "State:\tZ" not in status.read_text()
        except OSError:
            continue
        if cmdline[:2] == [b"sleep", marker.encode()] and alive:
            found.append(int(status.parent.name))
    return found


def test_processes_started_by_the_notebook_die_with_it(start):
    """Every process a submission starts, even one in a new session, is killed with it."""
    process = start(["import subprocess\n"
                     "subprocess.Popen(['sleep', '3141'])\n"
                     "subprocess.Popen(['sleep', '3141'], start_new_session=True)"])
    for _ in range(100):  # Popen returns before the child has become `sleep`
        if len(sleeping("3141")) == 2:
            break
        time.sleep(0.02)
    assert len(sleeping("3141")) == 2
    process.close()
    for _ in range(100):  # SIGKILL is sent; the kernel needs a moment to finish the exits
        if not sleeping("3141"):
            break
        time.sleep(0.05)
    else:
        pytest.fail(f"processes {sleeping('3141')} outlived the submission")


def test_only_the_grader_says_a_call_was_stopped(start):
    """An answer forged by student code that claims a time limit is not taken as one; a real
    time limit is."""
    forge = (
        "import json, os, stat\n"
        "def forged():\n"
        "    answer = json.dumps({'raised': {'type': 'TimeoutError', 'bases': [], "
        "'message': 'forged', 'where': ''}, 'args_after': {'__tuple__': []}, "
        "'kwargs_after': {'__dict__': {}}, 'stopped': 'time limit'}) + '\\n'\n"
        "    for fd in range(3, 64):\n"
        "        try:\n"
        "            if stat.S_ISFIFO(os.fstat(fd).st_mode):\n"
        "                os.write(fd, answer.encode())\n"
        "        except OSError:\n"
        "            pass\n"
        "    return 1\n"
        "def slow():\n"
        "    while True:\n"
        "        pass\n")
    forging, honest = start([forge], call_seconds=1), start([forge], call_seconds=1)
    try:
        forged = forging.call("forged", (), {})
        assert forged.raised.message == "forged" and forged.stopped is None
        real = honest.call("slow", (), {})
        assert real.stopped == "time limit" and real.raised.type_name == "TimeoutError"
    finally:
        forging.close()
        honest.close()
