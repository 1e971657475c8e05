"""The grader against a hostile corpus (tests/hostile/): no attack gains a mark, the grader
survives with one row per notebook, honest students graded in the same run keep full marks,
and nothing of a submission outlives the run or lands outside its sandbox."""
import hashlib
import os
import re
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from autograder.checking.course import ASSIGNMENTS
from autograder.grading.pool import grade_each
from autograder.grading.submission import find_notebooks
from autograder.reports.run_reports import contract_row
from autograder.sandbox import cgroups
from autograder.sandbox.starter import Limits, Sandbox, bubblewrap_works

from .conftest import ROOT
from .hostile import CORRECT, OTHERS, broken, files, processes, protocol, secrets

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap cannot run here")]

# Short limits keep the corpus fast: every hang costs one of these, not nbgrader's 30 s.
LIMITS = Limits(cell_seconds=2, call_seconds=1, submission_seconds=10)
HOSTILE = processes.CASES + protocol.CASES + secrets.CASES + files.CASES
# The first cell of every hostile notebook names its process (and so its forks) hx-<student>,
# and answers the exercises it does not attack.
PRELUDE = "import ctypes\nctypes.CDLL(None).prctl(15, b'hx-@STUDENT@', 0, 0, 0)\n" + OTHERS
SLEEP_MARKER = str(31_000_000 + os.getpid())  # `sleep <marker>`: a spawned process's name
HONEST = ("aaa-honest", "mmm-honest", "zzz-honest")
HONEST_WITH_HELPERS = ("import os\nimport helpers\nassert helpers.HONEST\n"
                       "os.makedirs('/tmp/scratch', exist_ok=True)\n"
                       "with open('/tmp/scratch/notes.txt', 'w') as notes:\n"
                       "    notes.write('honest')\n" + CORRECT)


def listener() -> tuple[socket.socket, list]:
    """A TCP server on the host's loopback that hands the correct answers to whoever
    connects, and counts them."""
    server = socket.create_server(("127.0.0.1", 0))
    connections = []

    def serve():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            connections.append(connection)
            connection.sendall(CORRECT.encode())
            connection.close()
    threading.Thread(target=serve, daemon=True).start()
    return server, connections


def snapshot(folder: Path) -> dict:
    """Every entry under `folder` (symlinks and pipes as such) and the bytes of its files."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            found[path] = (path.lstat().st_mode, os.readlink(path) if path.is_symlink() else "")
        else:
            found[path] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def survivors() -> list[str]:
    """Processes of the corpus still alive: named hx-..., or sleeping on the marker."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            name = (entry / "comm").read_text().strip()
            command = (entry / "cmdline").read_bytes().split(b"\0")
            zombie = "State:\tZ" in (entry / "status").read_text()
        except OSError:
            continue
        if not zombie and (name.startswith("hx-") or SLEEP_MARKER.encode() in command):
            found.append(f"{entry.name} {name} {command[:3]}")
    return found


def assert_nothing_survives():
    """No process of the corpus is left (SIGKILL is sent; the exits take a moment)."""
    deadline = time.monotonic() + 5
    while survivors() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not survivors(), "processes outlived the run"


def grade(folder: Path, jobs: int, limits: Limits = LIMITS, **sandbox) -> tuple[dict, float]:
    """{path: row} for every notebook under `folder`, as the grade command grades them
    (autograder.grading.pool.grade_each), in the contract's JSON shape, and the run's wall
    time."""
    rows = {}
    sandbox = Sandbox(limits, **sandbox)
    started = time.monotonic()
    try:
        grade_each([entry.path for entry in find_notebooks([folder])], sandbox, jobs=jobs,
                   on_row=lambda path, row: rows.__setitem__(path, contract_row(row)))
    finally:
        sandbox.close()
    return rows, time.monotonic() - started


def fill(cells, placeholders: dict) -> list[str]:
    """The cells with their @NAME@ placeholders replaced, all of them."""
    for key, value in placeholders.items():
        cells = [cell.replace(f"@{key}@", str(value)) for cell in cells]
    assert not [cell for cell in cells if re.search("@[A-Z_]+@", cell)]
    return cells


def assert_hostile_row(case, row):
    """The attacked exercise's exact score and feedback, or the error row's reason."""
    label = f"{case.student} ({case.attack})"
    assert row["status"] == case.status, f"{label}: {row['status']} {row['error']}"
    if case.status == "error":
        assert row["score"] == 0 and case.error in row["error"], f"{label}: {row['error']}"
        return
    exercise = row["exercises"][case.exercise]
    assert exercise["score"] == case.score, f"{label}: {exercise['feedback']}"
    assert case.feedback in exercise["feedback"], f"{label}: {exercise['feedback']}"


def assert_full_marks(row):
    assert row["status"] == "graded", row["error"]
    assert row["score"] == row["max_score"] > 0, \
        "\n".join(e["feedback"] for e in row["exercises"].values())


def test_no_attack_gains_a_mark_or_hurts_anyone(submit, tmp_path):
    """The whole corpus and the broken files in one run with two workers, honest students
    among them: exact rows for each, full marks for the honest, nothing left behind."""
    submitted = tmp_path / "submitted"
    server, connections = listener()
    host_mark = f"hx-planted-{uuid.uuid4().hex}"
    honest = [submit(name, "01-definition", [CORRECT]) for name in HONEST]
    honest.append(submit("sol-honest", "01-definition", kind="solution"))
    placeholders = {"ROOT": ROOT, "SUBMITTED": submitted, "HONEST": honest[0],
                    "HOSTMARK": host_mark, "HOSTTMP": tempfile.gettempdir(),
                    "SLEEP": SLEEP_MARKER, "PORT": server.getsockname()[1]}
    hostile = {}
    for case in HOSTILE:
        folder = submitted / case.student / case.assignment
        cells = fill([PRELUDE.replace("@STUDENT@", case.student), *case.cells],
                     {**placeholders, "OWN_FOLDER": folder})
        hostile[submit(case.student, case.assignment, cells)] = case
    unreadable = {}
    for case in broken.CASES:
        path = submitted / case.student / "01-definition" / ASSIGNMENTS["01-definition"][0]
        path.parent.mkdir(parents=True)
        case.write(path)
        unreadable[path] = case
    before = snapshot(submitted)

    rows, elapsed = grade(submitted, jobs=2)
    server.close()

    assert sorted(rows) == sorted([*honest, *hostile, *unreadable])
    for path in honest:
        assert_full_marks(rows[path])
    for path, case in hostile.items():
        assert_hostile_row(case, rows[path])
    for path, case in unreadable.items():
        row = rows[path]
        assert (row["status"], row["score"]) == ("graded" if case.score else "error",
                                                 case.score), f"{case.student}: {row}"
        if not case.score:
            assert case.error in row["error"], f"{case.student}: {row['error']}"
    assert elapsed < 120  # about 55 s on an idle 2-core machine: each hang costs its limit
    assert_nothing_survives()
    assert snapshot(submitted) == before
    assert not connections
    assert not (Path(tempfile.gettempdir()) / host_mark).exists()
    assert not (ROOT / host_mark).exists()


def test_an_attack_does_not_reach_the_next_student_in_its_worker(submit, tmp_path):
    """Attacks that could outlive their submission in the worker's fork server, each graded
    in one worker right before an honest student, who keeps full marks."""
    submitted = tmp_path / "submitted"
    order = []
    for number, case in enumerate(processes.SEQUENTIAL + protocol.SEQUENTIAL):
        attacker = submit(f"{number}a-{case.student}", case.assignment,
                          [PRELUDE.replace("@STUDENT@", case.student), *case.cells])
        # The honest student imports a helper module of their own and keeps a scratch file
        # in /tmp, as students do: in the cell that defines the answers.
        honest = submit(f"{number}b-honest", "01-definition", [HONEST_WITH_HELPERS])
        (honest.parent / "helpers.py").write_text("HONEST = True\n")
        order.append((attacker, case, honest))

    rows, elapsed = grade(submitted, jobs=1)

    for attacker, case, honest in order:
        assert_hostile_row(case, rows[attacker])
        assert_full_marks(rows[honest])
    assert elapsed < 60  # about 20 s on an idle 2-core machine
    assert_nothing_survives()


def submission_cgroups() -> set[Path]:
    """The submissions' cgroups there are now, where this grader would make them."""
    return {folder for hierarchy in cgroups.hierarchies()
            for folder in hierarchy.parent.glob(f"{cgroups.PREFIX}*")}


def of_a_finished_grader(folder: Path) -> bool:
    """Made by a worker that has ended (another grader on the machine may be running)."""
    worker = folder.name.removeprefix(cgroups.PREFIX).split("-")[0]
    return not Path("/proc", worker).exists()


def test_limits_hold_per_submission_and_nothing_outlives_it(submit, tmp_path):
    """Memory counts all of a submission's processes and the shared memory they leave
    (cgroups), and what an attack made is gone before the next student in its worker, who
    is graded normally and sees none of it: IPC objects, message queues, files."""
    why = cgroups.trial(cgroups.hierarchies(), memory_bytes=processes.MEMORY_LIMIT,
                        processes=64, cpus=1.0)
    if why:
        pytest.skip(f"cgroups cannot be used here: {why}")
    submitted = tmp_path / "submitted"
    order = []
    for number, case in enumerate(processes.PER_SUBMISSION):
        attacker = submit(f"{number}a-{case.student}", case.assignment,
                          [PRELUDE.replace("@STUDENT@", case.student), *case.cells])
        honest = submit(f"{number}b-honest", "01-definition",
                        [processes.LEFT_BEHIND + CORRECT])
        order.append((attacker, case, honest))
    before = submission_cgroups()

    # Filling memory is slow the first time on a virtual machine: generous time limits. A
    # small preload leaves each process room for its share under the address-space limit.
    rows, elapsed = grade(submitted, jobs=1,
                          limits=Limits(cell_seconds=30, call_seconds=5, submission_seconds=60,
                                        memory_bytes=processes.MEMORY_LIMIT),
                          preload=("numpy", "IPython.core.interactiveshell", "traitlets.config"))

    for attacker, case, honest in order:
        assert_hostile_row(case, rows[attacker])
        assert_full_marks(rows[honest])
    assert elapsed < 120  # about 20 s on an idle 2-core machine
    assert_nothing_survives()
    assert not [folder for folder in submission_cgroups() - before
                if of_a_finished_grader(folder)], "cgroups outlived their submissions"
