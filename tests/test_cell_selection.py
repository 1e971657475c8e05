"""Grading runs only the cells the answers need, and gets the row a run of every cell gets."""
import dataclasses
import json

import pytest

from autograder.build.demo_class import KINDS, submission
from autograder.checking.course import ASSIGNMENTS
from autograder.grading import cell_selection
from autograder.grading.cell_selection import cells_to_run
from autograder.grading.notebooks import read

from .conftest import ROOT, write_submission
from .test_both_ways import assert_same_rows, both_ways, released


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


def as_teaching(monkeypatch, assignment: str, *sources: str):
    """Cells with these sources count as the release's own teaching cells."""
    release = cell_selection._release_sources(assignment)
    monkeypatch.setattr(cell_selection, "_release_sources",
                        lambda name: release | set(sources) if name == assignment else None)


# A student's function that keeps state in a global: each call is counted.
COUNTED = "calls = []\n\n\ndef counted(value):\n    calls.append(value)\n    return len(calls)\n"
# The first weights it is given, kept for every later call (a wrong "initialise once").
FIRST_WEIGHTS = ("import numpy as np\n_weights = {}\n\n\ndef swiglu(x, W, V):\n"
                 "    W = _weights.setdefault('W', W)\n    V = _weights.setdefault('V', V)\n"
                 "    a = x @ W\n    return a / (1 + np.exp(-a)) * (x @ V)\n")


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


@pytest.mark.parametrize("teaching", [
    ["counted(1)\n"],                                      # a call
    ["results = list(map(counted, [1, 2]))\n"],             # handed to another function
    ["def twice(value):\n    return counted(counted(value))\n", "twice(2)\n"]],  # through
    ids=["called", "handed-on", "through-a-function"])     # a function of the release
def test_a_teaching_cell_calling_a_function_that_keeps_state_in_a_global_is_run(
        tmp_path, monkeypatch, teaching):
    """A call changes what the called function changes when it runs: a teaching cell that
    calls the student's function (the release's "Uses your ..." cells) counts as changing
    the global the function keeps its state in (a count, a cache, the first weights)."""
    notebook = released_with(tmp_path, "01-definition",
                             {3: COUNTED, **{4 + n: cell for n, cell in enumerate(teaching)}})
    as_teaching(monkeypatch, "01-definition", *teaching)
    assert teaching[-1] in [cell.source for cell in cells_to_run(notebook)]


def test_a_teaching_cell_handing_its_objects_to_a_function_of_the_notebook_is_run(
        tmp_path, monkeypatch):
    """A function of the notebook may change what it is given (a wrong answer that works
    in place): a teaching cell that calls it changes the objects it hands it."""
    teaching = ["weights = np.ones(3)\n", "hadamard(weights, weights)\n"]
    notebook = released_with(tmp_path, "01-definition",
                             {3: teaching[0], 4: teaching[1],
                              40: "def total():\n    return float(weights.sum())\n"})
    as_teaching(monkeypatch, "01-definition", *teaching)
    assert teaching[1] in [cell.source for cell in cells_to_run(notebook)]


def test_teaching_cells_calling_answers_that_change_nothing_are_skipped(tmp_path):
    """The release's "Uses your ..." cells call the answers; a correct answer changes no
    global, and they are left out."""
    for assignment in ASSIGNMENTS:
        path = write_submission(tmp_path, "ivy", assignment, kind="correct")
        assert not [cell for cell in cells_to_run(read(path))
                    if "Uses your" in cell.source], assignment


def test_a_loose_notebook_of_no_known_assignment_runs_every_cell(tmp_path):
    notebook = released_with(tmp_path, "01-definition", {})
    assert cells_to_run(dataclasses.replace(notebook, assignment=None)) is None


@pytest.mark.slow
def test_both_ways_give_the_same_row_for_every_kind_of_student(tmp_path):
    """Correct, untouched and partly wrong work of every assignment, the solutions, a
    student whose answer needs a cell the release never had, and one whose answer keeps
    the first weights a teaching cell gives it: identical rows, graded fast where the
    analysis allows."""
    paths = [write_submission(tmp_path, kind, assignment, kind=kind)
             for assignment in ASSIGNMENTS for kind in KINDS]
    paths += [write_submission(tmp_path, "sol", assignment, kind="solution")
              for assignment in ASSIGNMENTS]
    paths.append(released_with(tmp_path / "extra", "01-definition",
                               {3: "import numpy\nFACTOR = numpy.float64(1.0)\n"}).path)
    paths.append(write_submission(tmp_path, "first", "04-gating-dropout", text=json.dumps(
        released("04-gating-dropout", {"swiglu": FIRST_WEIGHTS}, "correct"))))
    rows = both_ways(paths)
    assert_same_rows(rows)
    assert [path for path, (fast, _) in rows.items() if fast["cells_run"] != "needed"] == []
