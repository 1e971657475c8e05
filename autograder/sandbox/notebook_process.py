"""Call a submission's functions in a child process (autograder.sandbox.inside.child): the
batch caller.

The checks run in the grader's process; each call of a student function is forwarded to
the child as plain data and answered as plain data. A call that hangs or kills the child
fails only that call: the child is restarted (its notebook re-run) for the next one, up to
a limit. How the child is started, and killed with all it started, is autograder.sandbox.starter's.
"""
import json
import os
import selectors
import shutil
import time

from autograder.checking.errors import KitError
from autograder.grading.notebooks import Notebook
from autograder.protocol import codec
from autograder.protocol.calls import Call, call_from_response, failure_response, request_for
from autograder.sandbox.cgroups import CgroupError
from autograder.sandbox.fork_client import ServerGone
from autograder.sandbox.starter import Sandbox

MAX_MESSAGE_BYTES = 16 * 1024 * 1024


class SubmissionCrashed(KitError):
    """The submission's process could not get to the point of answering calls."""


class _Gone(Exception):
    """The child stopped answering: it died, hung, or sent something that is not a message."""


class NotebookProcess:
    """A caller whose functions live in a child process that ran the notebook's cells."""

    def __init__(self, notebook: Notebook, sandbox: Sandbox, *, max_restarts: int = 2):
        self.notebook = notebook
        self.sandbox = sandbox
        self.limits = sandbox.limits
        self.restarts_left = max_restarts
        self.functions: frozenset[str] = frozenset()
        self.cell_errors: list[str] = []
        self.stopped_because = ""
        self._process = None
        self._buffer = b""
        self._workdir = None
        self._deadline = None  # set when the first child is running: see start()

    # -- lifecycle -------------------------------------------------------------------------
    def start(self):
        """Run the notebook's cells in a fresh child; raise SubmissionCrashed if it dies."""
        self._stop()
        if self._workdir is None:
            self._workdir = self.sandbox.workdir_for(self.notebook.path.parent)
        cells = [[c.index, c.source] for c in self.notebook.cells if not c.is_test]
        try:
            self._process = self.sandbox.start(self._workdir)
        except (ServerGone, CgroupError) as error:
            raise SubmissionCrashed(str(error)) from None
        if self._deadline is None:
            # The submission's time starts now: starting the worker's fork server (importing
            # torch), the first time or after the previous submission killed it, is not its.
            self._deadline = time.monotonic() + self.limits.submission_seconds
        self._buffer = b""
        # Writes must time out too (see _send).
        os.set_blocking(self._process.stdin.fileno(), False)
        setup = {"cells": cells, "cell_timeout": self.limits.cell_seconds,
                 "call_timeout": self.limits.call_seconds}
        timeout = self.limits.cell_seconds * (len(cells) + 1)
        try:
            self._send(setup, timeout)
            ready = self._receive(timeout)
            self.functions = frozenset(map(str, ready["functions"]))
            self.cell_errors = [str(e) for e in ready["cell_errors"]]
        except (_Gone, KeyError, TypeError) as error:
            self._stop()
            raise SubmissionCrashed(f"the notebook's process stopped while running its "
                                    f"cells ({error})") from None

    def _stop(self):
        if self._process is not None:
            self._process.kill()
            self._process = None

    def close(self):
        """Stop the child and remove its private folder."""
        self._stop()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None

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
            try:
                self.start()
            except SubmissionCrashed as error:  # a failed call, not a failed check
                self.stopped_because = str(error)
                return call_from_response(args, kwargs, failure_response(
                    request, "ProcessStopped", f"not run: {error}"))
        try:
            started = time.monotonic()
            self._send(request, self.limits.call_seconds + 5)
            response = self._receive(self.limits.call_seconds + 5)
            # The child runs student code, which can write answers of its own: its claim that
            # a call hit the time limit counts only when the call really took that long.
            if time.monotonic() - started < self.limits.call_seconds:
                response.pop("stopped", None)
            return call_from_response(args, kwargs, response)
        # Student code can write its own answers to the pipe: one that does not decode (any
        # error) is the child's failure, and its real answer must not be read for the next call.
        except Exception as error:
            reason = error if isinstance(error, _Gone) else \
                f"it sent an answer that cannot be read: {type(error).__name__}"
            self.stopped_because = str(reason)
            self._stop()
            return call_from_response(args, kwargs, failure_response(
                request, "ProcessStopped", f"the notebook's process stopped during the call "
                                           f"({reason})"))

    # -- plain-data messages -----------------------------------------------------------------
    def _send(self, message: dict, timeout: float):
        """Write one message, or give up at the deadline: a child that stops reading (it
        stopped itself, after writing answers ahead of the requests) would otherwise block
        the grader for ever once the pipe is full."""
        data = json.dumps(message).encode() + b"\n"
        deadline = min(time.monotonic() + timeout, self._deadline)
        stream = self._process.stdin
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_WRITE)
            while data:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise _Gone(self._out_of_time(timeout, deadline))
                try:
                    data = data[os.write(stream.fileno(), data):]
                except BlockingIOError:
                    pass  # the pipe filled up again: wait for room
                except OSError:
                    raise _Gone(self._exit_reason()) from None

    def _receive(self, timeout: float) -> dict:
        deadline = min(time.monotonic() + timeout, self._deadline)
        stream = self._process.stdout
        with selectors.DefaultSelector() as selector:
            selector.register(stream, selectors.EVENT_READ)
            while b"\n" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not selector.select(left):
                    raise _Gone(self._out_of_time(timeout, deadline))
                chunk = os.read(stream.fileno(), 1 << 20)
                if not chunk:
                    raise _Gone(self._exit_reason())
                self._buffer += chunk
                if len(self._buffer) > MAX_MESSAGE_BYTES:
                    raise _Gone("its answer was too large")
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = codec.safe_plain(json.loads(line))
        except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply
            raise _Gone("it sent something that is not a message") from None
        if not isinstance(message, dict):
            raise _Gone("it sent something that is not a message")
        return message

    def _out_of_time(self, timeout: float, deadline: float) -> str:
        if deadline >= self._deadline:
            return f"the submission's {self.limits.submission_seconds:g} s were used up"
        return f"no answer within {timeout:g} s"

    def _exit_reason(self) -> str:
        try:
            return self._process.exit_reason()
        except ServerGone:
            return "its sandbox stopped"
