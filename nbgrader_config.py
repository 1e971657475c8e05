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
# The kit grades the notebook as submitted, first of nbgrader's first pass, and puts back
# the release's nbgrader metadata in every cell before nbgrader's own steps read it (the
# exporter reads a notebook whose metadata nbformat cannot read, as the kit does); each
# check cell shows the kit's score at the end of that pass, and nbgrader's second pass
# records it.
c.Autograde.exporter_class = "autograder.grading.nbgrader_autograde.ReadAsTheKit"
c.Autograde.sanitize_preprocessors = [
    "autograder.grading.nbgrader_autograde.GradeWithTheKit",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "nbgrader.preprocessors.OverwriteCells",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.grading.nbgrader_autograde.ShowTheKitsScores",
]
c.Autograde.autograde_preprocessors = [
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
