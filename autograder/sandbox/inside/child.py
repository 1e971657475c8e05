"""The grading child process: runs a notebook's code, then answers calls of its functions.

Started by autograder.sandbox.notebook_process. It speaks JSON lines on private copies of its
original stdin and stdout; the student's code gets /dev/null as stdin and the child's
stderr as stdout, so nothing it reads or prints can touch the protocol.

Protocol: the parent sends {"cells": [[index, source], ...], "cell_timeout": s,
"call_timeout": s}; the child answers {"functions": [...], "cell_errors": [...]} once the
cells have run, then answers each {"call": name, "args": ..., "kwargs": ...} with
autograder.protocol.calls.perform_call's plain-data response.
"""
import json
import os
import signal
import sys


class TimeLimit(BaseException):
    """Raised by SIGALRM; a BaseException so that `except Exception` in student code
    cannot swallow it."""


def _on_alarm(signum, frame):
    raise TimeLimit()


def _protocol_streams():
    incoming = os.fdopen(os.dup(0), "r", encoding="utf-8")
    outgoing = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")
    return incoming, outgoing


def shell():
    """The IPython shell the cells run in, made once per process: the fork server makes it
    before it forks (20-40 ms a child otherwise), each child gets a pristine copy."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    if InteractiveShell.initialized():
        made = InteractiveShell.instance()
        # Its profile folder lives in /tmp, which the server's reset empties: made again.
        os.makedirs(made.profile_dir.location, exist_ok=True)
        made.profile_dir.check_dirs()
        return made
    config = Config()
    config.HistoryManager.enabled = False
    return InteractiveShell.instance(config=config)


def run_cells(shell, cells, cell_timeout: float) -> list[str]:
    """Run every cell like nbgrader does: an error in one does not stop the next."""
    errors = []
    for index, source in cells:
        signal.setitimer(signal.ITIMER_REAL, cell_timeout)
        try:
            result = shell.run_cell(source, store_history=False)
            failure = result.error_before_exec or result.error_in_exec
        except TimeLimit as limit:  # IPython catches it inside the cell, but not always
            failure = limit
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if isinstance(failure, TimeLimit):
            errors.append(f"cell {index}: stopped after {cell_timeout:g} s "
                          f"(an infinite loop at the top level?)")
        elif failure is not None:
            errors.append(f"cell {index}: {type(failure).__name__}: {failure}"[:300])
    return errors


def serve(shell, incoming, outgoing, call_timeout: float):
    from autograder.protocol.calls import failure_response, perform_call

    for line in incoming:
        request = json.loads(line)
        function = shell.user_ns.get(request["call"])
        signal.setitimer(signal.ITIMER_REAL, call_timeout)
        try:
            response = perform_call(function, request)
        except TimeLimit:
            response = failure_response(request, "TimeoutError",
                                        f"the call did not return within {call_timeout:g} s "
                                        f"(an infinite loop?)")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        outgoing.write(json.dumps(response) + "\n")
        outgoing.flush()


def main():
    incoming, outgoing = _protocol_streams()
    signal.signal(signal.SIGALRM, _on_alarm)
    setup = json.loads(incoming.readline())
    cells_shell = shell()
    errors = run_cells(cells_shell, setup["cells"], setup["cell_timeout"])
    functions = sorted(name for name, value in cells_shell.user_ns.items()
                       if callable(value) and not name.startswith("_")
                       and name not in cells_shell.user_ns_hidden)[:1000]
    outgoing.write(json.dumps({"functions": functions, "cell_errors": errors}) + "\n")
    outgoing.flush()
    serve(cells_shell, incoming, outgoing, setup["call_timeout"])


if __name__ == "__main__":
    main()
