"""nbgrader's configuration for this course: run nbgrader's commands from the repo root.

solutions/<assignment>/ is nbgrader's source (solutions and hidden tests); notebooks/ is its
release (what students get: `make release` regenerates it). submitted/, autograded/,
feedback/ and gradebook.db are nbgrader's working state and stay out of git.
"""
c = get_config()  # noqa: F821 (nbgrader provides it)

c.CourseDirectory.course_id = "hadamard"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "*.pid"]

# The checks answer in about a second; a minute per cell leaves room for slow machines
# and still stops a student's infinite loop.
c.ExecutePreprocessor.timeout = 60

# `nbgrader autograde` grades with the kit: nbgrader's Execute (the student's notebook in a
# kernel, its score read from what each check cell displays) is replaced by the kit's
# sandboxed grading, so no line of a notebook can change how its result is read, and the
# totals are exactly `python -m autograder grade`'s (autograder/grading/nbgrader_autograde.py).
c.Autograde.autograde_preprocessors = [
    "autograder.grading.nbgrader_autograde.GradeWithTheKit",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
