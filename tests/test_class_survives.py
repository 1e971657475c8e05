"""One notebook cannot stop the class, and nothing beside it goes unnoticed: through the real
command line, whatever a notebook holds or is called, every notebook gets its row, the run
ends with its JSON, reports and gradebook, and an honest student is graded as always."""
import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, write_submission

pytestmark = pytest.mark.slow

HONEST = "aaa-honest"
SURROGATE = ['def hadamard(A, B):\n    raise ValueError("\\udcff broken \\x1b[31m text")\n']


def grade(folder: Path, out: Path, timeout: float = 300) -> tuple[int, dict, str]:
    """`python -m autograder grade FOLDER --json` in a process of its own (a hang fails the
    test instead of stopping it): exit status, the JSON, standard error."""
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--json",
                          "--out", str(out)], capture_output=True, timeout=timeout, cwd=ROOT)
    stdout = run.stdout.decode("utf-8")  # must be UTF-8, whatever the notebooks held
    return run.returncode, json.loads(stdout), run.stderr.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def class_run(tmp_path_factory):
    """A class with an honest student and every kind of troublesome file, graded once."""
    root = tmp_path_factory.mktemp("class")
    write_submission(root, HONEST, "01-definition", kind="solution")
    write_submission(root, "bad-text", "01-definition", SURROGATE)
    folder = root / "submitted"
    odd = folder / "odd-names" / "01-definition"
    odd.mkdir(parents=True)
    (odd / ("x" * 245 + ".ipynb")).write_text("{}")
    os.mkdir(folder / "bytes")
    os.mkdir(os.path.join(os.fsencode(folder / "bytes"), b"01-definition"))
    with open(os.path.join(os.fsencode(folder / "bytes" / "01-definition"),
                           b"definition\xff.ipynb"), "w") as f:
        f.write("{}")
    for student, target in [("fifo-link", None), ("zero-link", "/dev/zero")]:
        place = folder / student / "01-definition"
        place.mkdir(parents=True)
        if target is None:
            os.mkfifo(root / "pipe")
            target = str(root / "pipe")
        (place / "definition.ipynb").symlink_to(target)
    pipe = folder / "fifo" / "01-definition"
    pipe.mkdir(parents=True)
    os.mkfifo(pipe / "definition.ipynb")
    write_submission(root, "=1+1", "01-definition", kind="correct")
    status, document, stderr = grade(folder, root / "results")
    return root, status, document, stderr


def test_every_notebook_gets_a_row_and_the_run_ends_with_its_reports(class_run):
    root, status, document, stderr = class_run
    assert status == 0, stderr
    rows = {Path(row["path"]).parts[-3]: row for row in document["submissions"]}
    assert set(rows) == {HONEST, "bad-text", "odd-names", "bytes", "fifo-link", "zero-link",
                         "fifo", "=1+1"}
    honest = rows[HONEST]
    assert honest["status"] == "graded" and honest["score"] == honest["max_score"] > 0
    assert (root / "results" / "report.json").exists()
    assert (root / "results" / "gradebook.csv").exists()


def test_text_from_the_child_is_made_safe_once(class_run):
    """A lone surrogate and an escape sequence in an exception message reach the feedback
    replaced, never stopping the run."""
    _, _, document, _ = class_run
    row, = [r for r in document["submissions"] if r["student"] == "bad-text"]
    feedback = row["exercises"]["hadamard"]["feedback"]
    assert "broken" in feedback and "\x1b" not in feedback and "\udcff" not in feedback
    assert row["exercises"]["hadamard"]["score"] == 0


@pytest.mark.parametrize("student, reason", [
    ("fifo-link", "symbolic link"), ("zero-link", "symbolic link"),
    ("fifo", "not a regular file"), ("odd-names", "only definition.ipynb is graded"),
    ("bytes", "only definition.ipynb is graded")])
def test_what_cannot_be_graded_gets_an_error_row_that_says_why(class_run, student, reason):
    _, _, document, _ = class_run
    row, = [r for r in document["submissions"] if Path(r["path"]).parts[-3] == student]
    assert row["status"] == "error" and reason in row["error"] and row["score"] == 0


def test_a_student_id_that_looks_like_a_formula_is_neutralised_in_the_csv(class_run):
    root, _, _, _ = class_run
    with open(root / "results" / "gradebook.csv", newline="") as f:
        students = [line["student"] for line in csv.DictReader(f)]
    assert "'=1+1" in students and "=1+1" not in students


def test_a_changed_file_beside_an_unchanged_notebook_regrades_it(tmp_path):
    """The stored row is reused only while everything the notebook can read is the same."""
    cells = ["import helper\n", "def hadamard(A, B):\n    return helper.multiply(A, B)\n"]
    notebook = write_submission(tmp_path, "ivy", "01-definition", cells)
    helper = notebook.parent / "helper.py"
    helper.write_text("def multiply(A, B):\n    return A @ B\n")
    _, first, _ = grade(tmp_path / "submitted", tmp_path / "results")
    helper.write_text("import numpy as np\n\ndef multiply(A, B):\n"
                      "    if np.shape(A) != np.shape(B):\n        raise ValueError('shapes')\n"
                      "    return A * B\n")
    _, second, _ = grade(tmp_path / "submitted", tmp_path / "results")
    score = [row["exercises"]["hadamard"] for row in (first, second)
             for row in row["submissions"]]
    assert score[0]["score"] < score[0]["max_score"] == score[1]["score"]
