"""The grade command: the contract's JSON, a row for every path, the same answer every time."""
import json

import pytest

from autograder.checking.course import ASSIGNMENTS
from autograder.cli import main

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """The default --out folder, grading-results/, goes into the test's own folder."""
    monkeypatch.chdir(tmp_path)


def stubs(assignment, *, skip=()):
    """The notebook as released: every exercise raises NotImplementedError."""
    return [f"def {name}(*args, **kwargs):\n    raise NotImplementedError()"
            for name in ASSIGNMENTS[assignment][1] if name not in skip]


def grade_json(capsys, *argv) -> dict:
    assert main(["grade", *map(str, argv), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_correct_submission_gets_full_marks_in_the_contracts_shape(submit, capsys,
                                                                    tmp_path):
    """Status, student, assignment, scores and per-exercise feedback, as the contract says."""
    submit("alice", "01-definition", kind="solution")
    document = grade_json(capsys, tmp_path / "submitted", "--jobs", "1")
    row, = document["submissions"]
    # The contract's keys, then the kit's own: the cells graded by hand, which cells ran.
    assert set(row) == {"path", "student", "assignment", "status", "error", "score",
                        "max_score", "exercises", "graded_by_hand", "cells_run"}
    assert row["cells_run"] == "needed"
    assert (row["student"], row["assignment"], row["status"], row["error"]) == \
        ("alice", "01-definition", "graded", None)
    assert list(row["exercises"]) == ASSIGNMENTS["01-definition"][1]
    assert row["score"] == row["max_score"] > 0
    for exercise in row["exercises"].values():
        assert exercise["score"] == exercise["max_score"] > 0
        assert "✗" not in exercise["feedback"]


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_an_untouched_notebook_scores_zero_everywhere(assignment, submit, capsys, tmp_path):
    """The released stubs score 0 on every exercise, each saying it is not implemented."""
    submit("bob", assignment, stubs(assignment))
    row, = grade_json(capsys, tmp_path / "submitted")["submissions"]
    assert row["status"] == "graded" and row["score"] == 0 and row["max_score"] > 0
    for exercise in row["exercises"].values():
        assert exercise["score"] == 0
        assert "is not implemented yet" in exercise["feedback"]


def test_a_missing_function_scores_zero_and_says_so(submit, capsys, tmp_path):
    """An exercise the notebook does not define gets 0 with feedback naming it."""
    submit("carol", "05-performance", stubs("05-performance", skip={"hadamard_into"}))
    row, = grade_json(capsys, tmp_path / "submitted")["submissions"]
    exercise = row["exercises"]["hadamard_into"]
    assert exercise["score"] == 0
    assert exercise["feedback"] == ("✗ hadamard_into is not defined: run the cell that "
                                    "defines it (and keep the name hadamard_into)")


def test_every_path_gets_a_row_and_the_exit_status_is_zero(submit, capsys, tmp_path):
    """A second notebook in a student's folder, an unknown and a missing file each get an
    error row; the good one is graded."""
    good = submit("dave", "05-performance", kind="solution")
    broken = good.parent / "performance-copy.ipynb"
    broken.write_text('{"nbformat": 4, "cells": [')
    stray = tmp_path / "notes.ipynb"
    stray.write_text(good.read_text())
    missing = tmp_path / "missing.ipynb"
    rows = grade_json(capsys, tmp_path / "submitted", stray, missing)["submissions"]
    by_path = {row["path"]: row for row in rows}
    assert len(rows) == 4
    assert by_path[str(good)]["status"] == "graded"
    assert by_path[str(broken)]["error"].startswith("another notebook in the 05-performance")
    assert by_path[str(stray)]["error"].startswith("cannot tell which assignment 'notes.ipynb'")
    assert by_path[str(missing)]["error"].startswith("cannot read the file")
    assert all(row["score"] == 0 for row in rows if row["status"] == "error")


def test_grading_twice_and_in_parallel_gives_identical_json(submit, capsys,
                                                            tmp_path):
    """Seeded checks and ordered rows: the same notebooks always get the same document."""
    submit("erin", "04-gating-dropout", kind="solution")
    submit("frank", "02-broadcasting", ["def scale_rows(d, B):\n    return B * d"])
    submit("gina", "03-gradients", kind="solution")
    folder = tmp_path / "submitted"
    main(["grade", str(folder), "--json", "--jobs", "1"])
    first = capsys.readouterr().out
    main(["grade", str(folder), "--json", "--jobs", "2", "--regrade"])
    assert capsys.readouterr().out == first


def test_without_json_a_table_is_printed(submit, capsys, tmp_path):
    """The default output is a readable table, one line per submission."""
    submit("hank", "05-performance", kind="solution")
    assert main(["grade", str(tmp_path / "submitted")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["student", "assignment", "score", "status"]
    assert lines[1].split()[:2] == ["hank", "05-performance"]
    assert lines[1].split()[3].rstrip(";") == "graded"   # then the written answers, pending
