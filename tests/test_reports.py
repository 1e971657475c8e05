"""What a grade run leaves in its output folder, and how a rerun reuses it: the JSON report,
the CSV gradebook, feedback pages, the results store (resume, regrade on change)."""
import csv
import json
import shutil
from pathlib import Path

import pytest

from autograder.checking.course import ASSIGNMENTS
from autograder.cli import main
from autograder.grading import run
from autograder.grading import submission as grading

from .conftest import write_submission

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("fixed_kit")]

ROOT = Path(__file__).resolve().parents[1]
DEFINITION = "submitted/{}/01-definition/definition.ipynb"
ALICE, BOB = DEFINITION.format("alice"), DEFINITION.format("bob")
CAROL = "submitted/carol/02-broadcasting/broadcasting.ipynb"
COMMAND = ["grade", "submitted", "--out", "results", "--json"]


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def graded(tmp_path_factory) -> tuple[Path, str]:
    """A class graded once: alice right, bob with a matrix product for `hadamard`, carol's
    notebook cut short. Paths are relative, so a copy of the folder resumes like the original."""
    folder = tmp_path_factory.mktemp("class")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        write_submission(".", "alice", "01-definition", kind="correct")
        write_submission(".", "bob", "01-definition", kind="mistake")
        write_submission(".", "carol", "02-broadcasting", text='{"nbformat": 4, "cells": [')
        assert main(COMMAND) == 0
    return folder, (folder / "results" / "report.json").read_text()


@pytest.fixture
def copy_of_class(graded, tmp_path, monkeypatch) -> Path:
    """This test's own copy of the graded class, as the current folder."""
    folder = tmp_path / "class"
    shutil.copytree(graded[0], folder)
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def graded_now(monkeypatch, tmp_path) -> list:
    """The notebooks actually graded (not reused) from now on, in the worker processes."""
    log = tmp_path / "graded.log"
    real = grading.grade_notebook

    def logged(path, sandbox):
        with open(log, "a") as f:
            f.write(f"{path}\n")
        return real(path, sandbox)
    monkeypatch.setattr(grading, "grade_notebook", logged)

    def paths() -> list[str]:
        return sorted(log.read_text().split()) if log.exists() else []
    return paths


def test_the_json_report_is_the_contracts_document_in_path_order(graded):
    rows = json.loads(graded[1])["submissions"]
    assert [row["path"] for row in rows] == [ALICE, BOB, CAROL]
    alice, bob, carol = rows
    assert alice["status"] == bob["status"] == "graded" and alice["score"] == alice["max_score"]
    assert bob["exercises"]["hadamard"]["score"] < bob["exercises"]["hadamard"]["max_score"]
    assert carol["status"] == "error" and carol["error"].startswith("the notebook is not valid")


def test_written_answers_are_reported_as_graded_by_hand_and_kept_out_of_the_score(graded):
    """alice and bob answered 01's written question (the demo class copies the model
    answer): pending, worth its points, which the score and max_score leave out."""
    folder, report = graded
    alice, bob, carol = json.loads(report)["submissions"]
    pending = {"written_orthogonal": {"max_score": 2.0, "score": None}}
    assert alice["graded_by_hand"] == bob["graded_by_hand"] == pending
    assert alice["max_score"] == sum(e["max_score"] for e in alice["exercises"].values())
    assert carol["graded_by_hand"] == {}  # unreadable: nothing to list
    page = (folder / "results/feedback/alice/01-definition/definition.md").read_text()
    assert page.endswith("## Written answers, graded by hand\n\nYour instructor grades "
                         "these; their points are not in the score above.\n\n```text\n"
                         "written_orthogonal: pending, 2 points\n```\n")


def test_an_answer_left_as_released_scores_0_by_hand_at_once(copy_of_class, capsys):
    write_submission(".", "bob", "01-definition", kind="untouched")
    assert main(COMMAND) == 0
    rows = {row["path"]: row for row in json.loads(capsys.readouterr().out)["submissions"]}
    assert rows[BOB]["graded_by_hand"] == {"written_orthogonal": {"max_score": 2.0,
                                                                  "score": 0.0}}


def test_the_csv_gradebook_has_a_row_per_submission_and_a_column_per_exercise(graded):
    folder, report = graded
    with open(folder / "results" / "gradebook.csv", newline="") as f:
        table = list(csv.DictReader(f))
    exercises = ASSIGNMENTS["01-definition"][1] + ASSIGNMENTS["02-broadcasting"][1]
    assert list(table[0]) == ["student", "assignment", "status", "score", "max_score",
                              *exercises, "error", "path"]
    rows = json.loads(report)["submissions"]
    for line, row in zip(table, rows, strict=True):
        assert (line["student"], line["assignment"], line["status"], line["path"]) == \
            (row["student"], row["assignment"], row["status"], row["path"])
        assert float(line["score"]) == row["score"]
        for name in exercises:
            graded_exercise = row["exercises"].get(name)
            assert line[name] == ("" if graded_exercise is None else
                                  f"{graded_exercise['score']:g}")
    assert table[0]["hadamard"] == "3.75" and table[0]["error"] == ""
    assert table[2]["score"] == "0" and table[2]["error"].startswith("the notebook is not valid")


def test_each_submission_gets_a_feedback_page_with_its_checks_and_hints(graded):
    feedback = graded[0] / "results" / "feedback"
    assert sorted(p.relative_to(feedback).as_posix() for p in feedback.rglob("*.md")) == [
        "alice/01-definition/definition.md", "bob/01-definition/definition.md",
        "carol/02-broadcasting/broadcasting.md"]
    bob = (feedback / "bob/01-definition/definition.md").read_text()
    assert bob.startswith("# definition.ipynb: ")
    assert "Student: bob · Assignment: 01-definition" in bob
    section = bob.split("## hadamard: ")[1].split("## hadamard_all")[0]
    assert "✗ 3x3 square, where A @ B has the same shape" in section
    assert "called hadamard(A, B) with A = float64 array" in section
    assert "Likely mistake: a matrix product" in section
    assert "```text\n" in section
    carol = (feedback / "carol/02-broadcasting/broadcasting.md").read_text()
    assert "This notebook could not be graded: the notebook is not valid JSON" in carol


def test_a_rerun_grades_nothing_again_and_writes_identical_files(copy_of_class, graded_now,
                                                                 capsys):
    """Only the error row is tried again; every file, stored rows included, is the same."""
    before = files_of(copy_of_class / "results")
    stored = {p: p.stat().st_mtime_ns for p in (copy_of_class / "results").rglob("*.json")}
    assert main(COMMAND) == 0
    assert capsys.readouterr().out == (copy_of_class / "results" / "report.json").read_text()
    assert graded_now() == [CAROL]
    assert files_of(copy_of_class / "results") == before
    alice_file = next(p for p in stored if ALICE in p.read_text() and "submissions" in p.parts)
    assert alice_file.stat().st_mtime_ns == stored[alice_file]


def test_a_changed_notebook_is_graded_again(copy_of_class, graded_now, capsys):
    write_submission(".", "bob", "01-definition", kind="correct")
    assert main(COMMAND) == 0
    rows = {row["path"]: row for row in json.loads(capsys.readouterr().out)["submissions"]}
    assert graded_now() == sorted([BOB, CAROL])
    assert rows[BOB]["score"] == rows[BOB]["max_score"] == rows[ALICE]["score"]


def test_a_new_version_of_the_kit_grades_everything_again(copy_of_class, graded_now,
                                                          monkeypatch, capsys):
    monkeypatch.setattr(run, "kit_fingerprint", lambda: "kit-2")
    assert main(COMMAND) == 0
    assert graded_now() == sorted([ALICE, BOB, CAROL])


def test_regrade_grades_everything_again_with_the_same_result(copy_of_class, graded_now,
                                                              graded, capsys):
    assert main([*COMMAND, "--regrade", "--jobs", "2"]) == 0
    assert graded_now() == sorted([ALICE, BOB, CAROL])
    assert capsys.readouterr().out == graded[1]


def test_html_feedback_replaces_the_markdown_pages(copy_of_class, capsys):
    assert main([*COMMAND, "--feedback", "html"]) == 0
    feedback = copy_of_class / "results" / "feedback"
    assert not list(feedback.rglob("*.md"))
    page = (feedback / "bob/01-definition/definition.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and "<h2>hadamard: " in page
    assert "A @ B" in page and "<pre>hadamard: " in page
    assert "Likely mistake: a matrix product" in page


def test_without_json_the_summary_table_ends_the_output(copy_of_class, capsys):
    assert main(["grade", "submitted", "--out", "results"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["student", "assignment", "score", "status"]
    assert out[1].split()[:3] == ["alice", "01-definition", "13.25/13.25"]
    assert out[1].endswith("graded; graded by hand: 2 points pending")
    assert out[3].startswith("carol            02-broadcasting")
    assert out[5].split() == ["assignment", "graded", "errors", "mean", "score"]
    assert out[6].split()[:3] == ["01-definition", "2", "0"]
    assert out[7].split() == ["02-broadcasting", "0", "1", "-"]
    assert out[-1] == "reports: results/ (report.json, gradebook.csv, feedback/)"
