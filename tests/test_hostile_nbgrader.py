"""The hostile corpus (tests/hostile/) through `nbgrader autograde` with the kit's
nbgrader_config.py: every hostile notebook gets from nbgrader's gradebook exactly the total
that `python -m autograder grade --json` gives it, and honest students graded in the same
nbgrader run keep full marks, those whose notebook lacks nbgrader's check cells too."""
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import pytest

from autograder.build.demo_class import hand_in, nbgrader, submission
from autograder.checking.course import ASSIGNMENTS
from autograder.sandbox.starter import bubblewrap_works

from .conftest import ROOT, notebook_json
from .hostile import CORRECT, broken
from .test_hostile import (
    HOSTILE,
    PRELUDE,
    SLEEP_MARKER,
    assert_full_marks,
    assert_hostile_row,
    assert_nothing_survives,
    fill,
    listener,
)

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not bubblewrap_works(), reason="bubblewrap cannot run here")]

# Both commands are run as they are, with the sandbox's default limits (30 s a cell, 10 s a
# call): a case that only ends when one of those stops it costs its limit in each run, and
# tests nothing here that the cases kept do not (tests/test_hostile.py runs every case under
# short limits). Every other case of the corpus, of each family, is kept.
LIMIT_BOUND = {
    "loop-top", "loop-swallow", "loop-call", "loop-noalarm", "sleep-top", "sleep-call",
    "out-loop",     # prints until the call limit
    "mem-grow",     # touches memory until the call limit, long before the memory limit
    "forkbomb",     # spins until the cell limit
    "forge-stop",   # stopped: the grader's requests wait for the limit
    "read-fd-top",  # its read of the protocol's pipe blocks until the cell limit
    "read-fd-call",  # ... until the call limit
    "big-list",     # 10 million ints are not encoded within the call limit
}
CASES = [case for case in HOSTILE if case.student not in LIMIT_BOUND]
# nbgrader collect writes regular files, and two of these stop `nbgrader autograde` itself
# before the kit is reached: it waits for ever to open the pipe, and reads /dev/zero without
# end. The other broken files are read by nbgrader or make it fail that notebook.
LAYOUT = {"directory", "to-passwd", "to-zero", "fifo"}
BROKEN = [case for case in broken.CASES if case.student not in LAYOUT]
HONEST = ("aaa-honest", "mmm-honest", "zzz-honest")  # graded first, among, and last
# Correct answers in a notebook without nbgrader's check cells: the kit grades it all the same.
NO_CHECK_CELLS = ("bare-honest", "nochecks")
ASSIGNMENT = "01-definition"


def release_one(course: Path, assignment: str) -> Path:
    """A course with `assignment` alone released (demo_class.release makes all six, a
    quarter of a minute that this test need not spend)."""
    (course / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions" / assignment, course / "solutions" / assignment)
    nbgrader(course, "generate_assignment", assignment)
    return course


def hand_in_attack(course: Path, student: str, assignment: str, cells: list[str]) -> Path:
    """The release of `assignment`, untouched, with `cells` added after its last cell: an
    nbgrader submission (grade ids, checksums, locked check cells) whose answers are the
    attack's, since its cells run last."""
    notebook = nbformat.from_dict(submission(course, assignment, "untouched"))
    notebook.cells += [nbformat.v4.new_code_cell(source) for source in cells]
    path = course / "submitted" / student / assignment / ASSIGNMENTS[assignment][0]
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


def hand_in_without_check_cells(course: Path, assignment: str) -> None:
    """The correct answers in a bare notebook (bare-honest), and in the release with its
    check cells deleted (nochecks)."""
    name = ASSIGNMENTS[assignment][0]
    released = submission(course, assignment, "correct")
    released["cells"] = [cell for cell in released["cells"] if not str(
        cell["metadata"].get("nbgrader", {}).get("grade_id", "")).startswith("check_")]
    for student, notebook in zip(NO_CHECK_CELLS, (notebook_json([CORRECT]), released)):
        path = course / "submitted" / student / assignment / name
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(notebook))


def nbgrader_totals(course: Path, assignment: str, students) -> dict[str, float]:
    """Each student's total for the assignment's notebook, from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    notebook = Path(ASSIGNMENTS[assignment][0]).stem
    with Gradebook(f"sqlite:///{course}/gradebook.db", "hadamard") as gradebook:
        return {student: gradebook.find_submission_notebook(notebook, assignment,
                                                            student).score
                for student in students}


def start_kit(submitted: Path, out: Path) -> subprocess.Popen:
    """`python -m autograder grade <submitted> --json`, in one worker: nbgrader's run, at
    the same time, takes the other core."""
    return subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(submitted),
                             "--json", "--jobs", "1", "--out", str(out)], cwd=out.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kit_rows(kit: subprocess.Popen) -> dict[str, dict]:
    """Each student's row, from the grade command's JSON."""
    stdout, stderr = kit.communicate(timeout=600)
    assert kit.returncode == 0, stderr[-3000:]
    return {row["student"]: row for row in json.loads(stdout)["submissions"]}


def test_nbgrader_autograde_gives_the_kit_totals_on_the_hostile_corpus(tmp_path):
    """Each case of the corpus, laid into the release's cells, and honest students, graded
    by `nbgrader autograde` and by the kit's grade command: the same total for every one."""
    started = time.monotonic()
    course = release_one(tmp_path / "course", ASSIGNMENT)
    submitted = course / "submitted"
    hand_in(course, dict.fromkeys(HONEST, "correct"), assignments=(ASSIGNMENT,))
    server, connections = listener()
    host_mark = f"hx-planted-{uuid.uuid4().hex}"
    placeholders = {"ROOT": ROOT, "SUBMITTED": submitted,
                    "HONEST": submitted / HONEST[0] / ASSIGNMENT / ASSIGNMENTS[ASSIGNMENT][0],
                    "HOSTMARK": host_mark, "HOSTTMP": tempfile.gettempdir(),
                    "SLEEP": SLEEP_MARKER, "PORT": server.getsockname()[1]}
    for case in CASES:
        assert case.assignment == ASSIGNMENT  # one nbgrader run grades them all
        cells = fill([PRELUDE.replace("@STUDENT@", case.student), *case.cells],
                     {**placeholders,
                      "OWN_FOLDER": submitted / case.student / case.assignment})
        hand_in_attack(course, case.student, case.assignment, cells)
    hand_in_without_check_cells(course, ASSIGNMENT)
    for case in BROKEN:
        path = submitted / case.student / ASSIGNMENT / ASSIGNMENTS[ASSIGNMENT][0]
        path.parent.mkdir(parents=True)
        case.write(path)

    kit = start_kit(submitted, tmp_path / "kit-results")
    try:
        with pytest.raises(RuntimeError, match="autograde"):  # it could not read them all
            nbgrader(course, "autograde", ASSIGNMENT, "--force")
    finally:
        rows = kit_rows(kit)
        server.close()

    students = [*HONEST, *NO_CHECK_CELLS, *(case.student for case in CASES + BROKEN)]
    assert sorted(rows) == sorted(students)
    for case in CASES:  # each attack ran, in the release's layout as in a bare notebook
        assert_hostile_row(case, rows[case.student])
    for student in HONEST + NO_CHECK_CELLS:
        assert_full_marks(rows[student])
    # The notebooks nbgrader failed (no autograded copy): the broken files it cannot read,
    # which the kit gives an error row and 0 too.
    failed = {student for student in students
              if not (course / "autograded" / student / ASSIGNMENT).exists()}
    assert failed == {case.student for case in BROKEN if not case.score}
    assert all(rows[student]["score"] == 0 for student in failed)
    totals = nbgrader_totals(course, ASSIGNMENT, students)
    differ = {student: (totals[student], rows[student]["score"]) for student in students
              if totals[student] != pytest.approx(rows[student]["score"], abs=1e-6)}
    assert not differ, f"(nbgrader's total, the kit's) differ: {differ}"
    assert_nothing_survives()
    assert not connections
    assert not (Path(tempfile.gettempdir()) / host_mark).exists()
    assert not (ROOT / host_mark).exists()
    # 75 to 115 s on a 2-core machine that other test runs share
    assert time.monotonic() - started < 240
