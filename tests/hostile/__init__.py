"""A hostile corpus: notebooks that attack the grader, each with what it must still get.

Each family module lists `Hostile` cases in CASES. The test (tests/test_hostile.py) writes
them all, grades them in one run with two workers next to honest students, and checks every
row, the processes left behind, and the files outside the sandbox. The cases in SEQUENTIAL
could outlive their own submission in the worker's fork server: each is graded in one worker
right before an honest student.

Cells may hold @NAME@ placeholders that only the test knows (absolute paths, a port): see
the test. Every notebook starts with a cell that names its process `hx-<student>`
(PR_SET_NAME, which its forks inherit: a process of the corpus still alive after the run is
found by that name) and defines the exercises it does not attack correctly (`OTHERS`).

Most attacks sit in one of two answers, so that each expectation is exact:
- at the top level, followed by `WRONG` (A + B), which scores `WRONG_SCORE` on hadamard;
- in hadamard, on the first public case only (`on_one_call`), the other calls answered by
  A * B (no shape check), which scores `ONE_CALL_SCORE`: that call fails, and only that one.
An honest A * B scores ONE_CALL_SCORE and that first case, so neither can be a gain.
"""
from dataclasses import dataclass

WRONG = "def hadamard(A, B):\n    return A + B"
WRONG_SCORE = 0.6       # the (0, 3) empty case, and ValueError for (2, 3) with (3, 2)
ONE_CALL_SCORE = 3.333333  # A * B everywhere but the first public case (as rows round it)
FULL_DEFINITION = 13.25  # every check of 01-definition

# A correct 01-definition: hadamard, and the three others.
HADAMARD = '''import numpy as np


def hadamard(A, B):
    if np.shape(A) != np.shape(B):
        raise ValueError(f"shapes differ: {np.shape(A)} and {np.shape(B)}")
    return A * B
'''
OTHERS = '''import numpy as np


def hadamard_lists(A, B):
    if len(A) != len(B) or any(len(a) != len(b) for a, b in zip(A, B)) \\
            or len({len(row) for row in A}) > 1 or len({len(row) for row in B}) > 1:
        raise ValueError("A and B must be rectangular and of the same shape")
    return [[a * b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]


def hadamard_all(*arrays):
    if not arrays:
        raise ValueError("give at least one array")
    if any(np.shape(a) != np.shape(arrays[0]) for a in arrays):
        raise ValueError("shapes differ")
    result = np.copy(arrays[0])
    for a in arrays[1:]:
        result = result * a
    return result


def frobenius_inner(A, B):
    if np.shape(A) != np.shape(B):
        raise ValueError(f"shapes differ: {np.shape(A)} and {np.shape(B)}")
    return float(np.sum(A * B))
'''
CORRECT = OTHERS + HADAMARD


@dataclass(frozen=True)
class Hostile:
    student: str             # the submission's folder, at most 12 characters
    attack: str              # what it tries
    cells: tuple[str, ...]   # its code cells (after the naming cell)
    score: float             # the attacked exercise's exact score (for an error row, 0)
    status: str = "graded"
    error: str = ""          # for an error row: part of the reason
    feedback: str = ""       # part of the attacked exercise's feedback
    assignment: str = "01-definition"
    exercise: str = "hadamard"


def on_one_call(attack: str) -> str:
    """hadamard that runs `attack` on the first public case (2x3 floats) and returns the
    wrong A + B there if it survives; A * B on every other call."""
    body = "\n".join("        " + line for line in attack.splitlines())
    return ("import numpy as np\n\n\ndef hadamard(A, B):\n"
            "    if A.shape == B.shape == (2, 3):\n"
            f"{body}\n"
            "        return A + B\n"
            "    return A * B")


# The ends of the protocol pipes and of any socket, found in the child's open files.
PROTOCOL_FDS = '''import fcntl, os, stat


def open_fds(kind):
    found = []
    for fd in range(3, 256):
        try:
            mode, flags = os.fstat(fd).st_mode, fcntl.fcntl(fd, fcntl.F_GETFL)
        except OSError:
            continue
        if kind == "socket" and stat.S_ISSOCK(mode) \\
                or kind == "in" and stat.S_ISFIFO(mode) and flags & os.O_ACCMODE == os.O_RDONLY \\
                or kind == "out" and stat.S_ISFIFO(mode) and flags & os.O_ACCMODE == os.O_WRONLY:
            found.append(fd)
    return found
'''
