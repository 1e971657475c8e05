"""--nbgrader-course: the kit's scores in nbgrader's gradebook.db, where nbgrader's own
export, feedback and formgrader find them, in a temporary copy of the course."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from autograder.build.demo_class import hand_in, nbgrader, submission
from autograder.checking.course import ASSIGNMENTS
from autograder.cli import main
from autograder.exports.nbgrader_gradebook import with_hand_grades
from autograder.grading.notebooks import hand_graded
from autograder.reports.class_report import write_class_report
from autograder.reports.class_stats import load

from .conftest import write_submission

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_kit")]

ROOT = Path(__file__).resolve().parents[1]
PERFORMANCE = "submitted/dave/05-performance/performance.ipynb"
BROKEN = "submitted/carol/01-definition/definition.ipynb"
GRADE = ["grade", "submitted", "--out", "results", "--nbgrader-course", ".", "--json"]


def written(assignment: str) -> dict[str, float]:
    """{grade_id: points} of the assignment's answers graded by hand (solutions/)."""
    source = json.loads((ROOT / "solutions" / assignment / ASSIGNMENTS[assignment][0])
                        .read_text())
    return {cell.grade_id: cell.max_score for cell in hand_graded(source)}


def nbgrader_max(row: dict) -> float:
    """nbgrader's max_score of a row: the checks' points and those graded by hand."""
    return row["max_score"] + sum(written(row["assignment"]).values())


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """01-definition released by nbgrader and handed in by alice (right), bob (a typical
    mistake), erin (untouched) and carol (a cut-short file); 05-performance, never
    released, by dave. Then graded by the kit into the course's gradebook. Yields (course,
    the kit's rows)."""
    course = tmp_path_factory.mktemp("course")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "solutions", course / "solutions")
    nbgrader(course, "generate_assignment", "01-definition", "--force")
    hand_in(course, {"alice": "correct", "bob": "mistake", "erin": "untouched"},
            assignments=["01-definition"])
    write_submission(course, "carol", "01-definition", text='{"nbformat": 4, "cells": [')
    write_submission(course, "dave", "05-performance", kind="correct")
    # mallory hands in a victim's folder inside her own, and a second notebook: neither may
    # become anyone's row (nbgrader's submit copies sub-folders as they are).
    untouched = json.dumps(submission(ROOT, "01-definition", "untouched"))
    mallory = course / "submitted" / "mallory" / "01-definition"
    for inside in ("alice/01-definition/definition.ipynb", "definition-copy.ipynb",
                   "x/bob/01-definition/definition.ipynb"):
        (mallory / inside).parent.mkdir(parents=True, exist_ok=True)
        (mallory / inside).write_text(untouched)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(course)
        assert main(GRADE) == 0
    rows = json.loads((course / "results" / "report.json").read_text())["submissions"]
    yield course, {(row["student"], row["assignment"]): row for row in rows}


def exported(course: Path) -> dict:
    nbgrader(course, "export")
    with open(course / "grades.csv") as f:
        return {(r["student_id"], r["assignment"]): (float(r["score"]), float(r["max_score"]))
                for r in csv.DictReader(f)}


def grades(course: Path, student: str, assignment: str) -> dict:
    from nbgrader.api import Gradebook

    notebook = Path(ASSIGNMENTS[assignment][0]).stem
    with Gradebook(f"sqlite:///{course}/gradebook.db", "hadamard") as gradebook:
        return {grade.name: (grade.auto_score, grade.manual_score, grade.needs_manual_grade,
                             grade.max_score)
                for grade in gradebook.find_submission_notebook(notebook, assignment,
                                                               student).grades}


def test_nbgrader_export_shows_the_kits_scores(course):
    """Every notebook in the nbgrader layout, the never-released assignment too."""
    folder, rows = course
    kit = {key: (row["score"], nbgrader_max(row)) for key, row in rows.items()
           if row["student"]}
    kit["carol", "01-definition"] = (0.0, nbgrader_max(rows["alice", "01-definition"]))
    table = exported(folder)
    assert {key: table[key] for key in kit} == kit
    assert all(score == 0 for key, (score, _) in table.items() if key not in kit)  # not handed in
    assert 0 < kit["bob", "01-definition"][0] < kit["bob", "01-definition"][1]


def test_nothing_in_one_students_folder_makes_a_row_for_anyone(course):
    """Nested folders and extra notebooks in mallory's hand-in are reported, graded into no
    one's row: alice and bob keep their own scores in the report and in nbgrader's export."""
    folder, rows = course
    report = json.loads((folder / "results" / "report.json").read_text())["submissions"]
    refused = [row for row in report if row["path"].startswith("submitted/mallory/")]
    assert len(refused) == 3
    assert all(row["status"] == "error" and row["student"] is None
               and row["assignment"] is None and row["score"] == 0 for row in refused)
    assert [row["student"] for row in report].count("alice") == 1
    assert [row["student"] for row in report].count("bob") == 1
    table = exported(folder)
    for student in ("alice", "bob"):
        row = rows[student, "01-definition"]
        assert table[student, "01-definition"] == (row["score"], nbgrader_max(row))
    assert rows["alice", "01-definition"]["score"] == rows["alice", "01-definition"]["max_score"]
    assert not any(student == "mallory" for student, _ in table)


def test_each_exercise_is_its_grade_cell_with_the_same_points(course):
    """And each written answer its grade cell, left for a human (in the assignment the kit
    added to the gradebook too, from the course's source notebook)."""
    folder, rows = course
    for student, assignment in [("bob", "01-definition"), ("dave", "05-performance")]:
        exercises = rows[student, assignment]["exercises"]
        assert written(assignment)
        assert grades(folder, student, assignment) == {
            **{f"check_{name}": (e["score"], None, False, e["max_score"])
               for name, e in exercises.items()},
            **{grade_id: (None, None, True, points)
               for grade_id, points in written(assignment).items()}}


def test_written_answers_need_manual_grading_but_an_unanswered_one_scores_0(course):
    """As `nbgrader autograde` leaves them: alice's answer waits for formgrader; erin left
    hers as released, so it scores 0 at once (nbgrader's unchanged checksum)."""
    folder, rows = course
    [(grade_id, points)] = written("01-definition").items()
    assert grades(folder, "alice", "01-definition")[grade_id] == (None, None, True, points)
    assert grades(folder, "erin", "01-definition")[grade_id] == (0.0, None, False, points)
    assert rows["alice", "01-definition"]["graded_by_hand"] == {
        grade_id: {"max_score": points, "score": None}}
    assert rows["erin", "01-definition"]["graded_by_hand"] == {
        grade_id: {"max_score": points, "score": 0.0}}


def test_formgrader_lists_the_submissions_as_autograded(course, monkeypatch):
    """What formgrader's pages are made from: nbgrader's NbGraderAPI, in the course folder."""
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    folder, rows = course
    monkeypatch.chdir(folder)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    listed = {s["student"]: (s["autograded"], s["score"])
              for s in api.get_submissions("01-definition")}
    assert listed == {"alice": (True, rows["alice", "01-definition"]["score"]),
                      "bob": (True, rows["bob", "01-definition"]["score"]),
                      "carol": (False, 0.0),
                      "erin": (True, 0.0),
                      "mallory": (False, 0.0)}   # her folder holds no notebook of hers


def test_a_notebook_that_could_not_be_graded_is_left_for_a_human(course):
    folder, _ = course
    assert {grade[:3] for grade in grades(folder, "carol", "01-definition").values()} == \
        {(None, None, True)}


def test_nbgrader_feedback_shows_the_kits_feedback(course):
    folder, _ = course
    nbgrader(folder, "generate_feedback", "01-definition", "--force")
    page = (folder / "feedback/bob/01-definition/definition.html").read_text()
    assert "Likely mistake: a matrix product" in page
    assert "hadamard_lists: 12/12 checks passed" in page
    assert not (folder / "feedback/carol").exists()


def test_a_rerun_keeps_a_humans_grade_and_changes_nothing_else(course, capsys):
    from nbgrader.api import Gradebook

    folder, _ = course
    before = exported(folder)
    with Gradebook(f"sqlite:///{folder}/gradebook.db", "hadamard") as gradebook:
        grade = gradebook.find_grade("check_hadamard", "definition", "01-definition", "bob")
        grade.manual_score = 3.0
        gradebook.db.commit()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(GRADE) == 0
    auto, manual, flagged, _ = grades(folder, "bob", "01-definition")["check_hadamard"]
    assert (manual, flagged) == (3.0, True) and auto < 3.0
    after = exported(folder)
    assert after.pop(("bob", "01-definition"))[0] > before.pop(("bob", "01-definition"))[0]
    assert after == before


def test_a_manual_grade_of_a_written_answer_survives_a_rerun_and_reaches_the_reports(
        course, tmp_path):
    """A grade set in formgrader (manual_score, no longer flagged) stays as it is after the
    kit grades again; nbgrader's export adds it to the checks' score, and the class report
    reads it back from the gradebook."""
    from nbgrader.api import Gradebook

    folder = tmp_path / "course"
    shutil.copytree(course[0], folder)
    [grade_id] = written("01-definition")
    with Gradebook(f"sqlite:///{folder}/gradebook.db", "hadamard") as gradebook:
        grade = gradebook.find_grade(grade_id, "definition", "01-definition", "alice")
        grade.manual_score, grade.needs_manual_grade = 1.5, False  # what formgrader saves
        gradebook.db.commit()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main([*GRADE, "--regrade"]) == 0
    assert grades(folder, "alice", "01-definition")[grade_id] == (None, 1.5, False, 2.0)
    row = course[1]["alice", "01-definition"]
    assert exported(folder)["alice", "01-definition"] == (row["score"] + 1.5,
                                                          nbgrader_max(row))
    rows = {(r.student, r.assignment): r
            for r in with_hand_grades(load(folder / "results"), course=folder)}
    assert [(c.grade_id, c.max_score, c.score) for c in rows["alice", "01-definition"].by_hand] \
        == [(grade_id, 2.0, 1.5)]
    assert [c.score for c in rows["bob", "01-definition"].by_hand] == [None]   # pending
    assert [c.score for c in rows["erin", "01-definition"].by_hand] == [0.0]   # unanswered
    page = write_class_report(folder / "results", {}, course=folder).read_text()
    assert "graded by hand: 1.5/2 points" in page
    # alice 1.5, erin 0; bob's and carol's (unreadable: a person looks) pending
    assert '<td>written_orthogonal</td><td class="n">2</td><td class="n">4</td>' \
           '<td class="n">2</td><td class="n">2</td><td class="n">0.75</td>' in page


def test_points_that_disagree_with_the_gradebook_are_refused(course, tmp_path, capsys):
    """A release older than the checks: nothing is written, and the fix is named."""
    from nbgrader.api import Gradebook

    folder = tmp_path / "course"
    shutil.copytree(course[0], folder)
    with Gradebook(f"sqlite:///{folder}/gradebook.db", "hadamard") as gradebook:
        gradebook.find_grade_cell("check_hadamard", "definition", "01-definition").max_score = 5
        gradebook.db.commit()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        assert main(GRADE) == 1
    assert "check_hadamard of 01-definition is worth 5 points in the gradebook and 3.75" \
        in capsys.readouterr().err
