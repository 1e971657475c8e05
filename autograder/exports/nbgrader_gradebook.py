"""The kit's scores in an nbgrader course, through nbgrader's own API, so that nbgrader's
formgrader, `nbgrader export` and `nbgrader generate_feedback` show them as if
`nbgrader autograde` had run.

Each exercise is the notebook's grade cell `check_<exercise>` (solutions/*/*.ipynb), worth
the exercise's points. What the kit writes, per submission it graded:
- gradebook.db: the student, the submission, and each grade cell's auto_score (a grade a
  human has set stays: the cell is flagged for review, as nbgrader does). An assignment
  `nbgrader generate_assignment` has not made yet is added with its notebook and grade cells.
- the cells graded by hand (written answers: the gradebook's grade cells that are no
  exercise's): left to formgrader, as `nbgrader autograde` leaves them. An answer waits for
  its manual grade; one left as released (or missing) scores 0, as under nbgrader. A manual
  grade is never touched and not flagged again: nothing the kit computes changed it.
- autograded/<student>/<assignment>/<notebook>.ipynb: the submitted notebook with each check
  cell's output replaced by the kit's feedback, what generate_feedback and formgrader show.
A notebook that could not be graded gets no auto_score and is flagged for manual grading.

`with_hand_grades` reads the manual grades back, for the class report.
"""
import dataclasses
import json
import warnings
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, exercises_of
from autograder.checking.errors import KitError
from autograder.checking.feedback import exercise_feedback
from autograder.checking.results import HandGraded, Row
from autograder.files import json_text, write_atomically

TOLERANCE = 1e-6


def grade_cell(exercise: str) -> str:
    return f"check_{exercise}"


def _course_directory(course: Path):
    """nbgrader's CourseDirectory of the course at `course`, from its nbgrader_config.py:
    where its gradebook and autograded/ are, and its course id."""
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    coursedir = CourseDirectory(config=config)
    if "root" not in config.CourseDirectory:
        coursedir.root = str(course.resolve())
    return coursedir


def _notebook_name(row: Row) -> str | None:
    """nbgrader's name of the row's notebook, or None if it is not the assignment's."""
    stem = Path(row.path).stem
    return stem if stem == Path(ASSIGNMENTS[row.assignment][0]).stem else None


def _source_hand_graded(coursedir, assignment: str, notebook: str) -> tuple[HandGraded, ...]:
    """The cells graded by hand in the course's own source notebook (not a student's copy,
    whose metadata the student can edit); none if it has no source notebook."""
    from autograder.grading.notebooks import hand_graded

    path = Path(coursedir.format_path(coursedir.source_directory, ".", assignment)) \
        / f"{notebook}.ipynb"
    try:
        return hand_graded(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KitError):
        return ()


def _is_hand_graded(cell, assignment: str) -> bool:
    return cell.name not in {grade_cell(e.name) for e in exercises_of(assignment)}


def _ensure_notebook(gradebook, assignment: str, notebook: str, max_scores: dict,
                     by_hand: tuple[HandGraded, ...] = ()):
    """Add what is missing of assignment/notebook/grade cells (the exercises', and the
    cells `by_hand` graded by hand); refuse grade cells whose points differ from the kit's
    (the release is older or newer than the checks)."""
    from nbgrader.api import MissingEntry

    try:
        gradebook.find_assignment(assignment)
    except MissingEntry:
        gradebook.add_assignment(assignment)
    try:
        gradebook.find_notebook(notebook, assignment)
    except MissingEntry:
        gradebook.add_notebook(notebook, assignment)
        for exercise, points in max_scores.items():
            gradebook.add_grade_cell(grade_cell(exercise), notebook, assignment,
                                     max_score=points, cell_type="code")
        for cell in by_hand:
            gradebook.add_grade_cell(cell.grade_id, notebook, assignment,
                                     max_score=cell.max_score, cell_type="markdown")
        return
    for exercise, points in max_scores.items():
        try:
            cell = gradebook.find_grade_cell(grade_cell(exercise), notebook, assignment)
        except MissingEntry:
            raise KitError(f"the gradebook's {assignment}/{notebook} has no grade cell "
                           f"{grade_cell(exercise)}: run `nbgrader generate_assignment "
                           f"{assignment} --force` on the current solutions/") from None
        if abs(cell.max_score - points) > TOLERANCE:
            raise KitError(f"grade cell {grade_cell(exercise)} of {assignment} is worth "
                           f"{cell.max_score:g} points in the gradebook and {points:g} in "
                           f"the kit's checks: run `nbgrader generate_assignment "
                           f"{assignment} --force` on the current solutions/")


def _write_grades(gradebook, row: Row, notebook: str):
    gradebook.update_or_create_student(row.student)
    gradebook.update_or_create_submission(row.assignment, row.student)
    for exercise in exercises_of(row.assignment):
        grade = gradebook.find_grade(grade_cell(exercise.name), notebook, row.assignment,
                                     row.student)
        graded = row.exercises.get(exercise.name)
        grade.auto_score = graded.score if graded else None
        grade.needs_manual_grade = graded is None or grade.manual_score is not None
    answers = {cell.grade_id: cell for cell in row.by_hand}
    for grade in gradebook.find_submission_notebook(notebook, row.assignment,
                                                    row.student).grades:
        if _is_hand_graded(grade.cell, row.assignment):
            _leave_to_a_human(grade, answers.get(grade.name))


def _leave_to_a_human(grade, answer: HandGraded | None):
    """A cell graded by hand, as nbgrader's SaveAutoGrades leaves it: an answer left as
    released scores 0 at once; any other (or one not found: a person looks) waits for its
    manual grade. A manual grade stays as it is."""
    if answer is not None and not answer.pending:
        grade.auto_score = answer.score
        grade.needs_manual_grade = grade.manual_score is not None
    else:
        grade.auto_score = None
        grade.needs_manual_grade = grade.manual_score is None


def _autograded_notebook(row: Row) -> str | None:
    """The submitted notebook with the kit's feedback as its check cells' output."""
    try:
        document = json.loads(Path(row.path).read_text(encoding="utf-8"))
        cells = [cell for cell in document["cells"] if cell.get("cell_type") == "code"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    checks = {grade_cell(name): exercise_feedback(e) for name, e in row.exercises.items()}
    for cell in cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in checks:
            cell["outputs"] = [{"output_type": "stream", "name": "stdout",
                                "text": checks[grade_id] + "\n"}]
    return json_text(document)


def write_to_course(rows, *, course: Path) -> list[str]:
    """Write the rows' scores into the nbgrader course rooted at `course`; return what was
    left out and why."""
    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    coursedir = _course_directory(Path(course))
    left_out, placed = [], []
    for row in rows:
        notebook = _notebook_name(row) if row.student and row.assignment else None
        if notebook is None:
            left_out.append(f"{row.path}: not submitted/<student>/<assignment>/<the "
                            f"assignment's notebook>, so not in the gradebook")
        else:
            placed.append((row, notebook))
    max_scores = {}  # what each notebook's grade cells are worth, from any graded row of it
    for row, notebook in placed:
        if row.graded:
            max_scores.setdefault((row.assignment, notebook), {
                name: e.max_score for name, e in row.exercises.items()})
    written = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook, \
            warnings.catch_warnings():
        # nbgrader's own add_submission makes SQLAlchemy warn (nbgrader autograde too)
        warnings.simplefilter("ignore", SAWarning)
        for (assignment, notebook), points in sorted(max_scores.items()):
            _ensure_notebook(gradebook, assignment, notebook, points,
                             _source_hand_graded(coursedir, assignment, notebook))
        for row, notebook in placed:
            try:
                _write_grades(gradebook, row, notebook)
                written.append((row, notebook))
            except MissingEntry:  # only an error row of an assignment nbgrader does not know
                left_out.append(f"{row.path}: {row.assignment} is not in the gradebook "
                                f"(run `nbgrader generate_assignment {row.assignment}`)")
        gradebook.db.commit()
    for row, notebook in written:
        text = _autograded_notebook(row) if row.graded else None
        if text is not None:
            folder = coursedir.format_path(coursedir.autograded_directory, row.student,
                                           row.assignment)
            write_atomically(Path(folder) / f"{notebook}.ipynb", text)
    return left_out


def with_hand_grades(rows, *, course: Path) -> list[Row]:
    """The rows with their cells graded by hand as the gradebook of the nbgrader course at
    `course` has them (its grade cells, its grades: pending until formgrader has one); rows
    the gradebook does not hold stay as they are."""
    from nbgrader.api import Gradebook, MissingEntry

    coursedir = _course_directory(Path(course))
    found = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        for row in rows:
            notebook = _notebook_name(row) if row.student and row.assignment else None
            try:
                grades = gradebook.find_submission_notebook(
                    notebook, row.assignment, row.student).grades if notebook else None
            except MissingEntry:
                grades = None
            if grades is None:
                found.append(row)
                continue
            order = [cell.grade_id for cell in row.by_hand]  # the notebook's, then by name
            by_hand = tuple(
                HandGraded(grade.name, grade.max_score,
                           grade.manual_score if grade.manual_score is not None
                           else grade.auto_score)
                for grade in sorted(grades, key=lambda g: (
                    order.index(g.name) if g.name in order else len(order), g.name))
                if _is_hand_graded(grade.cell, row.assignment))
            found.append(dataclasses.replace(row, by_hand=by_hand))
    return found
