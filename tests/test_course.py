"""The nbgrader course, end to end in a temporary copy of the repo: the release is what
`make release` makes, and nbgrader's own commands grade it the way the kit's grader does."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from autograder.build.demo_class import KINDS, hand_in, nbgrader, release, submission
from autograder.checking.course import ASSIGNMENTS
from autograder.grading.notebooks import ANSWER_STUB, hand_graded

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def written_points(assignment: str) -> float:
    """The points of the assignment's answers graded by hand (its written answers)."""
    source = json.loads((ROOT / "solutions" / assignment / ASSIGNMENTS[assignment][0])
                        .read_text())
    return sum(cell.max_score for cell in hand_graded(source))


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A copy of the course, released, handed in by a student of each kind, autograded,
    fed back and exported by nbgrader's own commands."""
    course = release(tmp_path_factory.mktemp("course"))
    hand_in(course, {kind: kind for kind in KINDS})
    _hand_in_display_tricks(course)
    for assignment in ASSIGNMENTS:
        nbgrader(course, "autograde", assignment, "--force")
        nbgrader(course, "generate_feedback", assignment, "--force")
    nbgrader(course, "export")
    return course


# What turned an untouched notebook into full marks under stock `nbgrader autograde`, which
# reads a check cell's score from what it displays: nothing displayed, a float shown as
# text, and an answer that walks up the stack to the check's own expected value.
DISPLAY_TRICKS = """\
ip = get_ipython()
ip.ast_node_interactivity = "none"
ip.display_formatter.formatters["text/plain"].for_type(float, lambda value, p, cycle: p.text("ok"))
"""
FRAME_WALKER = """\
def hadamard(A, B):
    import sys
    frame = sys._getframe(1)
    while frame is not None:
        if "expected" in frame.f_locals:
            return frame.f_locals["expected"]
        frame = frame.f_back
    raise ValueError("no expected value in reach")
"""


def _hand_in_display_tricks(course: Path) -> None:
    """mallory hands in 01-definition untouched but for the tricks above."""
    notebook = submission(course, "01-definition", "untouched")
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "hadamard":
            cell["source"] = FRAME_WALKER
    notebook["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [],
                                 "execution_count": None, "source": DISPLAY_TRICKS})
    path = course / "submitted" / "mallory" / "01-definition" / ASSIGNMENTS["01-definition"][0]
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(notebook))


def test_nbgrader_autograde_cannot_be_fooled_by_display_or_frame_tricks(course):
    """`nbgrader autograde` scores with the kit: the tricks earn nothing."""
    with open(course / "grades.csv") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    assert float(rows["mallory", "01-definition"]["score"]) == 0


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
               if c["metadata"].get("nbgrader", {}).get("solution")
               and c["cell_type"] == "code"]
    assert len(answers) == len(names)
    assert all("raise NotImplementedError()" in answer for answer in answers)
    # A written answer: an empty markdown cell to write in, its model answer and rubric gone.
    written = [c for c in released["cells"] if c["cell_type"] == "markdown"
               and c["metadata"].get("nbgrader", {}).get("solution")]
    assert all("".join(c["source"]) == ANSWER_STUB and c["metadata"]["nbgrader"]["grade"]
               and 0 < c["metadata"]["nbgrader"]["points"] <= 2 for c in written)
    assert sum(c["metadata"]["nbgrader"]["points"] for c in written) == \
        written_points(assignment)
    assert "Rubric" not in text


def test_nbgrader_scores_full_zero_and_partial(course):
    """Correct work gets the checks' full marks, the untouched release 0, a typical mistake
    partial; the written answers wait for a human (nbgrader's max_score counts them)."""
    with open(course / "grades.csv") as f:
        rows = {(r["student_id"], r["assignment"]): r for r in csv.DictReader(f)}
    for assignment in ASSIGNMENTS:
        correct, untouched, mistake = (rows[s, assignment] for s in KINDS)
        maximum = float(correct["max_score"]) - written_points(assignment)
        assert maximum > 0
        assert float(correct["score"]) == maximum
        assert float(untouched["score"]) == 0
        assert 0 < float(mistake["score"]) < maximum


def test_nbgrader_autograde_leaves_the_written_answers_to_formgrader(course):
    """SaveAutoGrades after the kit's grading: an answer needs a manual grade, one left as
    released scores 0 at once; the checks' cells are scored, none flagged."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course}/gradebook.db", "hadamard") as gradebook:
        for assignment, (notebook, names) in ASSIGNMENTS.items():
            for student, kind in [("correct", "answered"), ("untouched", "left blank")]:
                grades = {g.name: (g.auto_score, g.needs_manual_grade)
                          for g in gradebook.find_submission_notebook(
                              Path(notebook).stem, assignment, student).grades}
                checks = {f"check_{name}" for name in names}
                written = {name: grade for name, grade in grades.items()
                           if name not in checks}
                assert len(written) == bool(written_points(assignment)), (assignment, kind)
                expected = (None, True) if kind == "answered" else (0.0, False)
                assert set(written.values()) <= {expected}, (assignment, kind, written)
                assert not any(grades[check][1] for check in checks), (assignment, kind)


def test_nbgrader_export_adds_a_manual_grade_to_the_autograded_score(course, tmp_path):
    """A written answer graded by hand (as formgrader saves it) counts in the export."""
    from nbgrader.api import Gradebook

    folder = tmp_path / "course"
    shutil.copytree(course, folder)
    assignment = "01-definition"
    notebook = Path(ASSIGNMENTS[assignment][0]).stem
    before = _exported(folder)["correct", assignment]
    with Gradebook(f"sqlite:///{folder}/gradebook.db", "hadamard") as gradebook:
        [grade] = [g for g in gradebook.find_submission_notebook(notebook, assignment,
                                                                 "correct").grades
                   if g.name.startswith("written_")]
        grade.manual_score, grade.needs_manual_grade = 1.0, False
        gradebook.db.commit()
    nbgrader(folder, "export")
    assert _exported(folder)["correct", assignment] == (before[0] + 1.0, before[1])


def _exported(folder: Path) -> dict:
    with open(folder / "grades.csv") as f:
        return {(r["student_id"], r["assignment"]): (float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(f)}


def test_feedback_is_written_as_html_with_the_named_mistake(course):
    """generate_feedback writes each student's HTML, where the mistake is named."""
    for assignment, (notebook, _) in ASSIGNMENTS.items():
        for student in KINDS:
            page = course / "feedback" / student / assignment / notebook.replace(".ipynb", ".html")
            assert page.exists(), page
        html = (course / "feedback" / "mistake" / assignment /
                notebook.replace(".ipynb", ".html")).read_text()
        assert "Likely mistake: " in html


def test_the_kit_grader_agrees_with_nbgrader(course, capsys):
    """`python -m autograder grade submitted/` gives nbgrader's totals, notebook by notebook."""
    from autograder.cli import main

    with open(course / "grades.csv") as f:
        nbgrader_scores = {(r["student_id"], r["assignment"]): (float(r["score"]),
                                                                float(r["max_score"]))
                           for r in csv.DictReader(f)}
    assert main(["grade", str(course / "submitted"), "--json",
                 "--out", str(course / "kit-results")]) == 0
    rows = json.loads(capsys.readouterr().out)["submissions"]
    kit_scores = {(r["student"], r["assignment"]): (r["score"], r["max_score"]) for r in rows}
    # nbgrader exports every student for every assignment, 0 where nothing was handed in
    # (mallory handed in 01-definition only)
    assert kit_scores.keys() <= nbgrader_scores.keys()
    assert all(score == 0 for key, (score, _) in nbgrader_scores.items()
               if key not in kit_scores)
    for key, (score, maximum) in kit_scores.items():
        # nbgrader's max_score counts the written answers too; the kit's only the checks'
        expected = (nbgrader_scores[key][0], nbgrader_scores[key][1] - written_points(key[1]))
        assert (score, maximum) == pytest.approx(expected, abs=1e-6), key
