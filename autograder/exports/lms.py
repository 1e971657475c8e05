"""Grades in the formats learning management systems import, from a grade run's output
folder (and optionally a roster: autograder/roster.py):

    python -m autograder export grading-results --to canvas [--roster roster.csv]
                                [--assignment-id 01-definition=12345 ...]
    python -m autograder export grading-results --to moodle --roster roster.csv
    python -m autograder export grading-results --to gradescope

- canvas: grading-results/canvas.csv, Canvas's gradebook CSV: `Student,ID,SIS User ID,SIS
  Login ID,Section`, then a column per assignment, `<assignment> (<Canvas assignment id>)`
  where --assignment-id gives the id, else `<assignment>` alone (Canvas then makes a new
  assignment of it on import); a first data row `Points Possible`.
- moodle: grading-results/moodle.csv, for Moodle's "Import grades from CSV": `Email
  address` (map it to useremail), `Username` (the student id: map it to username instead,
  if those are the Moodle usernames), `ID number` (the SIS user id), `Full name`, then per
  assignment its score and `<assignment> feedback` (each exercise's score).
- gradescope: grading-results/gradescope/<student>/<assignment>/results.json, Gradescope's
  autograder results: a test per check, hidden checks shown only once grades are published.
  The same function writes results.json in the Gradescope autograder (grading/gradescope.py).

A row per student of the roster (in its order, those without a submission with empty
cells), then the other students. Scores are points, as graded. A submission that could not
be graded leaves its cell empty, so the LMS keeps what it had; it is named in the notes.
"""
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS
from autograder.checking.errors import KitError
from autograder.checking.feedback import points_text
from autograder.checking.results import Row
from autograder.exports.gradescope import gradescope_results
from autograder.files import csv_text, json_text, write_atomically
from autograder.reports.class_stats import ScoreSheet, load, score_sheet
from autograder.reports.roster import Student

FORMATS = {"canvas": "canvas.csv", "moodle": "moodle.csv", "gradescope": "gradescope"}
CANVAS_INFO = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
MOODLE_INFO = ["Email address", "Username", "ID number", "Full name"]


def parse_assignment_id(text: str) -> tuple[str, str]:
    """`01-definition=12345` → ("01-definition", "12345"): an assignment's id in Canvas."""
    assignment, _, number = text.partition("=")
    if assignment not in ASSIGNMENTS or not number.isdigit():
        raise KitError(f"--assignment-id wants ASSIGNMENT=NUMBER, ASSIGNMENT one of "
                       f"{', '.join(ASSIGNMENTS)} and NUMBER the id in the assignment's "
                       f"Canvas address (…/assignments/12345), not {text!r}")
    return assignment, number


def _score(book: ScoreSheet, student: Student, assignment: str) -> str:
    """The cell of a score: empty where there is no graded submission."""
    submission = book.cells.get((student.id, assignment))
    return points_text(submission.score) if submission and submission.graded else ""


def canvascsv_text(book: ScoreSheet, assignment_ids: dict[str, str]) -> str:
    columns = [f"{a} ({assignment_ids[a]})" if a in assignment_ids else a
               for a in book.assignments]
    points = [book.max_score(a) for a in book.assignments]
    rows = [[*CANVAS_INFO, *columns],
            ["Points Possible", "", "", "", "",
             *("" if p is None else points_text(p) for p in points)]]
    for student in book.students:
        rows.append([student.display_name, student.canvas_id, student.sis_user_id,
                     student.sis_login_id, student.section,
                     *(_score(book, student, a) for a in book.assignments)])
    return csv_text(rows)


def _exercise_scores(submission: Row | None) -> str:
    if submission is None or not submission.graded:
        return ""
    return " · ".join(f"{name} {points_text(e.score)}/{points_text(e.max_score)}"
                      for name, e in submission.exercises.items())


def moodlecsv_text(book: ScoreSheet) -> str:
    rows = [[*MOODLE_INFO, *(column for a in book.assignments
                              for column in (a, f"{a} feedback"))]]
    for student in book.students:
        cells = []
        for assignment in book.assignments:
            cells += [_score(book, student, assignment),
                      _exercise_scores(book.cells.get((student.id, assignment)))]
        rows.append([student.email, student.id, student.sis_user_id, student.display_name,
                     *cells])
    return csv_text(rows)


def write_export(out: Path, *, to: str, roster: dict[str, Student], target: Path | None = None,
                 assignment_ids: dict[str, str] | None = None) -> tuple[Path, list[str]]:
    """Write the grades of the grade run in `out` as `to` says (into `target`, by default
    inside `out`); return where, and notes for the instructor."""
    book = score_sheet(load(out), roster)
    target = Path(target) if target else Path(out) / FORMATS[to]
    notes = list(book.notes)
    if to == "gradescope":
        for (student, assignment), submission in sorted(book.cells.items()):
            write_atomically(target / student / assignment / "results.json",
                             json_text(gradescope_results([submission])))
        return target, notes
    notes += [f"not graded, so left empty: {student} {assignment} ({submission.error})"
              for (student, assignment), submission in book.cells.items()
              if not submission.graded]
    if to == "canvas":
        if not any(s.canvas_id or s.sis_user_id or s.sis_login_id for s in book.students):
            notes.append("no student has an ID, SIS User ID or SIS Login ID, which Canvas "
                         "matches rows by: pass --roster with those columns")
        write_atomically(target, canvascsv_text(book, assignment_ids or {}))
    else:
        missing = [s.id for s in book.students if not s.email]
        if missing:
            notes.append(f"no email for {', '.join(missing)}: in Moodle, map Username to "
                         f"username if the student ids are Moodle usernames, or add emails "
                         f"to the roster")
        write_atomically(target, moodlecsv_text(book))
    return target, notes
