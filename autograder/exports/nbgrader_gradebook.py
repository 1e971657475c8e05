"""The kit's scores in an nbgrader course, through nbgrader's own API, so that nbgrader's
formgrader, `nbgrader export` and `nbgrader generate_feedback` show them as if
`nbgrader autograde` had run.

Each exercise is the notebook's grade cell `check_<exercise>` (solutions/*/*.ipynb), worth
the exercise's points. What the kit writes, per submission it graded:
- gradebook.db: the student, the submission, and each grade cell's auto_score (a grade a
  human has set stays: the cell is flagged for review, as nbgrader does). An assignment
  `nbgrader generate_assignment` has not made yet is added with its notebook and grade cells.
- autograded/<student>/<assignment>/<notebook>.ipynb: the submitted notebook with each check
  cell's output replaced by the kit's feedback, what generate_feedback and formgrader show.
A notebook that could not be graded gets no auto_score and is flagged for manual grading.
"""
import json
import warnings
from pathlib import Path

from autograder.checking.course import ASSIGNMENTS, exercises_of
from autograder.checking.errors import KitError
from autograder.checking.feedback import exercise_feedback
from autograder.checking.results import Row
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


def _ensure_notebook(gradebook, assignment: str, notebook: str, max_scores: dict):
    """Add what is missing of assignment/notebook/grade cells; refuse grade cells whose
    points differ from the kit's (the release is older or newer than the checks)."""
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
            _ensure_notebook(gradebook, assignment, notebook, points)
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
