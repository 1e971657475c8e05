"""Call a submission's functions in a child process (autograder._child): the batch caller.

The checks run in the grader's process; each call of a student function is forwarded to
the child as plain data and answered as plain data. A call that hangs or kills the child
fails only that call: the child is restarted (its notebook re-run) for the next one, up to
a limit. Every process the child starts is in its own session and dies with it.
"""
import json
import os
import selectors
import signal
import subprocess
import sys
import time

from .calls import Call, call_from_response, failure_response, request_for
from .errors import KitError
from .notebooks import Notebook

MAX_MESSAGE_BYTES = 64 * 1024 * 1024
# One BLAS/OpenMP thread: parallel grading uses the cores, and sums come out the same.
CHILD_ENV = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "OMP_NUM_THREADS": "1",
             "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONUNBUFFERED": "1",
             "PYTHONDONTWRITEBYTECODE": "1"}


class SubmissionCrashed(KitError):
    """The submission's process could not get to the point of answering calls."""


class _Gone(Exception):
    """The child stopped answering: it died, hung, or sent something that is not a message."""


class NotebookProcess:
    """A caller whose functions live in a child process that ran the notebook's cells."""

    def __init__(self, notebook: Notebook, *, cell_timeout: float = 30.0,
                 call_timeout: float = 10.0, max_restarts: int = 2):
        self.notebook = notebook
        self.cell_timeout = cell_timeout
        self.call_timeout = call_timeout
        self.restarts_left = max_restarts
        self.functions: frozenset[str] = frozenset()
        self.cell_errors: list[str] = []
        self.stopped_because = ""
        self._process = None
        self._buffer = b""

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        """Run the notebook's cells in a fresh child; raise SubmissionCrashed if it dies."""
        self.close()
        cells = [[c.index, c.source] for c in self.notebook.cells if not c.is_test]
        # The student's own output goes nowhere: it could be endless.
        self._process = subprocess.Popen(
            [sys.executable, "-m", "autograder._child"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=self.notebook.path.parent,
            env={**os.environ, **CHILD_ENV}, start_new_session=True)
        self._buffer = b""
        setup = {"cells": cells, "cell_timeout": self.cell_timeout,
                 "call_timeout": self.call_timeout}
        deadline = self.cell_timeout * (len(cells) + 1) + 30
        try:
            self._send(setup)
            ready = self._receive(deadline)
            self.functions = frozenset(map(str, ready["functions"]))
            self.cell_errors = [str(e) for e in ready["cell_errors"]]
        except (_Gone, KeyError, TypeError) as error:
            reason = f"the notebook's process stopped while running its cells ({error})"
            self.close()
            raise SubmissionCrashed(reason) from None

    def close(self):
        if self._process is not None:
            _kill_group(self._process)
            self._process = None

    # -- the caller interface the checks use -------------------------------------------------
    def defines(self, name: str) -> bool:
        if self._process is None and not self.stopped_because:
            self.start()
        return name in self.functions

    def call(self, name: str, args: tuple, kwargs: dict) -> Call:
        request = {"call": name, **request_for(args, kwargs)}
        if self._process is None:
            if not self.restarts_left:
                return call_from_response(args, kwargs, failure_response(
                    request, "ProcessStopped", f"not run: {self.stopped_because}"))
            self.restarts_left -= 1
            self.start()
        try:
            self._send(request)
            response = self._receive(self.call_timeout + 5)
            return call_from_response(args, kwargs, response)
        except (_Gone, KeyError, TypeError, ValueError) as error:
            self.stopped_because = str(error)
            self.close()
            return call_from_response(args, kwargs, failure_response(
                request, "ProcessStopped", f"the notebook's process stopped during the call "
                                           f"({error})"))

    # -- plain-data messages -----------------------------------------------------------------
    def _send(self, message: dict):
        try:
            self._process.stdin.write(json.dumps(message).encode() + b"\n")
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Gone(self._exit_reason()) from None

    def _receive(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        stream = self._process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise _Gone(f"no answer within {timeout:g} s")
                chunk = os.read(stream.fileno(), 1 << 20)
                if not chunk:
                    raise _Gone(self._exit_reason())
                self._buffer += chunk
                if len(self._buffer) > MAX_MESSAGE_BYTES:
                    raise _Gone("its answer was too large")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            raise _Gone("it sent something that is not a message") from None
        if not isinstance(message, dict):
            raise _Gone("it sent something that is not a message")
        return message

    def _exit_reason(self) -> str:
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it stopped answering"
        if code < 0:
            return f"it was killed by signal {signal.Signals(-code).name}"
        return f"it exited with status {code}"


def _kill_group(process: subprocess.Popen):
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream:
            stream.close()

