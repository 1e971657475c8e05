"""The exports, checked against the formats the LMSs publish: Canvas's gradebook CSV,
Moodle's CSV import, Gradescope's results.json; and the roster that feeds them."""
import csv
import json
from pathlib import Path

import pytest

from autograder.checking.errors import KitError
from autograder.checking.feedback import points_text
from autograder.cli import main
from autograder.reports.roster import Student, read_roster

pytestmark = pytest.mark.slow  # the graded class


@pytest.fixture
def export(graded_class, monkeypatch, capsys):
    """export(*options) runs `export results ...` in the class's folder: (status, out, err)."""
    monkeypatch.chdir(graded_class)

    def run(*options):
        status = main(["export", "results", *options])
        captured = capsys.readouterr()
        return status, captured.out, captured.err
    return run


def read_csv(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as file:
        return list(csv.reader(file))


def scores(graded_class: Path) -> dict:
    """(student, assignment) → its score as the exports write it, from the run's report."""
    rows = json.loads((graded_class / "results/report.json").read_text())["submissions"]
    return {(r["student"], r["assignment"]): points_text(r["score"]) for r in rows}


def test_canvas_gradebook_csv(export, graded_class):
    """Student, ID, SIS User ID, SIS Login ID, Section, then `Title (id)` per assignment;
    a Points Possible row first; roster students in its order, then the others."""
    status, out, err = export("--to", "canvas", "--roster", "roster.csv",
                              "--assignment-id", "01-definition=12345")
    assert (status, out) == (0, "wrote results/canvas.csv\n")
    cy = [scores(graded_class)["cy", a] for a in ("01-definition", "02-broadcasting")]
    assert read_csv(graded_class / "results/canvas.csv") == [
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "01-definition (12345)",
         "02-broadcasting"],
        ["Points Possible", "", "", "", "", "13.25", "18"],
        ["Lovelace, Ada", "501", "1001", "alovelace", "Section A", "13.25", "18"],
        ["Bob Babbage", "502", "1002", "bbabbage", "Section B", "0", "0"],
        ["Cy Young", "503", "1003", "cyoung", "Section A", *cy],
        ["Fay Wray", "506", "1006", "fwray", "Section B", "", ""],
        ["dee", "", "", "", "", *cy],
        ["eve", "", "", "", "", "", ""]]
    assert err.splitlines() == [
        "note: not in the roster, so without LMS ids: dee, eve",
        "note: not graded, so left empty: eve 01-definition (the notebook is not valid JSON "
        "(line 1, column 27: Expecting value); it may be truncated)"]


def test_canvas_without_a_roster_says_that_canvas_cannot_match_the_rows(export, tmp_path):
    status, _, err = export("--to", "canvas", "--out", str(tmp_path / "grades.csv"))
    assert status == 0
    table = read_csv(tmp_path / "grades.csv")
    assert table[0][5:] == ["01-definition", "02-broadcasting"]  # new assignments in Canvas
    assert [row[0] for row in table[2:]] == ["ada", "bob", "cy", "dee", "eve"]
    assert "which Canvas matches rows by: pass --roster" in err


def test_moodle_csv_has_an_email_column_and_a_grade_and_feedback_column_per_assignment(
        export, graded_class):
    assert export("--to", "moodle", "--roster", "roster.csv")[0] == 0
    table = read_csv(graded_class / "results/moodle.csv")
    assert table[0] == ["Email address", "Username", "ID number", "Full name",
                        "01-definition", "01-definition feedback",
                        "02-broadcasting", "02-broadcasting feedback"]
    assert all(len(row) == len(table[0]) for row in table)
    rows = {row[1]: row for row in table[1:]}
    assert rows["cy"][:5] == ["cy@example.edu", "cy", "1003", "Cy Young",
                              scores(graded_class)["cy", "01-definition"]]
    assert rows["cy"][5].startswith("hadamard_lists 3/3 · hadamard ")
    assert rows["cy"][5].endswith(" · hadamard_all 3.5/3.5 · frobenius_inner 3/3")
    assert rows["fay"][4:] == ["", "", "", ""]
    assert rows["eve"][4:6] == ["", ""]  # not graded: Moodle keeps what it had


def test_moodle_is_refused_a_canvas_assignment_id(export, capsys):
    with pytest.raises(SystemExit) as stop:
        export("--to", "moodle", "--assignment-id", "01-definition=1")
    assert stop.value.code == 2
    assert "--assignment-id is for --to canvas" in capsys.readouterr().err


def test_gradescope_results_json_per_submission(export, graded_class):
    """A test per check; hidden checks visible after publishing; scores add up."""
    assert export("--to", "gradescope")[0] == 0
    folder = graded_class / "results/gradescope"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.json")) == sorted(
        f"{s}/{a}/results.json" for s in ("ada", "bob", "cy", "dee")
        for a in ("01-definition", "02-broadcasting")) + ["eve/01-definition/results.json"]
    report = {(r["student"], r["assignment"]): r for r in
              json.loads((graded_class / "results/report.json").read_text())["submissions"]}
    cy = json.loads((folder / "cy/01-definition/results.json").read_text())
    assert set(cy) == {"score", "output", "visibility", "stdout_visibility", "tests"}
    assert (cy["visibility"], cy["stdout_visibility"]) == ("visible", "hidden")
    row = report["cy", "01-definition"]
    assert 0 < cy["score"] == row["score"] < row["max_score"]
    assert cy["output"] == (f"definition.ipynb: {points_text(row['score'])}/"
                            f"{points_text(row['max_score'])} points")
    for test in cy["tests"]:
        assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["status"] in ("passed", "failed")
        assert test["score"] == (test["max_score"] if test["status"] == "passed" else 0)
    assert round(sum(t["score"] for t in cy["tests"]), 6) == cy["score"]
    assert {t["visibility"] for t in cy["tests"]} == {"visible", "after_published"}
    # The public checks are the ones a student's check cell runs: the same titles.
    feedback = report["cy", "01-definition"]["exercises"]["hadamard"]["feedback"]
    public = [t for t in cy["tests"] if t["name"].startswith("hadamard: ")
              and t["visibility"] == "visible"]
    assert public and all(t["name"].removeprefix("hadamard: ") in feedback for t in public)
    wrong = next(t for t in cy["tests"] if t["status"] == "failed")
    assert wrong["name"].startswith("hadamard: ")
    assert wrong["output"].startswith("called hadamard(A, B) with ")
    assert "Likely mistake: a matrix product (A @ B)" in wrong["output"]
    eve = json.loads((folder / "eve/01-definition/results.json").read_text())
    assert (eve["score"], eve["tests"]) == (0, [])
    assert eve["output"].startswith("definition.ipynb could not be graded: the notebook is not")


def test_a_roster_is_read_in_order_and_its_mistakes_refused(tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffid,email\nada,ada@example.edu\nbob,\n", encoding="utf-8")
    assert read_roster(roster) == {"ada": Student("ada", email="ada@example.edu"),
                                   "bob": Student("bob")}
    for text, message in [("name,email\nAda,a@x\n", "needs a header row with the column id"),
                          ("id,mail\nada,a@x\n", "(not 'mail')"),
                          ("id\nada\nada\n", "line 3: the id 'ada' appears twice"),
                          ("id\nada,extra\n", "line 2: more cells than columns"),
                          ("id,name\n,Ada\n", "line 2: the id is empty")]:
        roster.write_text(text)
        with pytest.raises(KitError, match=message.replace("(", r"\(").replace(")", r"\)")):
            read_roster(roster)


def test_a_bad_roster_is_an_error_on_the_command_line(export, graded_class):
    (graded_class / "bad-roster.csv").write_text("student,email\nada,a@x\n")
    status, out, err = export("--to", "canvas", "--roster", "bad-roster.csv")
    assert (status, out) == (1, "")
    assert err.startswith("error: the roster bad-roster.csv needs a header row")
