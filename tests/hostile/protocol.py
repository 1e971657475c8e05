"""Attacks on the plain-data protocol between the grader and the child: forged messages,
stolen requests, malformed and enormous answers."""
from autograder.checking.course import REGISTRY

from . import ONE_CALL_SCORE, PROTOCOL_FDS, WRONG, WRONG_SCORE, Hostile, on_one_call

# A ready message that claims every exercise, answers that claim a (wrong) 2x3 result of
# zeros, and answers that claim the function raised.
FORGERIES = r'''import base64, json
import numpy as np

EXERCISES = @EXERCISES@

ZEROS = {"__ndarray__": {"dtype": "<f8", "shape": [2, 3],
                         "data": base64.b64encode(np.zeros((2, 3)).tobytes()).decode()}}
READY = json.dumps({"functions": EXERCISES, "cell_errors": []}) + "\n"
ANSWER = json.dumps({"result": ZEROS, "args_after": {"__tuple__": []},
                     "kwargs_after": {"__dict__": {}}}) + "\n"
RAISED = json.dumps({"raised": {"type": "Forged", "bases": [], "message": "forged",
                                "where": ""}, "args_after": {"__tuple__": []},
                     "kwargs_after": {"__dict__": {}}}) + "\n"
'''.replace("@EXERCISES@", repr(sorted(REGISTRY)))

WRITE_ALL = '''for fd in sorted({1, 3, 4, 5, *open_fds("out")}):
    try:
        os.write(fd, (READY + ANSWER * 300).encode())
    except OSError:
        pass'''

# Answers that are JSON but not what the grader can decode, each written ahead of the real one.
MALFORMED = {
    "bad-dict": '{"result": {"__dict__": [1]}, "args_after": {"__tuple__": []}, '
                '"kwargs_after": {"__dict__": {}}}',
    "bad-argref": '{"result": {"__argref__": 99}, "args_after": {"__tuple__": []}, '
                  '"kwargs_after": {"__dict__": {}}}',
    "bad-nesting": '{"result": ' + "[" * 100_000 + "]" * 100_000 + ', "args_after": '
                   '{"__tuple__": []}, "kwargs_after": {"__dict__": {}}}',
    "bad-dtype": '{"result": {"__ndarray__": {"dtype": "O", "shape": [1], "data": ""}}, '
                 '"args_after": {"__tuple__": []}, "kwargs_after": {"__dict__": {}}}',
    "bad-shape": '{"result": {"__ndarray__": {"dtype": "<f8", "shape": [1e300], "data": ""}}, '
                 '"args_after": {"__tuple__": []}, "kwargs_after": {"__dict__": {}}}',
    "bad-raised": '{"raised": {"type": "Forged", "bases": 5, "message": "", "where": ""}, '
                  '"args_after": {"__tuple__": []}, "kwargs_after": {"__dict__": {}}}',
}

# Threads that take every message sent to the fork server off its socket (a reset, the next
# student's fork with its pipes) and answer them, impersonating the next student's child.
SOCKET_THIEF = r'''import json, os, socket, threading

IMPOSTOR_ANSWER = json.dumps({"raised": {"type": "Impostor", "bases": [], "message": "",
                                         "where": ""}, "args_after": {"__tuple__": []},
                              "kwargs_after": {"__dict__": {}}}) + "\n"


def impostor(from_grader, to_grader):
    for line in os.fdopen(from_grader, "rb"):
        answer = '{"functions": ["hadamard"], "cell_errors": []}\n' \
            if b'"cells"' in line else IMPOSTOR_ANSWER
        os.write(to_grader, answer.encode())


def thief(fd):
    channel = socket.socket(fileno=os.dup(fd))
    while True:
        data, fds, _, _ = socket.recv_fds(channel, 1 << 16, 4)
        if not data:
            return
        if b'"fork"' in data and len(fds) == 2:
            channel.sendall(b'{"pid": 1}\n')
            threading.Thread(target=impostor, args=fds).start()
        elif b'"status"' in data:
            channel.sendall(b'{"running": true}\n')
        else:
            channel.sendall(b'{"clean": true}\n')


for fd in open_fds("socket"):
    for _ in range(32):
        threading.Thread(target=thief, args=(fd,), daemon=True).start()'''

CASES = [
    Hostile("forge-print", "fake protocol messages printed at the top level and in one call",
            (FORGERIES + "import os, sys\nprint(READY + ANSWER * 100)\n"
                         "sys.stdout.write(READY + ANSWER)\nsys.stdout.flush()\n"
                         "os.write(1, (READY + ANSWER).encode())\n"
                         "os.write(2, (READY + ANSWER).encode())",
             on_one_call("print(ANSWER * 100)\nos.write(1, ANSWER.encode())")
             .replace("import numpy as np\n", "import numpy as np\nimport os\n", 1)),
            ONE_CALL_SCORE),
    Hostile("forge-fds", "a fake ready message and answers written to fds 1, 3, 4, 5 and "
                         "every pipe it can write to, at the top level",
            (PROTOCOL_FDS, FORGERIES, "import os\n" + WRITE_ALL, WRONG), 0),
    # The forged answer is read for that call, and each real one for the call after it:
    # every answer is one call late, so nothing passes (the raise-checks' valid call gets the
    # real answer to an invalid one).
    Hostile("forge-call", "a fake answer written ahead of the real one in one call",
            (PROTOCOL_FDS, FORGERIES,
             on_one_call("for fd in open_fds('out'):\n    os.write(fd, RAISED.encode())")
             .replace("import numpy as np\n", "import numpy as np\nimport os\n", 1)),
            0),
    Hostile("forge-stop", "fake answers written ahead, then stopped: the grader's requests "
                          "pile up in a pipe nobody reads",
            (PROTOCOL_FDS, FORGERIES,
             "import os, signal\nfor fd in open_fds('out'):\n"
             "    os.write(fd, (READY + RAISED * 400).encode())\n"
             "os.kill(os.getpid(), signal.SIGSTOP)"), 0, assignment="04-gating-dropout",
            exercise="dropout_forward", feedback="not run: "),
    Hostile("read-fd-top", "reads the protocol's incoming pipe at the top level",
            (PROTOCOL_FDS, "import os\nfor fd in open_fds('in'):\n    os.read(fd, 1 << 20)",
             WRONG), WRONG_SCORE),
    Hostile("read-fd-call", "reads the protocol's incoming pipe in one call",
            (PROTOCOL_FDS, on_one_call("import os\nfor fd in open_fds('in'):\n"
                                       "    os.read(fd, 1 << 20)")), ONE_CALL_SCORE),
    # Too large an answer, or (on a loaded machine) not encoded within the call's limit.
    Hostile("big-result", "a 200 MB array returned from one call",
            (on_one_call("return np.zeros(25 * 2**20)"),), ONE_CALL_SCORE),
    Hostile("big-list", "a list of 10 million ints returned from one call",
            (on_one_call("return list(range(10**7))"),), ONE_CALL_SCORE),
    *[Hostile(name, f"a malformed answer ({name}) written ahead of the real one in one call",
              (PROTOCOL_FDS, f"BAD = {text!r} + '\\n'",
               on_one_call("import os\nfor fd in open_fds('out'):\n"
                           "    os.write(fd, BAD.encode())")),
              ONE_CALL_SCORE, feedback="ProcessStopped")
      for name, text in MALFORMED.items()],
]

# Attacks that could outlive their own submission in the worker that graded it: each is
# graded just before an honest student, in the same worker.
SEQUENTIAL = [
    Hostile("sock-forge", "fake fork-server replies written to every socket it holds",
            (PROTOCOL_FDS, "import os\nfor fd in open_fds('socket'):\n"
                           "    os.write(fd, b'{}\\n' * 50)", WRONG), WRONG_SCORE),
    Hostile("sock-thief", "steals the fork server's messages and impersonates the next child",
            (PROTOCOL_FDS, SOCKET_THIEF, WRONG), WRONG_SCORE),
]
