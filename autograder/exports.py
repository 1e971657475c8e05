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
  The same function writes results.json in the Gradescope autograder (autograder/gradescope.py).

A row per student of the roster (in its order, those without a submission with empty
cells), then the other students. Scores are points, as graded. A submission that could not
be graded leaves its cell empty, so the LMS keeps what it had; it is named in the notes.
"""
import csv
import io
import json
from pathlib import Path

from .class_results import Gradebook, gradebook, load
from .errors import KitError
from .exercises import ASSIGNMENTS
from .feedback import check_details
from .reports import points_text
from .results import Graded, write_atomically
from .roster import Student

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


def _score(book: Gradebook, student: Student, assignment: str) -> str:
    """The cell of a score: empty where there is no graded submission."""
    submission = book.cells.get((student.id, assignment))
    return points_text(submission.row["score"]) if submission and submission.graded else ""


def _csv(rows) -> str:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue()


def canvas_csv(book: Gradebook, assignment_ids: dict[str, str]) -> str:
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
    return _csv(rows)


def _exercise_scores(submission: Graded | None) -> str:
    if submission is None or not submission.graded:
        return ""
    return " · ".join(f"{name} {points_text(e['score'])}/{points_text(e['max_score'])}"
                      for name, e in submission.row["exercises"].items())


def moodle_csv(book: Gradebook) -> str:
    rows = [[*MOODLE_INFO, *(column for a in book.assignments
                              for column in (a, f"{a} feedback"))]]
    for student in book.students:
        cells = []
        for assignment in book.assignments:
            cells += [_score(book, student, assignment),
                      _exercise_scores(book.cells.get((student.id, assignment)))]
        rows.append([student.email, student.id, student.sis_user_id, student.display_name,
                     *cells])
    return _csv(rows)


def gradescope_results(submissions: list[Graded]) -> dict:
    """Gradescope's results.json for one submission of one or more notebooks: a test per
    check (its feedback as output), the hidden ones visible once grades are published."""
    tests, lines = [], []
    for submission in submissions:
        row = submission.row
        name = Path(row["path"]).name
        if not submission.graded:
            lines.append(f"{name} could not be graded: {row['error']}")
            continue
        lines.append(f"{name}: {points_text(row['score'])}/{points_text(row['max_score'])} "
                     f"points")
        tests += [{"name": f"{exercise}: {check.title}",
                   "score": check.points if check.passed else 0.0,
                   "max_score": check.points,
                   "status": "passed" if check.passed else "failed",
                   "output": "\n".join(check_details(check)),
                   "visibility": "after_published" if check.hidden else "visible"}
                  for exercise, checks in submission.checks.items() for check in checks]
    return {"score": round(sum(s.row["score"] for s in submissions), 6),
            "output": "\n".join(lines), "visibility": "visible",
            "stdout_visibility": "hidden", "tests": tests}


def results_json(results: dict) -> str:
    return json.dumps(results, indent=1, ensure_ascii=False) + "\n"


def write_export(out: Path, *, to: str, roster: dict[str, Student], target: Path | None = None,
                 assignment_ids: dict[str, str] | None = None) -> tuple[Path, list[str]]:
    """Write the grades of the grade run in `out` as `to` says (into `target`, by default
    inside `out`); return where, and notes for the instructor."""
    book = gradebook(load(out), roster)
    target = Path(target) if target else Path(out) / FORMATS[to]
    notes = list(book.notes)
    if to == "gradescope":
        for (student, assignment), submission in sorted(book.cells.items()):
            write_atomically(target / student / assignment / "results.json",
                             results_json(gradescope_results([submission])))
        return target, notes
    notes += [f"not graded, so left empty: {student} {assignment} ({submission.row['error']})"
              for (student, assignment), submission in book.cells.items()
              if not submission.graded]
    if to == "canvas":
        if not any(s.canvas_id or s.sis_user_id or s.sis_login_id for s in book.students):
            notes.append("no student has an ID, SIS User ID or SIS Login ID, which Canvas "
                         "matches rows by: pass --roster with those columns")
        write_atomically(target, canvas_csv(book, assignment_ids or {}))
    else:
        missing = [s.id for s in book.students if not s.email]
        if missing:
            notes.append(f"no email for {', '.join(missing)}: in Moodle, map Username to "
                         f"username if the student ids are Moodle usernames, or add emails "
                         f"to the roster")
        write_atomically(target, moodle_csv(book))
    return target, notes
