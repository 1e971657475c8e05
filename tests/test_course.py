"""The nbgrader course, end to end in a temporary copy of the repo: the release is what
`make release` makes, and nbgrader's own commands grade it the way the kit's grader does."""
import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.exercises import ASSIGNMENTS

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# One typical mistake per assignment: the partly wrong submission (name, wrong code).
MISTAKES = {
    "01-definition": ("hadamard", "def hadamard(A, B):\n    return A @ B\n"),
    "02-broadcasting": ("scale_rows", "def scale_rows(d, B):\n    return d * B\n"),
    "03-gradients": ("hadamard_backward",
                     "def hadamard_backward(grad_out, A, B):\n    return grad_out * A, grad_out * B\n"),
    "04-gating-dropout": ("dropout_backward",
                          "def dropout_backward(grad_out, mask, p):\n    return grad_out * mask\n"),
    "05-performance": ("hadamard_into",
                       "def hadamard_into(A, B, out):\n    return A * B\n"),
}
STUDENTS = ("correct", "untouched", "mistake")


def nbgrader(course: Path, *args):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run([str(BIN / "nbgrader"), *args, "--log-level=WARN"], cwd=course, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def solution_code(source_cell: dict) -> str:
    lines = "".join(source_cell["source"]).splitlines(keepends=True)
    return "".join(line for line in lines if "### BEGIN SOLUTION" not in line
                   and "### END SOLUTION" not in line)


def submission(released: dict, source: dict, student: str, assignment: str) -> dict:
    """A student's notebook: the release, with the solution cells filled (or not)."""
    solutions = {c["metadata"]["nbgrader"]["grade_id"]: c for c in source["cells"]
                 if c["metadata"].get("nbgrader", {}).get("solution")}
    notebook = json.loads(json.dumps(released))
    wrong_name, wrong_code = MISTAKES[assignment]
    for cell in notebook["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id not in solutions or student == "untouched":
            continue
        cell["source"] = wrong_code if student == "mistake" and grade_id == wrong_name \
            else solution_code(solutions[grade_id])
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course, released, submitted by three students, autograded, fed back
    and exported by nbgrader's own commands."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        nbgrader(course, "generate_assignment", assignment, "--force")
        released = json.loads((course / "notebooks" / assignment / notebook).read_text())
        source = json.loads((course / "solutions" / assignment / notebook).read_text())
        for student in STUDENTS:
            path = course / "submitted" / student / assignment / notebook
            path.parent.mkdir(parents=True)
            path.write_text(json.dumps(submission(released, source, student, assignment)))
        nbgrader(course, "autograde", assignment, "--force")
        nbgrader(course, "generate_feedback", assignment, "--force")
    nbgrader(course, "export")
    return course


def test_make_release_reproduces_the_committed_notebooks_exactly(course):
    """notebooks/ is exactly what nbgrader generates from solutions/: never stale."""
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        generated = (course / "notebooks" / assignment / notebook).read_bytes()
        assert (ROOT / "notebooks" / assignment / notebook).read_bytes() == generated, \
            f"notebooks/{assignment} is stale: run `make release`"


@pytest.mark.parametrize("assignment", list(ASSIGNMENTS))
def test_the_release_holds_no_solution_and_no_hidden_test(assignment):
    """No solution code and no hidden test reaches the students' notebooks."""
    notebook, names = ASSIGNMENTS[assignment]
    released = json.loads((ROOT / "notebooks" / assignment / notebook).read_text())
    source = json.loads((ROOT / "solutions" / assignment / notebook).read_text())
    text = "\n".join("".join(c["source"]) for c in released["cells"])
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "grade("):
        assert marker not in text
    for cell in source["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            body = "".join(cell["source"]).split("### BEGIN SOLUTION")[1]
            body = body.split("### END SOLUTION")[0].strip()
            assert body not in text
    answers = ["".join(c["source"]) for c in released["cells"]
               if c["metadata"].get("nbgrader", {}).get("solution")]
    assert len(answers) == len(names)
    assert all("raise NotImplementedError()" in answer for answer in answers)


def test_nbgrader_scores_full_zero_and_partial(course):
    """Correct work gets full marks, the untouched release 0, a typical mistake partial."""
    with open(course / "grades.csv") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    for assignment in ASSIGNMENTS:
        correct, untouched, mistake = (rows[s, assignment] for s in STUDENTS)
        maximum = float(correct["max_score"])
        assert maximum > 0
        assert float(correct["score"]) == maximum
        assert float(untouched["score"]) == 0
        assert 0 < float(mistake["score"]) < maximum


def test_feedback_is_written_as_html_with_the_named_mistake(course):
    """generate_feedback writes each student's HTML, where the mistake is named."""
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        for student in STUDENTS:
            page = course / "feedback" / student / assignment / notebook.replace(".ipynb", ".html")
            assert page.exists(), page
        html = (course / "feedback" / "mistake" / assignment /
                notebook.replace(".ipynb", ".html")).read_text()
        assert "Likely mistake" in html or "✗" in html


def test_the_kit_grader_agrees_with_nbgrader(course, capsys):
    """`python -m autograder grade submitted/` gives nbgrader's totals, notebook by notebook."""
    from autograder.cli import main

    with open(course / "grades.csv") as f:
        nbgrader_scores = {(r["student_id"], r["assignment"]): (float(r["score"]),
                                                                float(r["max_score"]))
                           for r in csv.DictReader(f)}
    assert main(["grade", str(course / "submitted"), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["submissions"]
    kit_scores = {(r["student"], r["assignment"]): (r["score"], r["max_score"]) for r in rows}
    assert kit_scores.keys() == nbgrader_scores.keys()
    for key, (score, maximum) in nbgrader_scores.items():
        assert kit_scores[key] == pytest.approx((score, maximum), abs=1e-6), key
