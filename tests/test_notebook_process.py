"""The batch caller: a notebook's functions called in a child process, which survives
(or is replaced after) hangs and crashes without affecting the grader."""
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.grading.notebooks import read
from autograder.sandbox import cgroups
from autograder.sandbox.notebook_process import NotebookProcess, SubmissionCrashed
from autograder.sandbox.starter import REDUCED_LIMITS, Limits, Sandbox, bubblewrap_works

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


def usable_cgroups() -> str:
    """Why this machine cannot give submissions cgroups ("" when it can)."""
    return cgroups.trial(cgroups.hierarchies(), memory_bytes=2**30, processes=64, cpus=1.0)


def test_each_child_has_cgroups_of_its_own_removed_with_it(submit):
    """Memory, processes and CPU are limited per child by cgroups the grader makes (the
    child is in them before the notebook runs), set to the limits, and removed after."""
    if why := usable_cgroups():
        pytest.skip(f"cgroups cannot be used here: {why}")
    limits = Limits(memory_bytes=2**31, processes=64, cpus=0.5)
    sandbox = Sandbox(limits, preload=("numpy",))
    process = NotebookProcess(read(submit("alice", "01-definition", [
        "with open('/proc/self/cgroup') as f:\n    AT_START = f.read()\n"
        "def where():\n    return AT_START"])), sandbox)
    try:
        process.start()
        cgroup = process._process.cgroup
        folders = list(cgroup.folders)
        assert sandbox.limits_per_submission == cgroups.CONTROLLERS and not sandbox.reduced_limits
        assert len(folders) == len(cgroups.hierarchies())
        where = process.call("where", (), {}).result
        for hierarchy, folder in zip(cgroups.hierarchies(), folders):
            assert f"/{folder.name}\n" in where
            for name, value in cgroups.settings(
                    hierarchy.version, hierarchy.controllers, memory_bytes=limits.memory_bytes,
                    processes=limits.processes, cpus=limits.cpus).items():
                if (folder / name).exists() or name not in cgroups.OPTIONAL:
                    assert (folder / name).read_text().split() == value.split(), name
    finally:
        process.close()
        sandbox.close()
    assert not [folder for folder in folders if folder.exists()]


def test_without_cgroups_each_process_keeps_its_limits_and_the_grader_says_so(submit):
    """The fallback: today's per-process limits, and a warning that names what is not
    limited per submission."""
    limits = Limits(memory_bytes=2**31, processes=64)
    sandbox = Sandbox(limits, isolate=False, preload=("numpy",), use_cgroups=False)
    assert sandbox.limits_per_submission == ()
    assert sandbox.warnings[-1] == REDUCED_LIMITS.format(
        what="Memory, processes and the CPU share", why="turned off")
    process = NotebookProcess(read(submit("alice", "01-definition", [
        "import resource\ndef limits():\n    return [resource.getrlimit(getattr(resource, kind))[0]"
        " for kind in ('RLIMIT_AS', 'RLIMIT_CPU', 'RLIMIT_FSIZE', 'RLIMIT_NPROC')]"])), sandbox)
    try:
        process.start()
        assert process._process.cgroup is None
        address_space, cpu, file_size, nproc = process.call("limits", (), {}).result
        assert (address_space, cpu, file_size) == (limits.memory_bytes, limits.cpu_seconds,
                                                   limits.file_bytes)
        assert nproc == sandbox._process_allowance
    finally:
        process.close()
        sandbox.close()


def test_cgroup_v2_limits_and_where_they_are_made(tmp_path):
    """On a v2-only machine: memory.max with no swap, pids.max, cpu.max and cpu.weight; made
    beside the grader's own cgroup (which has processes, so it cannot have children with
    controllers), and nowhere in a container whose own cgroup is all it sees."""
    assert cgroups.settings(2, cgroups.CONTROLLERS, memory_bytes=2**32, processes=256,
                            cpus=1.5) == {
        "memory.max": str(2**32), "memory.swap.max": "0", "pids.max": "256",
        "cpu.weight": "100", "cpu.max": "150000 100000"}
    mount = tmp_path / "cgroup"
    scope = mount / "user.slice" / "session-1.scope"
    scope.mkdir(parents=True)
    (scope / "cgroup.subtree_control").write_text("\n")
    (scope.parent / "cgroup.subtree_control").write_text("cpu memory pids\n")
    (mount / "cgroup.subtree_control").write_text("cpu memory pids\n")
    mountinfo = f"35 24 0:30 / {mount} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n"
    assert cgroups.hierarchies(mountinfo, "0::/user.slice/session-1.scope\n") == [
        cgroups.Hierarchy(2, scope.parent, cgroups.CONTROLLERS)]
    # A container's cgroup namespace: its own cgroup is all of the mount, no controllers on.
    pod = f"35 24 0:30 / {scope} rw - cgroup2 cgroup2 rw\n"
    assert cgroups.hierarchies(pod, "0::/\n") == []
