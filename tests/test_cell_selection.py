"""Grading runs only the cells the answers need, and gets the row a run of every cell gets."""
import dataclasses
import json

import pytest

from autograder.build.demo_class import KINDS, submission
from autograder.checking.course import ASSIGNMENTS
from autograder.grading.cell_selection import cells_to_run
from autograder.grading.notebooks import read
from autograder.grading.submission import grade_notebook
from autograder.reports.run_reports import contract_row
from autograder.sandbox.starter import Sandbox

from .conftest import ROOT, write_submission


def released_with(tmp_path, assignment: str, extra: dict[int, str]):
    """The untouched release of `assignment`, answered correctly, with code cells inserted
    before the given positions; read as the grader reads it."""
    notebook = submission(ROOT, assignment, "correct")
    for position, source in sorted(extra.items(), reverse=True):
        notebook["cells"].insert(position, {"cell_type": "code", "metadata": {},
                                            "outputs": [], "execution_count": None,
                                            "source": source})
    path = write_submission(tmp_path, "ivy", assignment, text=json.dumps(notebook))
    return read(path)


def indices(cells) -> list[int]:
    return [cell.index for cell in cells]


def test_unchanged_teaching_cells_are_skipped_and_the_answers_kept():
    for assignment, (name, exercises) in ASSIGNMENTS.items():
        notebook = read(ROOT / "solutions" / assignment / name)
        needed = cells_to_run(notebook)
        assert needed is not None, assignment
        code = [cell for cell in notebook.cells if not cell.is_test]
        assert len(needed) < len(code), assignment
        for exercise in exercises:
            assert any(f"def {exercise}(" in cell.source for cell in needed), exercise


def test_a_cell_the_student_added_runs_with_what_it_reads(tmp_path):
    """A student's cell is run, and so is every cell binding what it reads."""
    notebook = released_with(tmp_path, "01-definition",
                             {3: "SCALE = 2.0\n", 4: "def helper(A):\n    return A * SCALE\n"})
    needed = cells_to_run(notebook)
    sources = [cell.source for cell in needed]
    assert "SCALE = 2.0\n" in sources and any("def helper" in s for s in sources)


def test_a_later_cell_that_rebinds_what_a_function_reads_is_run(tmp_path):
    """Functions read their globals when the checks call them: the last binding counts."""
    notebook = released_with(tmp_path, "01-definition",
                             {3: "def uses_late():\n    return LATE\n", 40: "LATE = 1\n"})
    assert "LATE = 1\n" in [cell.source for cell in cells_to_run(notebook)]


@pytest.mark.parametrize("source", ["exec('x = 1')\n", "globals()['np'] = None\n",
                                    "from numpy import *\n", "%time 1 + 1\n",
                                    "get_ipython().run_line_magic('time', '1')\n",
                                    "import importlib\n", "def broken(:\n"])
def test_what_the_analysis_cannot_see_through_runs_every_cell(tmp_path, source):
    assert cells_to_run(released_with(tmp_path, "01-definition", {3: source})) is None


def test_a_loose_notebook_of_no_known_assignment_runs_every_cell(tmp_path):
    notebook = released_with(tmp_path, "01-definition", {})
    assert cells_to_run(dataclasses.replace(notebook, assignment=None)) is None


@pytest.mark.slow
def test_both_ways_give_the_same_row_for_every_kind_of_student(tmp_path):
    """Correct, untouched and partly wrong work of every assignment, the solutions, and a
    student whose answer needs a cell the release never had: identical rows, graded fast
    where the analysis allows."""
    paths = [write_submission(tmp_path, kind, assignment, kind=kind)
             for assignment in ASSIGNMENTS for kind in KINDS]
    paths += [write_submission(tmp_path, "sol", assignment, kind="solution")
              for assignment in ASSIGNMENTS]
    paths.append(released_with(tmp_path / "extra", "01-definition",
                               {3: "import numpy\nFACTOR = numpy.float64(1.0)\n"}).path)
    sandbox = Sandbox()
    try:
        for path in paths:
            fast = grade_notebook(path, sandbox)
            full = grade_notebook(path, sandbox, every_cell=True)
            assert full.every_cell
            assert {**contract_row(fast), "cells_run": None} == \
                {**contract_row(full), "cells_run": None}, path
            assert not fast.every_cell, path
    finally:
        sandbox.close()
